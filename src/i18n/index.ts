// The site's languages: one i18next instance over the JSON catalogs in locales/ (nested keys,
// plurals by Intl.PluralRules, {{name}} interpolation), loaded once at start. Pages ask for a
// translator bound to the visitor's language (translator(locale)); the tracker reads its
// refusals from here once, into tables (tracker-reasons.ts). docs/i18n.md says how to add a
// language.
import { readdirSync, readFileSync } from 'node:fs';
import i18next, { type TOptions } from 'i18next';

import { FALLBACK_LOCALE, LOCALES, type Locale } from './locales.js';

export { FALLBACK_LOCALE, isLocale, knownLocale, LOCALES, type Locale } from './locales.js';

/** Each language named in itself, for the switcher. */
export const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', 'pt-BR': 'Português (Brasil)', ru: 'Русский' };

export type Catalog = Record<string, unknown>;

const catalogDir = (locale: Locale): URL => new URL(`../../locales/${locale}/`, import.meta.url);

/** A language's catalog: one file per group of keys (locales/<code>/<group>.json holds `<group>.*`). */
export function readCatalog(locale: Locale): Catalog {
  const dir = catalogDir(locale);
  const groups = readdirSync(dir).filter((name) => name.endsWith('.json')).sort();
  return Object.fromEntries(groups.map((name) => [name.slice(0, -'.json'.length), JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as unknown]));
}

const i18n = i18next.createInstance();
void i18n.init({
  initAsync: false,
  lng: FALLBACK_LOCALE,
  fallbackLng: FALLBACK_LOCALE,
  supportedLngs: [...LOCALES],
  // no namespaces: a ':' in a key is text (an English message passed through unchanged)
  nsSeparator: false,
  // Handlebars escapes what a page prints; route messages are plain text
  interpolation: { escapeValue: false },
  returnNull: false,
  resources: Object.fromEntries(LOCALES.map((locale) => [locale, { translation: readCatalog(locale) }])),
});

export type TranslateParams = Record<string, unknown>;
/** Translates a key; a string that is not a key (text from code not yet translated) comes back as it is. */
export type Translate = (key: string, params?: TranslateParams) => string;

const translators = new Map<Locale, Translate>(
  LOCALES.map((locale) => {
    const fixed = i18n.getFixedT(locale);
    return [locale, (key: string, params?: TranslateParams) => fixed(key, params as TOptions) as string];
  }),
);

export function translator(locale: Locale): Translate {
  return translators.get(locale) ?? translators.get(FALLBACK_LOCALE)!;
}

/** Whether a key has a text in the given language (or, without one, in any). */
export function hasText(key: string, locale: Locale = FALLBACK_LOCALE): boolean {
  return i18n.exists(key, { lng: locale, fallbackLng: false });
}
