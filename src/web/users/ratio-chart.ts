// The profile's ratio-over-time chart: one point per day from traffic_daily's end-of-day
// credited totals, drawn by the site's generic renderLineChart (src/web/charts.ts). Days
// before the first download have no ratio (division by zero) and are left out rather than
// drawn as infinity.
import { translator, type Locale } from '../../i18n/index.js';
import { renderLineChart, type ChartSeries } from '../charts.js';

export interface DailyTotals {
  day: Date;
  totalUploaded: bigint;
  totalDownloaded: bigint;
}

export function ratioPoints(days: DailyTotals[]): ChartSeries['points'] {
  return days
    .filter((d) => d.totalDownloaded > 0n)
    .map((d) => ({ x: d.day, y: Number(d.totalUploaded) / Number(d.totalDownloaded) }));
}

/** Drawn in the page's language: its title, the series' names and the chart's own words. */
export function renderRatioChart(days: DailyTotals[], requiredRatio: number, locale: Locale): string {
  const t = translator(locale);
  const points = ratioPoints(days);
  const series: ChartSeries[] = [{ label: t('charts.ratio.series'), points }];
  // The required ratio is only known as of today: drawn flat across the same days for reference.
  if (requiredRatio > 0 && points.length > 0) {
    series.push({ label: t('charts.ratio.required'), points: points.map((p) => ({ x: p.x, y: requiredRatio })) });
  }
  return renderLineChart({ title: t('charts.ratio.title'), series, width: 640, height: 240, locale, yFormat: (y) => y.toLocaleString(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }) });
}
