// Buy one item of the bonus shop. The member's row is locked first, so the balance, the limit
// per period and the purchase are read and written by one transaction at a time: parallel
// purchases can neither spend the points twice nor pass the limit. The purchase log is the
// credit log (kind `shop`, the item's key).
import type { FastifyInstance } from 'fastify';
import type { SqlTx } from '../../db/driver.js';
import { AppError } from '../../errors.js';
import { extendUntil } from '../../policy/economy/tokens.js';
import { describeItem, purchaseRefusal, type ShopItem } from '../../policy/economy/shop.js';
import { GIB } from '../../policy/ratio-table.js';
import { lockMember, logCredit } from './credit-log.js';

const DAY_MS = 86_400_000;
const TS = (p: string) => `(to_timestamp(${p} / 1000.0) AT TIME ZONE 'UTC')`;

async function boughtInPeriod(tx: SqlTx, userId: number, item: ShopItem, now: number): Promise<number> {
  const [row] = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM credit_log WHERE user_id = $1 AND kind = 'shop' AND item = $2 AND created_at > ${TS('$3::float8')}`,
    [userId, item.key, now - item.periodDays * DAY_MS],
  );
  return Number(row.n);
}

/** What the item adds, as the UPDATE's SET and the log row's amounts. */
function effectOf(item: ShopItem, member: { personalFreeleechUntil: Date | null; doubleUploadUntil: Date | null }, now: number) {
  switch (item.kind) {
    case 'upload': {
      const bytes = BigInt(Math.round(item.amount * GIB));
      return { set: 'uploaded = uploaded + $3::int8', value: String(bytes), log: { bytes } };
    }
    case 'token':
      return { set: 'freeleech_tokens = freeleech_tokens + $3::int', value: item.amount, log: { tokens: item.amount } };
    case 'invite':
      return { set: 'invites_left = invites_left + $3::int', value: item.amount, log: { invites: item.amount } };
    case 'personal_freeleech':
      return { set: `personal_freeleech_until = ${TS('$3::float8')}`, value: extendUntil(member.personalFreeleechUntil, now, item.amount).getTime(), log: {} };
    case 'double_upload':
      return { set: `double_upload_until = ${TS('$3::float8')}`, value: extendUntil(member.doubleUploadUntil, now, item.amount).getTime(), log: {} };
  }
}

export async function buyItem(options: { app: FastifyInstance; userId: number; key: string }): Promise<ShopItem> {
  const { app, userId } = options;
  const item = app.settings.get('shopItems').find((i) => i.key === options.key);
  if (!item) throw AppError.notFound('shop.noSuchItem');
  const now = app.clock.now();
  await app.db.sql.transaction(async (tx) => {
    const member = await lockMember(tx, userId);
    if (!member) throw AppError.notFound('users.noSuchMember');
    const refusal = purchaseRefusal(item, member.bonusPoints, await boughtInPeriod(tx, userId, item, now));
    if (refusal) throw AppError.conflict(refusal.key, undefined, refusal.params);
    const effect = effectOf(item, member, now);
    await tx.query(`UPDATE users SET bonus_points = bonus_points - $2, ${effect.set} WHERE id = $1`, [userId, item.price, effect.value]);
    await logCredit(tx, { userId, kind: 'shop', item: item.key, points: -item.price, ...effect.log, note: describeItem(item), at: now });
  });
  // personal freeleech and double upload are honoured from the member's next announce
  if (item.kind === 'personal_freeleech' || item.kind === 'double_upload') await app.tracker.syncMember(userId);
  return item;
}
