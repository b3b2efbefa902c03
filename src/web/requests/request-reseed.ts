// A reseed request: on a release nobody seeds, a member asks its snatchers (up to 500, the
// latest first) to seed it again; each gets a notice. At most once a week per release, so
// snatchers are not flooded.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { englishOf } from '../../i18n/stored-text.js';

const WEEK_MS = 7 * 86_400_000;
const MAX_NOTIFIED = 500;
const TS = (p: string) => `(to_timestamp(${p} / 1000.0) AT TIME ZONE 'UTC')`;

export async function requestReseed(options: { app: FastifyInstance; userId: number; releaseId: number }): Promise<number> {
  const { app, userId, releaseId } = options;
  const now = app.clock.now();
  const release = await app.db.prisma.release.findUnique({ where: { id: releaseId }, select: { name: true, deletedAt: true } });
  if (!release || release.deletedAt) throw AppError.notFound('releases.notFound');
  if ((await app.tracker.liveCounts(releaseId)).seeders > 0) throw AppError.conflict('requests.reseed.seeded');
  return app.db.sql.transaction(async (tx) => {
    // one request per release at a time: the lock makes a parallel second request wait, then see the first
    await tx.query('SELECT id FROM releases WHERE id = $1 FOR UPDATE', [releaseId]);
    const [recent] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM reseed_requests WHERE release_id = $1 AND created_at > ${TS('$2::float8')}`, [releaseId, now - WEEK_MS]);
    if (Number(recent.n) > 0) throw AppError.conflict('requests.reseed.already');
    const snatchers = await tx.query<{ user_id: number }>(
      'SELECT user_id FROM snatches WHERE release_id = $1 AND user_id <> $2 ORDER BY completed_at DESC LIMIT $3',
      [releaseId, userId, MAX_NOTIFIED],
    );
    const ids = snatchers.map((s) => s.user_id);
    const reseedText = { key: 'notices.text.reseed', params: { name: release.name.slice(0, 300) } };
    await tx.query(
      `INSERT INTO notices (user_id, kind, body, text_key, text_params, link, created_at)
       SELECT id, 'reseed', $2, $3, $4::jsonb, $5, ${TS('$6::float8')} FROM unnest($1::int[]) AS id`,
      [ids, englishOf(reseedText).slice(0, 500), reseedText.key, JSON.stringify(reseedText.params), `/releases/${releaseId}`, now],
    );
    await tx.query(`INSERT INTO reseed_requests (release_id, user_id, notified, created_at) VALUES ($1, $2, $3, ${TS('$4::float8')})`, [releaseId, userId, ids.length, now]);
    return ids.length;
  });
}
