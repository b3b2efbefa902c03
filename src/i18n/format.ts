// Numbers, sizes, dates and durations as each language writes them, through Intl (decimal
// comma in Portuguese and Russian, their own unit names and relative times). Formatters are
// built once per language and kept.
import { FALLBACK_LOCALE, type Locale } from './index.js';

/** Binary units as the clients our members use name them (qBittorrent's translations). */
const UNITS: Record<Locale, readonly string[]> = {
  en: ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'],
  'pt-BR': ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'],
  ru: ['Б', 'КиБ', 'МиБ', 'ГиБ', 'ТиБ', 'ПиБ', 'ЭиБ'],
};

function cached<T>(make: (locale: Locale) => T): (locale: Locale) => T {
  const made = new Map<Locale, T>();
  return (locale) => {
    let value = made.get(locale);
    if (value === undefined) made.set(locale, (value = make(locale)));
    return value;
  };
}

const fixed = (digits: number) => cached((locale) => new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }));
const fixed1 = fixed(1);
const fixed2 = fixed(2);
const upTo2 = cached((locale) => new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }));
const dateTime = cached((locale) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC', hourCycle: 'h23' }));
const relative = cached((locale) => new Intl.RelativeTimeFormat(locale, { numeric: 'always', style: 'long' }));
const longUnits = cached((locale) => ({
  day: new Intl.NumberFormat(locale, { style: 'unit', unit: 'day', unitDisplay: 'long', maximumFractionDigits: 2 }),
  hour: new Intl.NumberFormat(locale, { style: 'unit', unit: 'hour', unitDisplay: 'long', maximumFractionDigits: 2 }),
  minute: new Intl.NumberFormat(locale, { style: 'unit', unit: 'minute', unitDisplay: 'long', maximumFractionDigits: 2 }),
}));
const units = cached((locale) => ({
  day: new Intl.NumberFormat(locale, { style: 'unit', unit: 'day', unitDisplay: 'narrow' }),
  hour: new Intl.NumberFormat(locale, { style: 'unit', unit: 'hour', unitDisplay: 'narrow' }),
  minute: new Intl.NumberFormat(locale, { style: 'unit', unit: 'minute', unitDisplay: 'narrow' }),
}));

export function formatBytesIn(locale: Locale, value: bigint | number | string | null | undefined): string {
  const names = UNITS[locale] ?? UNITS[FALLBACK_LOCALE];
  let n = value === null || value === undefined || value === '' ? 0 : Number(value);
  if (!Number.isFinite(n) || n < 0) n = 0;
  let unit = 0;
  while (n >= 1024 && unit < names.length - 1) {
    n /= 1024;
    unit++;
  }
  if (unit === 0) return `${n} ${names[0]}`;
  return `${(n >= 100 ? fixed1 : fixed2)(locale).format(n)} ${names[unit]}`;
}

/** Two decimals, rounded down (a ratio of 0.999 is not yet 1.00). */
export function formatFixed2Down(locale: Locale, value: number): string {
  return fixed2(locale).format(Math.floor(value * 100) / 100);
}

/** Two decimals, rounded: a required ratio of 0.29 reads 0.29. */
export function formatFixed2In(locale: Locale, value: number): string {
  return fixed2(locale).format(value);
}

/** At most two decimals, no trailing zeros: 0,5 · 10 · 1,25. */
export function formatPlain(locale: Locale, value: number): string {
  return upTo2(locale).format(Math.round(value * 100) / 100);
}

/**
 * English keeps ISO 8601 (2026-11-24 10:00 UTC): English-reading members are everywhere, and
 * month-first or day-first would each mislead half of them. The others as their language writes dates.
 */
export function formatDateIn(locale: Locale, value: Date): string {
  if (locale === 'en') return `${value.toISOString().replace('T', ' ').slice(0, 16)} UTC`;
  return `${dateTime(locale).format(value)} UTC`;
}

/** "5 minutes ago", "há 5 minutos", "5 минут назад". */
export function formatAgoIn(locale: Locale, seconds: number): string {
  const format = relative(locale);
  if (seconds < 60) return format.format(-seconds, 'second');
  if (seconds < 3600) return format.format(-Math.round(seconds / 60), 'minute');
  if (seconds < 86400) return format.format(-Math.round(seconds / 3600), 'hour');
  return format.format(-Math.round(seconds / 86400), 'day');
}

/** "2d 3h" in the language's own short units. */
export function formatDurationIn(locale: Locale, seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const u = units(locale);
  if (d > 0) return `${u.day.format(d)} ${u.hour.format(h)}`;
  if (h > 0) return `${u.hour.format(h)} ${u.minute.format(m)}`;
  return u.minute.format(m);
}

export type TimeUnit = 'day' | 'hour' | 'minute';

/** "3 days", "3 dias", "3 дня": the number with its unit, plural as the language wants. */
export function formatUnitIn(locale: Locale, value: number, unit: TimeUnit): string {
  return longUnits(locale)[unit].format(value);
}

/** An amount in GiB as the settings hold it: "10 GiB", "2,5 ГиБ". */
export function formatGiBIn(locale: Locale, value: number): string {
  return `${formatPlain(locale, value)} ${(UNITS[locale] ?? UNITS[FALLBACK_LOCALE])[3]}`;
}
