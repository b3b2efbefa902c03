// Spend a freeleech token on a release: from now until the token expires, the tracker credits
// none of this member's download on it (the actual amount is still recorded). The member's row
// is locked, so two parallel spends take two tokens or refuse the second.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { tokenExpiry, tokenRefusal, type ReleaseMode } from '../../policy/economy/tokens.js';
import { dateOf, lockMember, logCredit } from './credit-log.js';

const TS = (p: string) => `(to_timestamp(${p} / 1000.0) AT TIME ZONE 'UTC')`;

export async function spendToken(options: { app: FastifyInstance; userId: number; releaseId: number }): Promise<Date> {
  const { app, userId, releaseId } = options;
  const now = app.clock.now();
  const expires = tokenExpiry(now, app.settings.get('tokenHours'));
  await app.db.sql.transaction(async (tx) => {
    const member = await lockMember(tx, userId);
    const [release] = await tx.query<{ freeleech: ReleaseMode; deleted: boolean; name: string }>(
      'SELECT freeleech::text AS freeleech, deleted_at IS NOT NULL AS deleted, name FROM releases WHERE id = $1',
      [releaseId],
    );
    if (!member || !release) throw AppError.notFound('releases.notFound');
    const [use] = await tx.query<{ ms: number }>(
      'SELECT (extract(epoch FROM expires_at) * 1000)::float8 AS ms FROM freeleech_token_uses WHERE user_id = $1 AND release_id = $2',
      [userId, releaseId],
    );
    const refusal = tokenRefusal({
      tokens: member.freeleechTokens, releaseMode: release.freeleech, siteFreeleech: app.settings.get('siteFreeleech'),
      personalFreeleechUntil: member.personalFreeleechUntil, tokenExpiresAt: dateOf(use?.ms ?? null), releaseDeleted: release.deleted,
    }, now);
    if (refusal) throw AppError.conflict(refusal.key, undefined, refusal.params);
    await tx.query('UPDATE users SET freeleech_tokens = freeleech_tokens - 1 WHERE id = $1', [userId]);
    await tx.query(
      `INSERT INTO freeleech_token_uses (user_id, release_id, spent_at, expires_at) VALUES ($1, $2, ${TS('$3::float8')}, ${TS('$4::float8')})
       ON CONFLICT (user_id, release_id) DO UPDATE SET spent_at = EXCLUDED.spent_at, expires_at = EXCLUDED.expires_at`,
      [userId, releaseId, now, expires.getTime()],
    );
    await logCredit(tx, { userId, kind: 'token_spend', tokens: -1, releaseId, note: release.name.slice(0, 200), at: now });
  });
  await app.tracker.syncMember(userId);
  return expires;
}
