// The site's languages, apart from the catalogs: code that only names a language (the
// tracker's store, the settings) needs no i18next.

/** Every language the site ships; the first is the fallback for any missing text. */
export const LOCALES = ['en', 'pt-BR', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];
export const FALLBACK_LOCALE: Locale = 'en';

export const isLocale = (value: unknown): value is Locale => typeof value === 'string' && (LOCALES as readonly string[]).includes(value);

/** The shared constant for a stored language code (one string per language in memory), or null. */
export const knownLocale = (value: unknown): Locale | null => LOCALES.find((locale) => locale === value) ?? null;
