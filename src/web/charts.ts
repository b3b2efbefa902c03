// Server-rendered SVG line charts: pages stay readable without JavaScript and under a CSP
// that forbids inline styles (colours are SVG presentation attributes, not style=""). Pure
// functions: every label is escaped here, so a chart is safe to emit with {{{ }}}. Labels come
// in the page's language; the chart's own words (no data, latest) follow `locale`.
import { FALLBACK_LOCALE, translator, type Locale } from '../i18n/index.js';

export interface ChartPoint {
  x: Date;
  y: number;
}

export interface ChartSeries {
  label: string;
  points: ChartPoint[];
}

export interface LineChartOptions {
  series: ChartSeries[];
  width?: number;
  height?: number;
  /** how y values read on the axis (bytes, ratio...) */
  yFormat?: (y: number) => string;
  /** the accessible name; defaults to the series labels */
  title?: string;
  /** the page's language, for the chart's own words */
  locale?: Locale;
}

const COLORS = ['#2f6fde', '#1f8a4c', '#c4312b', '#b86e00'];
const PAD = { left: 72, right: 16, top: 34, bottom: 28 };
const TICKS = 4;

export const escapeXml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const num = (n: number): string => (Math.round(n * 10) / 10).toString();
const day = (d: Date): string => d.toISOString().slice(0, 10);

interface Frame {
  x0: number;
  x1: number;
  y1: number;
  width: number;
  height: number;
}

function clean(series: ChartSeries[]): ChartSeries[] {
  return series.map((s) => ({
    label: s.label,
    points: s.points.filter((p) => Number.isFinite(p.y) && Number.isFinite(p.x.getTime())).sort((a, b) => a.x.getTime() - b.x.getTime()),
  }));
}

function frameOf(series: ChartSeries[], width: number, height: number): Frame {
  const xs = series.flatMap((s) => s.points.map((p) => p.x.getTime()));
  const ys = series.flatMap((s) => s.points.map((p) => p.y));
  const top = Math.max(0, ...ys);
  return { x0: Math.min(...xs), x1: Math.max(...xs), y1: top > 0 ? top * 1.05 : 1, width, height };
}

function project(frame: Frame, p: ChartPoint): [number, number] {
  const plotW = frame.width - PAD.left - PAD.right;
  const plotH = frame.height - PAD.top - PAD.bottom;
  const span = frame.x1 - frame.x0;
  const x = PAD.left + (span > 0 ? ((p.x.getTime() - frame.x0) / span) * plotW : plotW / 2);
  const y = PAD.top + plotH - (Math.max(0, p.y) / frame.y1) * plotH;
  return [x, y];
}

function axes(frame: Frame, yFormat: (y: number) => string): string {
  const parts: string[] = [];
  const plotH = frame.height - PAD.top - PAD.bottom;
  for (let i = 0; i <= TICKS; i++) {
    const y = PAD.top + plotH - (i / TICKS) * plotH;
    const label = escapeXml(yFormat((frame.y1 * i) / TICKS));
    parts.push(`<line x1="${PAD.left}" y1="${num(y)}" x2="${frame.width - PAD.right}" y2="${num(y)}" stroke="#e3e7ee"/>`);
    parts.push(`<text x="${PAD.left - 6}" y="${num(y + 4)}" text-anchor="end" font-size="11" fill="#5b6575">${label}</text>`);
  }
  const base = frame.height - 8;
  parts.push(`<text x="${PAD.left}" y="${base}" font-size="11" fill="#5b6575">${day(new Date(frame.x0))}</text>`);
  if (frame.x1 > frame.x0) {
    parts.push(`<text x="${frame.width - PAD.right}" y="${base}" text-anchor="end" font-size="11" fill="#5b6575">${day(new Date(frame.x1))}</text>`);
  }
  return parts.join('');
}

function line(frame: Frame, series: ChartSeries, color: string): string {
  const coords = series.points.map((p) => project(frame, p));
  if (coords.length === 1) return `<circle cx="${num(coords[0][0])}" cy="${num(coords[0][1])}" r="3" fill="${color}"/>`;
  const points = coords.map(([x, y]) => `${num(x)},${num(y)}`).join(' ');
  return `<polyline points="${points}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"/>`;
}

function legend(series: ChartSeries[]): string {
  return series
    .map((s, i) => {
      const x = PAD.left + i * 150;
      const color = COLORS[i % COLORS.length];
      return `<rect x="${x}" y="10" width="12" height="12" fill="${color}"/><text x="${x + 17}" y="20" font-size="12" fill="#1d2330">${escapeXml(s.label)}</text>`;
    })
    .join('');
}

/** An accessible line chart: a <title> names it and a <desc> gives the latest values. */
export function renderLineChart(options: LineChartOptions): string {
  const { width = 640, height = 240, yFormat = (y: number) => String(Math.round(y)) } = options;
  const series = clean(options.series);
  const t = translator(options.locale ?? FALLBACK_LOCALE);
  const title = escapeXml(options.title ?? series.map((s) => s.label).join(', '));
  const open = `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img"><title>${title}</title>`;
  if (series.every((s) => s.points.length === 0)) {
    const none = escapeXml(t('charts.noData'));
    return `${open}<desc>${none}</desc><text x="${width / 2}" y="${height / 2}" text-anchor="middle" font-size="13" fill="#5b6575">${none}</text></svg>`;
  }
  const latest = series
    .filter((s) => s.points.length > 0)
    .map((s) => `${s.label}: ${yFormat(s.points[s.points.length - 1].y)}`)
    .join('; ');
  const frame = frameOf(series, width, height);
  const lines = series.map((s, i) => (s.points.length ? line(frame, s, COLORS[i % COLORS.length]) : '')).join('');
  return `${open}<desc>${escapeXml(t('charts.latest', { values: latest }))}</desc>${axes(frame, yFormat)}${lines}${legend(series)}</svg>`;
}
