// Bonus points for seeding, more for large and poorly seeded releases:
// points/h = base × sqrt(size in GiB, clamped to [0.25, 16]) / sqrt(seeders).
// A lone seeder of a 4 GiB release earns 2× base per hour; one of ten seeders of a 100 MiB
// release earns about 0.1× base. Points buy upload credit at `bonusMiBPerPoint`.
import type { PolicySettings } from '../settings.js';
import { GIB, MIB } from './ratio-table.js';

const HOUR_MS = 3_600_000;

export function pointsPerHour(size: bigint, seeders: number, settings: PolicySettings): number {
  const sizeFactor = Math.sqrt(Math.min(16, Math.max(0.25, Number(size) / GIB)));
  return (settings.bonusPerHour * sizeFactor) / Math.sqrt(Math.max(1, seeders));
}

/**
 * The time to pay for since the last accrual, capped: after downtime we cannot know who was
 * seeding, so at most `maxGapMs` is paid (the job runs far more often than that).
 */
export function accrualMs(lastAccrualAt: number | null, now: number, maxGapMs: number): number {
  if (lastAccrualAt === null) return 0;
  return Math.min(Math.max(0, now - lastAccrualAt), maxGapMs);
}

export function pointsFor(size: bigint, seeders: number, elapsedMs: number, settings: PolicySettings): number {
  return (pointsPerHour(size, seeders, settings) * elapsedMs) / HOUR_MS;
}

/** Upload credit, in bytes, bought by `points` points. */
export function creditForPoints(points: number, settings: PolicySettings): bigint {
  return BigInt(Math.floor(points * settings.bonusMiBPerPoint * MIB));
}
