// Texts the site stores when it sends them (notices, its inbox messages) keep a catalog key and
// its values next to the English text: each reader sees them in their own language, and rows
// from before the keys (text only) still read as they were written. docs/i18n.md
import { FALLBACK_LOCALE, hasText, translator, type Translate, type TranslateParams } from './index.js';

export interface StoredText {
  key: string;
  params: TranslateParams;
}

/** The English text kept in the text column, for old readers and the JSON API. */
export const englishOf = (text: StoredText): string => readStored(translator(FALLBACK_LOCALE), { key: text.key, params: text.params, text: text.key });

/**
 * Values that are themselves texts are stored as keys, under a name ending in `Key`
 * (`kindKey: 'admin.reports.kinds.fake'` fills `{{kind}}`), and translated with the text.
 */
function paramsIn(t: Translate, stored: unknown): TranslateParams {
  if (typeof stored !== 'object' || stored === null) return {};
  const params: TranslateParams = { ...(stored as TranslateParams) };
  for (const [name, value] of Object.entries(params)) {
    if (name.endsWith('Key') && typeof value === 'string' && hasText(value)) params[name.slice(0, -'Key'.length)] = t(value);
  }
  return params;
}

/** A stored text in the reader's language when it has a known key, else the text as stored. */
export function readStored(t: Translate, stored: { key: string | null; params: unknown; text: string }): string {
  if (!stored.key || !hasText(stored.key)) return stored.text;
  return t(stored.key, paramsIn(t, stored.params));
}
