// The one file for how bytes, ratios and dates look. Registered as Handlebars helpers; the
// functions are exported for routes that format outside templates (RSS, SVG charts).
import Handlebars from 'handlebars';
import { visibleName } from '../torrents/index.js';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

export function formatBytes(value: bigint | number | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '0 B';
  let n = typeof value === 'bigint' ? Number(value) : Number(value);
  if (!Number.isFinite(n) || n < 0) return '0 B';
  let unit = 0;
  while (n >= 1024 && unit < UNITS.length - 1) {
    n /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} B` : `${n.toFixed(n >= 100 ? 1 : 2)} ${UNITS[unit]}`;
}

/** Gazelle-style: Inf when nothing was downloaded, two decimals otherwise. */
export function ratioOf(uploaded: bigint | number, downloaded: bigint | number): number | null {
  const d = Number(downloaded);
  if (d <= 0) return null;
  return Number(uploaded) / d;
}

export function formatRatio(uploaded: bigint | number, downloaded: bigint | number): string {
  const ratio = ratioOf(uploaded, downloaded);
  if (ratio === null) return '∞';
  return (Math.floor(ratio * 100) / 100).toFixed(2);
}

/** Bonus points are fractional (paid per second of seeding): two decimals, rounded down. */
export function formatPoints(value: number | null | undefined): string {
  const n = Number(value);
  if (!Number.isFinite(n)) return '0';
  return (Math.floor(n * 100) / 100).toLocaleString('en', { maximumFractionDigits: 2 });
}

export function formatDate(value: Date | string | number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return '—';
  return date.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

export function formatAgo(value: Date | string | number | null | undefined, now = Date.now()): string {
  if (value === null || value === undefined) return 'never';
  const ms = now - (value instanceof Date ? value.getTime() : new Date(value).getTime());
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} days ago`;
}

export function formatDuration(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  return `${m}m`;
}

export function registerViewHelpers(hbs: typeof Handlebars): void {
  hbs.registerHelper('bytes', (v: bigint | number) => formatBytes(v));
  hbs.registerHelper('ratio', (u: bigint | number, d: bigint | number) => formatRatio(u, d));
  hbs.registerHelper('date', (v: Date) => formatDate(v));
  // credit movements: a sign, then the amount (the credit history)
  hbs.registerHelper('signedBytes', (v: bigint) => (BigInt(v) < 0n ? `−${formatBytes(-BigInt(v))}` : `+${formatBytes(v)}`));
  // not `points`: a helper's name wins over a template variable of the same name
  hbs.registerHelper('pointsText', (v: number) => formatPoints(v));
  hbs.registerHelper('ago', (v: Date) => formatAgo(v));
  // release and file names stored before the name checks: hidden characters made visible
  hbs.registerHelper('safeName', (v: unknown) => (typeof v === 'string' ? visibleName(v) : v));
  hbs.registerHelper('duration', (v: number) => formatDuration(Number(v)));
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b || String(a) === String(b));
  hbs.registerHelper('ne', (a: unknown, b: unknown) => !(a === b || String(a) === String(b)));
  hbs.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
  hbs.registerHelper('lt', (a: unknown, b: unknown) => Number(a) < Number(b));
  hbs.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hbs.registerHelper('not', (a: unknown) => !a);
  hbs.registerHelper('json', (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)));
}
