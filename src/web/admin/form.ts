// Reading the staff forms: trimmed text fields, the required reason, byte amounts like
// "1.5 GiB", and ids from the URL. Each failure names the field it belongs beside.
import { AppError } from '../../errors.js';

export type FormBody = Record<string, unknown>;

export function text(body: FormBody | undefined, name: string): string {
  const value = body?.[name];
  if (typeof value === 'string') return value.trim();
  if (Array.isArray(value) && typeof value[0] === 'string') return String(value[0]).trim();
  return '';
}

/** Every field of that name (repeated checkboxes). */
export function list(body: FormBody | undefined, name: string): string[] {
  const value = body?.[name];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

export const MAX_REASON = 500;

/** Every staff action needs a reason: it is logged and, for warnings, shown to the member. */
export function requireReason(body: FormBody | undefined, field = 'reason'): string {
  const reason = text(body, field);
  if (reason.length < 3) throw AppError.badRequest('admin.errors.reasonShort', field);
  if (reason.length > MAX_REASON) throw AppError.badRequest('admin.errors.reasonLong', field, { max: MAX_REASON });
  return reason;
}

const UNITS: Record<string, number> = { b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };
const MAX_BYTES = 2n ** 62n;

/** "123", "1.5 GiB", "700 MiB" -> bytes; null when it is not such an amount. */
export function parseByteAmount(raw: string): bigint | null {
  const match = /^(\d{1,20}(?:\.\d{1,6})?)\s*([a-z]{1,3})?$/i.exec(raw.trim());
  if (!match) return null;
  const unit = UNITS[(match[2] ?? 'b').toLowerCase()];
  if (unit === undefined) return null;
  const [whole, fraction = ''] = match[1].split('.');
  const scale = 10n ** BigInt(fraction.length);
  const bytes = ((BigInt(whole) * scale + BigInt(fraction || '0')) * BigInt(unit)) / scale;
  return bytes <= MAX_BYTES ? bytes : null;
}

const SHOWN_UNITS: Array<[string, bigint]> = [['TiB', 1024n ** 4n], ['GiB', 1024n ** 3n], ['MiB', 1024n ** 2n], ['KiB', 1024n]];

/**
 * Bytes as parseByteAmount reads them back: "1.5 GiB" when that is exact (six decimals at
 * most), otherwise two decimals, which `exact: false` marks as rounded.
 */
export function formatByteAmount(bytes: bigint): { text: string; exact: boolean } {
  for (const [unit, size] of SHOWN_UNITS) {
    if (bytes < size) continue;
    if ((bytes * 1_000_000n) % size === 0n) {
      const micro = (bytes * 1_000_000n) / size;
      const fraction = (micro % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
      return { text: `${micro / 1_000_000n}${fraction ? `.${fraction}` : ''} ${unit}`, exact: true };
    }
    return { text: `${(Number(bytes) / Number(size)).toFixed(2)} ${unit}`, exact: false };
  }
  return { text: `${bytes} B`, exact: true };
}

/** A whole number from min to max; the message stands beside the field, which names it. */
export function parseWholeNumber(raw: string, field: string, min: number, max: number): number {
  if (!/^-?\d{1,9}$/.test(raw)) throw AppError.badRequest('admin.errors.wholeNumber', field);
  const n = Number(raw);
  if (n < min || n > max) throw AppError.badRequest('admin.errors.range', field, { min, max });
  return n;
}

/** What an id in the URL names, and the catalog text for "there is none". */
const NOT_FOUND = {
  member: 'admin.notFound.member',
  release: 'admin.notFound.release',
  section: 'admin.notFound.section',
  'news post': 'admin.notFound.newsPost',
  comment: 'admin.notFound.comment',
  report: 'admin.notFound.report',
  conversation: 'admin.notFound.conversation',
} as const;

export function parseId(raw: string, what: keyof typeof NOT_FOUND = 'member'): number {
  if (!/^\d{1,9}$/.test(raw) || Number(raw) === 0) throw AppError.notFound(NOT_FOUND[what]);
  return Number(raw);
}
