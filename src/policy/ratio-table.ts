// The required ratio, after Gazelle's table: the more a member has downloaded, the higher the
// ratio they must keep, softened by the share of their snatched releases they still seed.
// required = max × (1 − seeding/snatched), never below the 100%-seeded value.

export const GIB = 1024 ** 3;
export const MIB = 1024 ** 2;
export const gibToBytes = (gib: number): bigint => BigInt(Math.round(gib * GIB));

/** One band of the table: applies from `fromGiB` downloaded up to the next band's start. */
export interface RatioBand {
  fromGiB: number;
  /** required ratio when seeding none of the snatched releases */
  max: number;
  /** required ratio when seeding all of them */
  min: number;
}

export const DEFAULT_RATIO_TABLE: readonly RatioBand[] = [
  { fromGiB: 0, max: 0, min: 0 },
  { fromGiB: 5, max: 0.15, min: 0 },
  { fromGiB: 10, max: 0.2, min: 0 },
  { fromGiB: 20, max: 0.3, min: 0.05 },
  { fromGiB: 30, max: 0.4, min: 0.1 },
  { fromGiB: 40, max: 0.5, min: 0.2 },
  { fromGiB: 50, max: 0.6, min: 0.3 },
  { fromGiB: 60, max: 0.6, min: 0.4 },
  { fromGiB: 80, max: 0.6, min: 0.5 },
  { fromGiB: 100, max: 0.6, min: 0.6 },
];

/** The band for a downloaded amount; a band's start is inclusive (exactly 5 GiB is in 5-10). */
export function bandFor(table: readonly RatioBand[], downloaded: bigint): RatioBand {
  const gib = Number(downloaded) / GIB;
  let band = table[0] ?? { fromGiB: 0, max: 0, min: 0 };
  for (const row of table) if (gib >= row.fromGiB) band = row;
  return band;
}

export interface RequiredRatioInput {
  /** credited download, bytes */
  downloaded: bigint;
  /** distinct snatched releases */
  snatched: number;
  /** how many of those the member seeds now */
  seeding: number;
}

/**
 * Nothing snatched counts as 0% seeded: partial downloads earn no seeding relief.
 * Rounded to 4 decimals so stored values compare stably between job runs.
 */
export function requiredRatio(table: readonly RatioBand[], input: RequiredRatioInput): number {
  const band = bandFor(table, input.downloaded);
  const share = input.snatched > 0 ? Math.min(1, Math.max(0, input.seeding / input.snatched)) : 0;
  const required = Math.max(band.min, band.max * (1 - share));
  return Math.round(required * 10_000) / 10_000;
}

/** uploaded / downloaded; null (infinite) when nothing was downloaded. */
export function ratioOf(uploaded: bigint, downloaded: bigint): number | null {
  if (downloaded <= 0n) return null;
  return Number(uploaded) / Number(downloaded);
}

export function meetsRequirement(uploaded: bigint, downloaded: bigint, required: number): boolean {
  const ratio = ratioOf(uploaded, downloaded);
  return ratio === null || ratio >= required;
}

/** The problem with a ratio table, or null: starts at 0 GiB, ascending, 0 ≤ min ≤ max ≤ 10. */
export function ratioTableProblem(table: readonly RatioBand[]): { key: string; params?: Record<string, unknown> } | null {
  if (table.length === 0) return { key: 'policyChecks.ratio.empty' };
  if (table[0].fromGiB !== 0) return { key: 'policyChecks.ratio.firstBand' };
  for (let i = 0; i < table.length; i++) {
    const { fromGiB, max, min } = table[i];
    const band = i + 1;
    if (![fromGiB, max, min].every(Number.isFinite)) return { key: 'policyChecks.ratio.number', params: { band } };
    if (i > 0 && fromGiB <= table[i - 1].fromGiB) return { key: 'policyChecks.ratio.increasing', params: { band } };
    if (min < 0 || max > 10 || min > max) return { key: 'policyChecks.ratio.order', params: { band } };
  }
  return null;
}
