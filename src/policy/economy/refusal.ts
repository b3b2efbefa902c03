// Why the economy refuses something, as a catalog key (locales/<code>/*.json) and its values:
// the web side translates it into the reader's language (docs/i18n.md), the API into English.
export interface Refusal {
  key: string;
  params?: Record<string, unknown>;
}

export const refusal = (key: string, params?: Record<string, unknown>): Refusal => (params ? { key, params } : { key });
