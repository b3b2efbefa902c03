// Staff give a member freeleech tokens, personal freeleech and/or double upload for some hours
// (a prize, an apology for an outage). Logged in the moderation log and the member's credit
// history in one transaction; the tracker learns at once.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { extendUntil } from '../../policy/economy/tokens.js';
import { canGivePerks } from '../guards.js';
import { dateOf, lockMember, logCredit } from '../shop/credit-log.js';
import { loadTarget, type Actor } from './action-target.js';

const TS = (p: string) => `(to_timestamp(${p} / 1000.0) AT TIME ZONE 'UTC')`;

export interface Gift {
  tokens: number;
  freeleechHours: number;
  doubleUploadHours: number;
}

export async function givePerks(options: { app: FastifyInstance; actor: Actor; targetId: number; gift: Gift; reason: string }): Promise<void> {
  const { app, actor, gift, reason } = options;
  if (gift.tokens + gift.freeleechHours + gift.doubleUploadHours === 0) throw AppError.badRequest('admin.errors.noPerks', 'perks-tokens');
  const target = await loadTarget(app, actor, options.targetId, canGivePerks);
  const now = app.clock.now();
  await app.db.sql.transaction(async (tx) => {
    const member = (await lockMember(tx, target.id))!;
    const fl = gift.freeleechHours > 0 ? extendUntil(member.personalFreeleechUntil, now, gift.freeleechHours).getTime() : null;
    const du = gift.doubleUploadHours > 0 ? extendUntil(member.doubleUploadUntil, now, gift.doubleUploadHours).getTime() : null;
    await tx.query(
      `UPDATE users SET freeleech_tokens = freeleech_tokens + $2,
              personal_freeleech_until = CASE WHEN $3::float8 IS NULL THEN personal_freeleech_until ELSE ${TS('$3::float8')} END,
              double_upload_until = CASE WHEN $4::float8 IS NULL THEN double_upload_until ELSE ${TS('$4::float8')} END
        WHERE id = $1`,
      [target.id, gift.tokens, fl, du],
    );
    const note = `from staff: ${gift.tokens} token(s), ${gift.freeleechHours} h freeleech, ${gift.doubleUploadHours} h double upload`;
    await logCredit(tx, { userId: target.id, kind: 'staff_gift', tokens: gift.tokens, note, at: now });
    await tx.query(
      `INSERT INTO moderation_log (actor_id, target_user_id, action, reason, details, created_at) VALUES ($1, $2, 'give_perks', $3, $4::jsonb, ${TS('$5::float8')})`,
      [actor.id, target.id, reason, JSON.stringify({ ...gift, freeleechUntil: dateOf(fl)?.toISOString() ?? null, doubleUploadUntil: dateOf(du)?.toISOString() ?? null }), now],
    );
  });
  await app.tracker.syncMember(target.id);
}
