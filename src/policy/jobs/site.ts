// The job's site-wide steps: bonus points for seeding, the timed site-wide freeleech, and
// today's row of site_stats_daily for the dashboard charts.
import type { PolicySettings } from '../../settings.js';
import { accrualMs, pointsFor } from '../bonus.js';
import { logModeration } from '../moderation-log.js';
import type { JobDeps } from './deps.js';

const HOUR_MS = 3_600_000;
/** the job's own bookkeeping (last bonus accrual), so a rerun never pays twice; not a setting */
const JOB_STATE_KEY = 'policy_job_state';

async function lastBonusAt(deps: JobDeps): Promise<number | null> {
  const row = await deps.db.prisma.setting.findUnique({ where: { key: JOB_STATE_KEY }, select: { value: true } });
  const state = row?.value as { lastBonusAt?: unknown } | null | undefined;
  return typeof state?.lastBonusAt === 'number' ? state.lastBonusAt : null;
}

/**
 * Pays every active seeder for the time since the last accrual (at most an hour), and moves
 * the accrual mark in the same transaction, so a rerun right after pays nothing.
 */
export async function accrueBonus(deps: JobDeps, settings: PolicySettings, now: number): Promise<number> {
  const elapsed = accrualMs(await lastBonusAt(deps), now, HOUR_MS);
  const seeds = await deps.db.sql.query<{ user_id: number; size: bigint | string; seeders: number }>(
    `SELECT DISTINCT p.user_id, p.release_id, r.size, r.seeders
       FROM peers p JOIN releases r ON r.id = p.release_id
      WHERE p.active AND p.seeder AND r.deleted_at IS NULL`,
  );
  const points = new Map<number, number>();
  for (const s of seeds) {
    const earned = pointsFor(BigInt(s.size), Number(s.seeders), elapsed, settings);
    points.set(s.user_id, (points.get(s.user_id) ?? 0) + earned);
  }
  const paid = [...points].filter(([, p]) => p > 0);
  await deps.db.sql.transaction(async (tx) => {
    if (paid.length > 0) {
      await tx.query(
        `UPDATE users u SET bonus_points = u.bonus_points + d.p FROM unnest($1::int[], $2::float8[]) AS d(id, p) WHERE u.id = d.id`,
        [paid.map(([id]) => id), paid.map(([, p]) => p)],
      );
    }
    await tx.query(
      `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2::jsonb, now())
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [JOB_STATE_KEY, JSON.stringify({ lastBonusAt: now })],
    );
  });
  return paid.length;
}

/** Switches the timed site-wide freeleech off once its end has passed (and on after a restart). */
export async function applySiteFreeleech(deps: JobDeps, now: number): Promise<'ended' | 'on' | 'off'> {
  const until = deps.settings.get('siteFreeleechUntil');
  if (until && until.getTime() > now) {
    if (!deps.settings.get('siteFreeleech')) await deps.settings.update({ siteFreeleech: true });
    return 'on';
  }
  if (!until) return 'off';
  await deps.settings.update({ siteFreeleechUntil: null, siteFreeleech: false });
  await logModeration(deps.db.prisma, {
    actorId: null,
    action: 'site_freeleech_end',
    reason: 'The timed site-wide freeleech ended',
    details: { until: until.toISOString() },
    at: new Date(now),
  });
  return 'ended';
}

/** Upserts today's (UTC) counts: members, live releases, peers, and today's traffic. */
export async function writeSiteStats(deps: JobDeps, now: number): Promise<void> {
  const day = new Date(now).toISOString().slice(0, 10);
  await deps.db.sql.query(
    `INSERT INTO site_stats_daily (day, members, releases, peers, seeders, leechers, uploaded, downloaded)
     SELECT $1::date,
            (SELECT count(*)::int FROM users WHERE enabled),
            (SELECT count(*)::int FROM releases WHERE deleted_at IS NULL),
            (SELECT count(*)::int FROM peers WHERE active),
            (SELECT count(*)::int FROM peers WHERE active AND seeder),
            (SELECT count(*)::int FROM peers WHERE active AND NOT seeder),
            (SELECT coalesce(sum(uploaded), 0)::int8 FROM traffic_daily WHERE day = $1::date),
            (SELECT coalesce(sum(downloaded), 0)::int8 FROM traffic_daily WHERE day = $1::date)
     ON CONFLICT (day) DO UPDATE SET members = EXCLUDED.members, releases = EXCLUDED.releases, peers = EXCLUDED.peers,
       seeders = EXCLUDED.seeders, leechers = EXCLUDED.leechers, uploaded = EXCLUDED.uploaded, downloaded = EXCLUDED.downloaded`,
    [day],
  );
}
