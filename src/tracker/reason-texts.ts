// The tracker's refusals in every language, read once from the catalogs (locales/<code>/*.json,
// `tracker.<code>`) into the plain table the core reads (core/reasons.ts): no i18next call,
// no lookup beyond two map reads, on the announce path.
import { LOCALES, readCatalog } from '../i18n/index.js';
import { REASON_CODES, type ReasonCode, type ReasonTable } from './core/reasons.js';

export function reasonTable(): ReasonTable {
  const table = new Map<string, Partial<Record<ReasonCode, string>>>();
  for (const locale of LOCALES) {
    const texts = (readCatalog(locale).tracker ?? {}) as Record<string, unknown>;
    const row: Partial<Record<ReasonCode, string>> = {};
    for (const code of REASON_CODES) if (typeof texts[code] === 'string') row[code] = texts[code] as string;
    table.set(locale, row);
  }
  return table;
}
