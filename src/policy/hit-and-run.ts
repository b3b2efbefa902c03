// Hit-and-run: a member who took a real share of a release (actual download above
// `hnrMinPercent` of its size) owes `hnrSeedHours` of seeding, counted from completion (or the
// first announce when it never completed). When `hnrWindowDays` have passed, the member is not
// seeding and the hours are not reached, the transfer gets a mark. Seed time accrues in the
// tracker, only between consecutive seeding announces; this module only reads it.
import type { PolicySettings } from '../settings.js';

const DAY_MS = 86_400_000;

export interface TransferFacts {
  downloadedActual: bigint;
  releaseSize: bigint;
  /** seconds */
  seedtime: number;
  /** an active seeding peer right now */
  seedingNow: boolean;
  firstAnnounceAt: Date;
  completedAt: Date | null;
  hitAndRunAt: Date | null;
  /** staff forgave the mark: never marked again */
  hitAndRunCleared: boolean;
}

/** Whether the transfer carries an obligation to seed at all. */
export function owesSeeding(t: Pick<TransferFacts, 'downloadedActual' | 'releaseSize'>, settings: PolicySettings): boolean {
  if (t.releaseSize <= 0n) return false;
  // Compare in integers: downloaded × 100 > size × percent (percent may have decimals).
  return t.downloadedActual * 10_000n > t.releaseSize * BigInt(Math.round(settings.hnrMinPercent * 100));
}

export const seededEnough = (seedtime: number, settings: PolicySettings): boolean => seedtime >= settings.hnrSeedHours * 3600;

export type HitAndRunChange = 'mark' | 'clear' | null;

/**
 * 'mark' for a new hit-and-run, 'clear' when a marked transfer has since been seeded enough
 * (the member made good), null otherwise.
 */
export function decideHitAndRun(t: TransferFacts, settings: PolicySettings, now: number): HitAndRunChange {
  if (t.hitAndRunCleared) return null;
  if (t.hitAndRunAt) return seededEnough(t.seedtime, settings) ? 'clear' : null;
  if (!owesSeeding(t, settings) || seededEnough(t.seedtime, settings) || t.seedingNow) return null;
  const start = (t.completedAt ?? t.firstAnnounceAt).getTime();
  return now - start >= settings.hnrWindowDays * DAY_MS ? 'mark' : null;
}
