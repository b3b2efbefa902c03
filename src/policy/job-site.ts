// The job's site-wide steps: bonus points for seeding, the timed site-wide freeleech, and
// today's row of site_stats_daily for the dashboard charts.
import type { FastifyInstance } from 'fastify';
import { accrualMs, pointsFor } from './bonus.js';
import { logModeration } from './moderation-log.js';
import type { PolicySettings } from './settings.js';
import { JOB_STATE_KEY } from './settings.js';
import { applyTrackerPolicy, readSetting, readSiteFreeleechUntil, writeSiteFreeleechUntil } from './store.js';

const HOUR_MS = 3_600_000;

/**
 * Pays every active seeder for the time since the last accrual (at most an hour), and moves
 * the accrual mark in the same transaction, so a rerun right after pays nothing.
 */
export async function accrueBonus(app: FastifyInstance, settings: PolicySettings, now: number): Promise<number> {
  const state = (await readSetting(app.db.prisma, JOB_STATE_KEY)) as { lastBonusAt?: number } | null;
  const elapsed = accrualMs(typeof state?.lastBonusAt === 'number' ? state.lastBonusAt : null, now, HOUR_MS);
  const seeds = await app.db.sql.query<{ user_id: number; size: bigint | string; seeders: number }>(
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
  await app.db.sql.transaction(async (tx) => {
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
export async function applySiteFreeleech(app: FastifyInstance, now: number): Promise<'ended' | 'on' | 'off'> {
  const until = await readSiteFreeleechUntil(app.db.prisma);
  if (until && until.getTime() > now) {
    if (!app.tracker.policy().siteFreeleech) await applyTrackerPolicy(app, { siteFreeleech: true });
    return 'on';
  }
  if (!until) return 'off';
  await writeSiteFreeleechUntil(app.db.prisma, null);
  await applyTrackerPolicy(app, { siteFreeleech: false });
  await logModeration(app.db.prisma, {
    actorId: null,
    action: 'site_freeleech_end',
    reason: 'The timed site-wide freeleech ended',
    details: { until: until.toISOString() },
    at: new Date(now),
  });
  return 'ended';
}

/** Upserts today's (UTC) counts: members, live releases, peers, and today's traffic. */
export async function writeSiteStats(app: FastifyInstance, now: number): Promise<void> {
  const day = new Date(now).toISOString().slice(0, 10);
  await app.db.sql.query(
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
