// The one file for how bytes, ratios and dates look, in the page's language (src/i18n/format.ts),
// and the `t` helpers that print catalog texts. Registered as Handlebars helpers, which read the
// page's language from the render data (`locale`, set by render.ts); the functions are exported
// for routes that format outside templates (RSS, SVG charts, flash messages).
import Handlebars from 'handlebars';
import type { HelperOptions } from 'handlebars';
import { FALLBACK_LOCALE, isLocale, translator, type Locale } from '../i18n/index.js';
import { formatAgoIn, formatBytesIn, formatDateIn, formatDurationIn, formatFixed2Down, formatFixed2In, formatGiBIn, formatPlain, formatUnitIn, type TimeUnit } from '../i18n/format.js';
import { visibleName } from '../torrents/index.js';

export function formatBytes(value: bigint | number | string | null | undefined, locale: Locale = FALLBACK_LOCALE): string {
  return formatBytesIn(locale, value);
}

/** Gazelle-style: Inf when nothing was downloaded, two decimals otherwise. */
export function ratioOf(uploaded: bigint | number, downloaded: bigint | number): number | null {
  const d = Number(downloaded);
  if (d <= 0) return null;
  return Number(uploaded) / d;
}

export function formatRatio(uploaded: bigint | number, downloaded: bigint | number, locale: Locale = FALLBACK_LOCALE): string {
  const ratio = ratioOf(uploaded, downloaded);
  if (ratio === null) return '∞';
  return formatFixed2Down(locale, ratio);
}

/** Bonus points are fractional (paid per second of seeding): two decimals, rounded down. */
export function formatPoints(value: number | null | undefined, locale: Locale = FALLBACK_LOCALE): string {
  const n = Number(value);
  if (!Number.isFinite(n)) return '0';
  return formatPlain(locale, Math.floor(n * 100) / 100);
}

/** Two decimals, rounded (a required ratio, a setting). */
export const formatDecimal2 = (value: number, locale: Locale = FALLBACK_LOCALE): string => formatFixed2In(locale, Number(value));

/** A plain number in the page's language: at most two decimals. */
export const formatNumber = (value: number, locale: Locale = FALLBACK_LOCALE): string => formatPlain(locale, Number(value));

const asDate = (value: Date | string | number | null | undefined): Date | null => {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
};

export function formatDate(value: Date | string | number | null | undefined, locale: Locale = FALLBACK_LOCALE): string {
  const date = asDate(value);
  return date ? formatDateIn(locale, date) : '—';
}

export function formatAgo(value: Date | string | number | null | undefined, now = Date.now(), locale: Locale = FALLBACK_LOCALE): string {
  const date = asDate(value);
  if (!date) return translator(locale)('common.never');
  return formatAgoIn(locale, Math.max(0, Math.round((now - date.getTime()) / 1000)));
}

export function formatDuration(seconds: number, locale: Locale = FALLBACK_LOCALE): string {
  return formatDurationIn(locale, seconds);
}

/** The page's language, from the data render() gives every page. */
export function localeOf(options: HelperOptions | undefined): Locale {
  const locale = (options?.data?.root as { locale?: unknown } | undefined)?.locale;
  return isLocale(locale) ? locale : FALLBACK_LOCALE;
}

/** A helper's last argument is Handlebars' options object. */
const helper = <A extends unknown[]>(fn: (locale: Locale, ...args: A) => unknown) =>
  function (this: unknown, ...args: unknown[]) {
    const options = args[args.length - 1] as HelperOptions;
    return fn(localeOf(options), ...(args.slice(0, -1) as A));
  };

function registerTextHelpers(hbs: typeof Handlebars): void {
  // {{t "key" name=value}}: plain text, escaped by Handlebars like any value
  hbs.registerHelper('t', function (key: unknown, options: HelperOptions) {
    return translator(localeOf(options))(String(key), options.hash);
  });
  // {{th "keyHtml" name=value}}: a catalog text holding markup (links); the values are escaped
  hbs.registerHelper('th', function (key: unknown, options: HelperOptions) {
    const escaped = Object.fromEntries(Object.entries(options.hash ?? {}).map(([k, v]) => [k, typeof v === 'number' ? v : hbs.escapeExpression(String(v ?? ''))]));
    return new hbs.SafeString(translator(localeOf(options))(String(key), escaped));
  });
}

export function registerViewHelpers(hbs: typeof Handlebars): void {
  registerTextHelpers(hbs);
  hbs.registerHelper('bytes', helper((locale, v: bigint | number) => formatBytes(v, locale)));
  hbs.registerHelper('ratio', helper((locale, u: bigint | number, d: bigint | number) => formatRatio(u, d, locale)));
  hbs.registerHelper('date', helper((locale, v: Date) => formatDate(v, locale)));
  // credit movements: a sign, then the amount (the credit history)
  hbs.registerHelper('signedBytes', helper((locale, v: bigint) => (BigInt(v) < 0n ? `−${formatBytes(-BigInt(v), locale)}` : `+${formatBytes(v, locale)}`)));
  // not `points`: a helper's name wins over a template variable of the same name
  hbs.registerHelper('pointsText', helper((locale, v: number) => formatPoints(v, locale)));
  hbs.registerHelper('num', helper((locale, v: number) => formatNumber(v, locale)));
  hbs.registerHelper('dec2', helper((locale, v: number) => formatDecimal2(v, locale)));
  // {{unit 72 "hour"}}: "72 hours", "72 horas", "72 часа"
  hbs.registerHelper('unit', helper((locale, v: number, unit: TimeUnit) => formatUnitIn(locale, Number(v), unit)));
  hbs.registerHelper('gib', helper((locale, v: number) => formatGiBIn(locale, Number(v))));
  hbs.registerHelper('ago', helper((locale, v: Date) => formatAgo(v, Date.now(), locale)));
  // release and file names stored before the name checks: hidden characters made visible
  hbs.registerHelper('safeName', (v: unknown) => (typeof v === 'string' ? visibleName(v) : v));
  hbs.registerHelper('duration', helper((locale, v: number) => formatDuration(Number(v), locale)));
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b || String(a) === String(b));
  hbs.registerHelper('ne', (a: unknown, b: unknown) => !(a === b || String(a) === String(b)));
  hbs.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
  hbs.registerHelper('lt', (a: unknown, b: unknown) => Number(a) < Number(b));
  hbs.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hbs.registerHelper('not', (a: unknown) => !a);
  hbs.registerHelper('json', (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)));
}
