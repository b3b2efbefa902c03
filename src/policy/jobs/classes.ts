// The job's class step: moves each member to the class their totals earn (promotion and
// demotion, logged and told to the member), then gives each class its monthly tokens and
// invites once per UTC month. docs/members-and-staff.md#user-classes
import type { UserClass } from '../economy/user-classes.js';
import { classFor, classNamed } from '../economy/user-classes.js';
import { monthOf } from '../economy/tokens.js';
import { logModeration } from '../moderation-log.js';
import { addNotices } from '../notices.js';
import type { JobDeps } from './deps.js';

export interface ClassStepReport {
  promoted: number;
  demoted: number;
  granted: number;
}

interface StatsRow {
  id: number;
  user_class: string;
  created_at: Date | string;
  uploaded: bigint | string;
  downloaded: bigint | string;
  uploads: number;
}

const TS = `(to_timestamp($1 / 1000.0) AT TIME ZONE 'UTC')`;

async function loadStats(deps: JobDeps): Promise<StatsRow[]> {
  return deps.db.sql.query<StatsRow>(
    `SELECT u.id, u.user_class, u.created_at, u.uploaded, u.downloaded,
            (SELECT count(*)::int FROM releases r WHERE r.uploader_id = u.id AND r.deleted_at IS NULL) AS uploads
       FROM users u WHERE u.enabled`,
  );
}

/** Moves one member, if their class is still `from` (a staff edit meanwhile wins); logs and tells them. */
async function moveMember(deps: JobDeps, id: number, from: string, to: UserClass, up: boolean, now: number): Promise<boolean> {
  return deps.db.prisma.$transaction(async (tx) => {
    const done = await tx.user.updateMany({ where: { id, userClass: from }, data: { userClass: to.name, classChangedAt: new Date(now) } });
    if (done.count !== 1) return false;
    await logModeration(tx, { actorId: null, targetUserId: id, action: up ? 'class_promote' : 'class_demote', reason: `${from} -> ${to.name}`, details: { from, to: to.name }, at: new Date(now) });
    await addNotices(tx, [{ userId: id, kind: 'class', text: { key: up ? 'notices.text.promoted' : 'notices.text.movedDown', params: { className: to.name } }, link: `/users/${id}#class`, at: new Date(now) }]);
    return true;
  });
}

export async function applyClasses(deps: JobDeps, now: number): Promise<Omit<ClassStepReport, 'granted'>> {
  const ladder = deps.settings.get('userClasses');
  const report = { promoted: 0, demoted: 0 };
  for (const row of await loadStats(deps)) {
    const stats = { createdAt: new Date(row.created_at), uploaded: BigInt(row.uploaded), downloaded: BigInt(row.downloaded), uploads: Number(row.uploads) };
    const target = classFor(ladder, stats, now);
    if (target.name === row.user_class) continue;
    const current = classNamed(ladder, row.user_class);
    const up = ladder.indexOf(target) > ladder.indexOf(current) || !ladder.some((c) => c.name === row.user_class);
    if (!(await moveMember(deps, row.id, row.user_class, target, up, now))) continue;
    if (up) report.promoted++;
    else report.demoted++;
    // download slots follow the class at the member's next announce
    await deps.tracker.syncMember(row.id);
  }
  return report;
}

/**
 * Each class's tokens and invites for this month, to every enabled member of it not yet given
 * them this month: one statement per class, the log rows in the same transaction.
 */
export async function grantMonthlyPerks(deps: JobDeps, now: number): Promise<number> {
  const month = monthOf(now);
  let granted = 0;
  for (const cls of deps.settings.get('userClasses')) {
    granted += await deps.db.sql.transaction(async (tx) => {
      const rows = await tx.query<{ id: number }>(
        `UPDATE users SET freeleech_tokens = freeleech_tokens + $1, invites_left = invites_left + $2, perks_month = $3
          WHERE user_class = $4 AND enabled AND perks_month IS DISTINCT FROM $3 RETURNING id`,
        [cls.tokensPerMonth, cls.invitesPerMonth, month, cls.name],
      );
      const ids = rows.map((r) => r.id);
      if (ids.length > 0 && cls.tokensPerMonth + cls.invitesPerMonth > 0) {
        await tx.query(
          `INSERT INTO credit_log (user_id, kind, tokens, invites, note, created_at)
           SELECT id, 'class_grant', $2, $3, $4, ${TS} FROM unnest($5::int[]) AS id`,
          [now, cls.tokensPerMonth, cls.invitesPerMonth, `${cls.name}: ${month}`, ids],
        );
      }
      return cls.tokensPerMonth + cls.invitesPerMonth > 0 ? ids.length : 0;
    });
  }
  return granted;
}
