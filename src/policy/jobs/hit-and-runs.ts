// The job's hit-and-run step: marks transfers whose seeding obligation lapsed and clears marks
// the member made good by seeding since. Runs before the member step, which counts the marks.
import type { PolicySettings } from '../../settings.js';
import { decideHitAndRun } from '../hit-and-run.js';
import { logModeration } from '../moderation-log.js';
import type { JobDeps } from './deps.js';

interface Row {
  user_id: number;
  release_id: number;
  downloaded_actual: bigint | string;
  size: bigint | string;
  seedtime: number;
  seeding_now: boolean;
  first_ms: number;
  completed_ms: number | null;
  marked_ms: number | null;
  user_class: string;
}

const msOf = (v: number | null): Date | null => (v === null ? null : new Date(Number(v)));

/** Transfers that may change: marked ones, and unmarked ones (of live releases) short of the seed hours. */
async function candidates(deps: JobDeps, settings: PolicySettings): Promise<Row[]> {
  return deps.db.sql.query<Row>(
    `SELECT t.user_id, t.release_id, t.downloaded_actual, r.size, t.seedtime,
            EXISTS (SELECT 1 FROM peers p WHERE p.user_id = t.user_id AND p.release_id = t.release_id AND p.active AND p.seeder) AS seeding_now,
            (extract(epoch FROM t.first_announce_at) * 1000)::float8 AS first_ms,
            (extract(epoch FROM t.completed_at) * 1000)::float8 AS completed_ms,
            (extract(epoch FROM t.hit_and_run_at) * 1000)::float8 AS marked_ms, u.user_class
       FROM transfers t JOIN releases r ON r.id = t.release_id JOIN users u ON u.id = t.user_id
      WHERE NOT t.hit_and_run_cleared AND (t.hit_and_run_at IS NOT NULL OR (t.seedtime < $1 AND r.deleted_at IS NULL))`,
    [Math.ceil(settings.hnrSeedHours * 3600)],
  );
}

export async function applyHitAndRuns(deps: JobDeps, settings: PolicySettings, now: number): Promise<{ marked: number; cleared: number }> {
  const prisma = deps.db.prisma;
  const result = { marked: 0, cleared: 0 };
  // classes immune from hit-and-runs are never marked (their old marks still clear)
  const immune = new Set(settings.userClasses.filter((c) => c.hnrImmune).map((c) => c.name));
  for (const row of await candidates(deps, settings)) {
    const change = decideHitAndRun(
      {
        downloadedActual: BigInt(row.downloaded_actual),
        releaseSize: BigInt(row.size),
        seedtime: Number(row.seedtime),
        seedingNow: row.seeding_now,
        firstAnnounceAt: msOf(row.first_ms)!,
        completedAt: msOf(row.completed_ms),
        hitAndRunAt: msOf(row.marked_ms),
        hitAndRunCleared: false,
      },
      settings,
      now,
    );
    if (!change || (change === 'mark' && immune.has(row.user_class))) continue;
    const key = { userId_releaseId: { userId: row.user_id, releaseId: row.release_id } };
    await prisma.$transaction(async (tx) => {
      await tx.transfer.update({ where: key, data: { hitAndRunAt: change === 'mark' ? new Date(now) : null } });
      const reason =
        change === 'mark'
          ? `Stopped before seeding ${settings.hnrSeedHours} h within ${settings.hnrWindowDays} days`
          : `Seeded ${settings.hnrSeedHours} h after all`;
      await logModeration(tx, {
        actorId: null,
        targetUserId: row.user_id,
        releaseId: row.release_id,
        action: change === 'mark' ? 'hnr_mark' : 'hnr_clear',
        reason,
        details: { seedtime: Number(row.seedtime) },
        at: new Date(now),
      });
    });
    if (change === 'mark') result.marked++;
    else result.cleared++;
  }
  return result;
}
