// The ratio-policy numbers admins can change, kept as one JSON value in the `settings` table
// (key `ratio_policy`). Values read back are checked field by field: a bad stored value falls
// back to its default instead of breaking the job.
import { DEFAULT_RATIO_TABLE, type RatioBand } from './ratio-table.js';

export const POLICY_SETTINGS_KEY = 'ratio_policy';
/** site-wide freeleech end time (ISO string) or null; the job switches it off when it passes */
export const SITE_FREELEECH_KEY = 'site_freeleech_until';
/** the job's own bookkeeping (last bonus accrual), so a rerun never pays twice */
export const JOB_STATE_KEY = 'policy_job_state';

export interface PolicySettings {
  ratioTable: RatioBand[];
  /** how long a member on ratio watch has to recover */
  watchDays: number;
  /** downloading more than this while on watch withdraws leeching at once (the "ratio gamble") */
  watchAllowanceGiB: number;
  /** a transfer counts for hit-and-run once its actual download exceeds this share of the release */
  hnrMinPercent: number;
  /** seeding hours that clear the obligation */
  hnrSeedHours: number;
  /** days after completion (or first announce) to reach those hours */
  hnrWindowDays: number;
  /** this many active marks withdraw leeching; 0 turns that off */
  hnrMaxMarks: number;
  /** points per hour for one seeded 1 GiB release with one seeder */
  bonusPerHour: number;
  /** upload credit bought with one point, MiB */
  bonusMiBPerPoint: number;
  /** upload credit for new members, GiB */
  newMemberCreditGiB: number;
  /** minutes between job runs */
  jobIntervalMinutes: number;
}

export const DEFAULT_POLICY_SETTINGS: Readonly<PolicySettings> = Object.freeze({
  ratioTable: DEFAULT_RATIO_TABLE.map((band) => ({ ...band })),
  watchDays: 14,
  watchAllowanceGiB: 10,
  hnrMinPercent: 10,
  hnrSeedHours: 72,
  hnrWindowDays: 14,
  hnrMaxMarks: 3,
  bonusPerHour: 1,
  bonusMiBPerPoint: 1,
  newMemberCreditGiB: 5,
  jobIntervalMinutes: 5,
});

/** [field, min, max, whole numbers only] for every numeric setting */
export const NUMERIC_LIMITS: ReadonlyArray<[Exclude<keyof PolicySettings, 'ratioTable'>, number, number, boolean]> = [
  ['watchDays', 1, 365, true],
  ['watchAllowanceGiB', 0, 100_000, false],
  ['hnrMinPercent', 0, 100, false],
  ['hnrSeedHours', 0, 10_000, false],
  ['hnrWindowDays', 1, 365, true],
  ['hnrMaxMarks', 0, 1000, true],
  ['bonusPerHour', 0, 1_000_000, false],
  ['bonusMiBPerPoint', 0, 1_048_576, false],
  ['newMemberCreditGiB', 0, 100_000, false],
  ['jobIntervalMinutes', 1, 1440, true],
];

export function numberProblem(value: number, min: number, max: number, whole: boolean): string | null {
  if (!Number.isFinite(value)) return 'Enter a number.';
  if (whole && !Number.isInteger(value)) return 'Enter a whole number.';
  if (value < min || value > max) return `Enter a number from ${min} to ${max}.`;
  return null;
}

/** The problem with a ratio table, or null: starts at 0 GiB, ascending, 0 ≤ min ≤ max ≤ 10. */
export function ratioTableProblem(table: RatioBand[]): string | null {
  if (table.length === 0) return 'The table needs at least one band.';
  if (table[0].fromGiB !== 0) return 'The first band must start at 0 GiB.';
  for (let i = 0; i < table.length; i++) {
    const { fromGiB, max, min } = table[i];
    if (![fromGiB, max, min].every(Number.isFinite)) return `Band ${i + 1}: every value must be a number.`;
    if (i > 0 && fromGiB <= table[i - 1].fromGiB) return `Band ${i + 1}: bands must start at increasing GiB amounts.`;
    if (min < 0 || max > 10 || min > max) return `Band ${i + 1}: required ratios must satisfy 0 ≤ 100%-seeded ≤ 0%-seeded ≤ 10.`;
  }
  return null;
}

function isBand(value: unknown): value is RatioBand {
  const band = value as RatioBand;
  return typeof band === 'object' && band !== null && [band.fromGiB, band.max, band.min].every((n) => typeof n === 'number');
}

/** Stored (untrusted) JSON -> settings, each field falling back to its default when invalid. */
export function sanitizePolicySettings(raw: unknown): PolicySettings {
  const input = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const out: PolicySettings = { ...DEFAULT_POLICY_SETTINGS, ratioTable: DEFAULT_POLICY_SETTINGS.ratioTable.map((b) => ({ ...b })) };
  for (const [key, min, max, whole] of NUMERIC_LIMITS) {
    const value = input[key];
    if (typeof value === 'number' && numberProblem(value, min, max, whole) === null) out[key] = value;
  }
  const table = input.ratioTable;
  if (Array.isArray(table) && table.every(isBand)) {
    const bands = table.map(({ fromGiB, max, min }) => ({ fromGiB, max, min }));
    if (ratioTableProblem(bands) === null) out.ratioTable = bands;
  }
  return out;
}

export const MIB = 1024 ** 2;
export const gibToBytes = (gib: number): bigint => BigInt(Math.round(gib * 1024 ** 3));
