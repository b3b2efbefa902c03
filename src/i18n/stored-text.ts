// Texts the site stores when it sends them (notices, its inbox messages) keep a catalog key and
// its values next to the English text: each reader sees them in their own language, and rows
// from before the keys (text only) still read as they were written. docs/i18n.md
import { FALLBACK_LOCALE, hasText, translator, type Translate, type TranslateParams } from './index.js';

export interface StoredText {
  key: string;
  params: TranslateParams;
}

/** The English text kept in the text column, for old readers and the JSON API. */
export const englishOf = (text: StoredText): string => translator(FALLBACK_LOCALE)(text.key, text.params);

/** A stored text in the reader's language when it has a known key, else the text as stored. */
export function readStored(t: Translate, stored: { key: string | null; params: unknown; text: string }): string {
  if (!stored.key || !hasText(stored.key)) return stored.text;
  const params = typeof stored.params === 'object' && stored.params !== null ? (stored.params as TranslateParams) : {};
  return t(stored.key, params);
}
