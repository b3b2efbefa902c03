// Which language a page is in: the member's own choice (profile), else the visitor's choice
// from the switcher (a cookie), else the browser's Accept-Language (RFC 9110 §12.5.4, q
// values), else the site default the staff set.
import { isLocale, LOCALES, type Locale } from './index.js';

export const LANGUAGE_COOKIE = 'sk_lang';

/** A browser language tag -> one of ours: pt, pt-PT and pt-BR all read Brazilian Portuguese. */
function matchTag(tag: string): Locale | null {
  const lower = tag.trim().toLowerCase();
  if (lower === '' || lower === '*') return null;
  const exact = LOCALES.find((locale) => locale.toLowerCase() === lower);
  if (exact) return exact;
  const primary = lower.split('-')[0];
  return LOCALES.find((locale) => locale.toLowerCase().split('-')[0] === primary) ?? null;
}

/** The best of our languages for an Accept-Language header, or null. */
export function fromAcceptLanguage(header: string | undefined): Locale | null {
  if (!header) return null;
  const ranges = header
    .slice(0, 500)
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return { tag, weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((range) => range.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const range of ranges) {
    const found = matchTag(range.tag);
    if (found) return found;
  }
  return null;
}

export interface LanguageSources {
  /** the member's profile setting, if any */
  member?: string | null;
  /** the switcher's cookie */
  cookie?: string;
  acceptLanguage?: string;
  siteDefault: Locale;
}

export function chooseLocale(sources: LanguageSources): Locale {
  if (isLocale(sources.member)) return sources.member;
  if (isLocale(sources.cookie)) return sources.cookie;
  return fromAcceptLanguage(sources.acceptLanguage) ?? sources.siteDefault;
}
