// A small server-rendered SVG line chart for the staff pages, with the signature of
// src/web/charts.ts's renderLineChart (members' pages) so either can be used. Every text is
// escaped; the SVG carries a title and a description for screen readers.
export interface ChartSeries {
  label: string;
  points: Array<{ x: Date; y: number }>;
}

export interface LineChartOptions {
  series: ChartSeries[];
  width?: number;
  height?: number;
  yFormat?: (y: number) => string;
  title?: string;
}

const COLORS = ['#2f6fde', '#1f8a4c', '#c4312b', '#b86e00'];
const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function extent(series: ChartSeries[]) {
  const xs = series.flatMap((s) => s.points.map((p) => p.x.getTime()));
  const ys = series.flatMap((s) => s.points.map((p) => p.y));
  return { x0: Math.min(...xs), x1: Math.max(...xs), y1: Math.max(0, ...ys) };
}

export function renderLineChart(options: LineChartOptions): string {
  const { series, width = 480, height = 240, yFormat = (y: number) => String(Math.round(y)) } = options;
  const title = esc(options.title ?? series.map((s) => s.label).join(', '));
  const pad = { left: 78, right: 14, top: 30, bottom: 30 };
  if (series.every((s) => s.points.length === 0)) {
    return `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${title}: no data yet"><text x="${width / 2}" y="${height / 2}" text-anchor="middle" fill="#5b6475">No data yet</text></svg>`;
  }
  const { x0, x1, y1 } = extent(series);
  const sx = (x: number) => pad.left + ((x - x0) / Math.max(1, x1 - x0)) * (width - pad.left - pad.right);
  const sy = (y: number) => height - pad.bottom - (y / (y1 || 1)) * (height - pad.top - pad.bottom);
  const lines = series.map((s, i) => {
    const d = s.points.map((p, j) => `${j === 0 ? 'M' : 'L'}${sx(p.x.getTime()).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ');
    const dot = s.points.length === 1 ? `<circle cx="${sx(s.points[0].x.getTime()).toFixed(1)}" cy="${sy(s.points[0].y).toFixed(1)}" r="3" fill="${COLORS[i % 4]}"/>` : '';
    return `<path d="${d}" fill="none" stroke="${COLORS[i % 4]}" stroke-width="2"/>${dot}`;
  });
  const legend = series.map((s, i) => `<text x="${pad.left + i * 150}" y="18" font-size="14" fill="${COLORS[i % 4]}">■ ${esc(s.label)}</text>`);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const axes = [
    `<line x1="${pad.left}" y1="${height - pad.bottom}" x2="${width - pad.right}" y2="${height - pad.bottom}" stroke="#dde1e8"/>`,
    `<text x="${pad.left - 6}" y="${pad.top + 4}" text-anchor="end" font-size="13" fill="#5b6475">${esc(yFormat(y1))}</text>`,
    `<text x="${pad.left - 6}" y="${height - pad.bottom}" text-anchor="end" font-size="13" fill="#5b6475">${esc(yFormat(0))}</text>`,
    `<text x="${pad.left}" y="${height - 9}" font-size="13" fill="#5b6475">${day(x0)}</text>`,
    `<text x="${width - pad.right}" y="${height - 8}" text-anchor="end" font-size="13" fill="#5b6475">${day(x1)}</text>`,
  ];
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${title}"><title>${title}</title>${axes.join('')}${lines.join('')}${legend.join('')}</svg>`;
}
