// The job's member step: required ratio from downloaded bytes and seeding share, then ratio
// watch and the leech right (account-rules.ts). Only what changed is written, with a guard on
// the previous leech state so a moderator acting meanwhile is never overwritten.
import type { PolicySettings } from '../../settings.js';
import { decideAccount, type AccountState, type PolicyEvent, type WithdrawnBy } from '../account-rules.js';
import { logModeration } from '../moderation-log.js';
import { requiredRatio } from '../ratio-table.js';
import type { JobDeps } from './deps.js';

interface Counts {
  snatched: number;
  seeding: number;
  hnr: number;
}

export interface AccountStepReport {
  checked: number;
  changed: number;
  events: number;
}

/** Snatches, how many of them are seeded now, and active hit-and-run marks, per member. */
async function countsByUser(deps: JobDeps): Promise<Map<number, Counts>> {
  const rows = await deps.db.sql.query<{ user_id: number; snatched: number; seeding: number; hnr: number }>(
    `SELECT u.id AS user_id,
            (SELECT count(*)::int FROM snatches s WHERE s.user_id = u.id) AS snatched,
            (SELECT count(*)::int FROM snatches s WHERE s.user_id = u.id AND EXISTS (
               SELECT 1 FROM peers p WHERE p.user_id = s.user_id AND p.release_id = s.release_id AND p.active AND p.seeder)) AS seeding,
            (SELECT count(*)::int FROM transfers t WHERE t.user_id = u.id AND t.hit_and_run_at IS NOT NULL AND NOT t.hit_and_run_cleared) AS hnr
       FROM users u`,
  );
  return new Map(rows.map((r) => [r.user_id, { snatched: Number(r.snatched), seeding: Number(r.seeding), hnr: Number(r.hnr) }]));
}

const sameDate = (a: Date | null, b: Date | null): boolean => (a?.getTime() ?? null) === (b?.getTime() ?? null);

function differs(a: AccountState, b: AccountState): boolean {
  return (
    a.canLeech !== b.canLeech ||
    a.leechWithdrawnBy !== b.leechWithdrawnBy ||
    !sameDate(a.watchStartedAt, b.watchStartedAt) ||
    !sameDate(a.watchDeadline, b.watchDeadline) ||
    a.watchDownloaded !== b.watchDownloaded
  );
}

type UserRow = Awaited<ReturnType<typeof loadUsers>>[number];

async function loadUsers(deps: JobDeps) {
  return deps.db.prisma.user.findMany({
    select: {
      id: true, passkey: true, enabled: true, uploaded: true, downloaded: true, canLeech: true, leechWithdrawnBy: true,
      watchStartedAt: true, watchDeadline: true, watchDownloaded: true, requiredRatio: true,
    },
    orderBy: { id: 'asc' },
  });
}

/**
 * Writes the new watch/leech state and its log entries in one transaction, only if the leech
 * state is still what the decision was based on. Returns false when someone changed it first.
 */
async function writeDecision(deps: JobDeps, user: UserRow, next: AccountState, events: PolicyEvent[], required: number, now: number) {
  return deps.db.prisma.$transaction(async (tx) => {
    const updated = await tx.user.updateMany({
      where: { id: user.id, canLeech: user.canLeech, leechWithdrawnBy: user.leechWithdrawnBy },
      data: {
        canLeech: next.canLeech,
        leechWithdrawnBy: next.leechWithdrawnBy,
        watchStartedAt: next.watchStartedAt,
        watchDeadline: next.watchDeadline,
        watchDownloaded: next.watchDownloaded,
      },
    });
    if (updated.count !== 1) return false;
    const details = { ratio: ratioText(user.uploaded, user.downloaded), required, deadline: next.watchDeadline?.toISOString() ?? null };
    for (const event of events) {
      await logModeration(tx, { actorId: null, targetUserId: user.id, action: event.action, reason: event.reason, details, at: new Date(now) });
    }
    return true;
  });
}

export async function applyAccountRules(deps: JobDeps, settings: PolicySettings, now: number): Promise<AccountStepReport> {
  const counts = await countsByUser(deps);
  const users = await loadUsers(deps);
  const report: AccountStepReport = { checked: users.length, changed: 0, events: 0 };
  for (const user of users) {
    const c = counts.get(user.id) ?? { snatched: 0, seeding: 0, hnr: 0 };
    const required = requiredRatio(settings.ratioTable, { downloaded: user.downloaded, snatched: c.snatched, seeding: c.seeding });
    const state: AccountState = { ...user, leechWithdrawnBy: user.leechWithdrawnBy as WithdrawnBy };
    const { next, events } = decideAccount(state, { requiredRatio: required, activeHitAndRuns: c.hnr }, settings, now);
    if (required !== user.requiredRatio) await deps.db.prisma.user.update({ where: { id: user.id }, data: { requiredRatio: required } });
    if (!differs(state, next)) continue;
    const written = await writeDecision(deps, user, next, events, required, now);
    if (!written) continue;
    report.changed++;
    report.events += events.length;
    // The tracker refuses (or allows) leeching at the member's very next announce.
    if (next.canLeech !== user.canLeech) await deps.tracker.syncMember(user.id);
  }
  return report;
}

function ratioText(uploaded: bigint, downloaded: bigint): string {
  return downloaded > 0n ? (Number(uploaded) / Number(downloaded)).toFixed(3) : 'inf';
}
