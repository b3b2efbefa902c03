// Settling a request: the requester (or staff, after the delay) confirms a fill and the filler
// receives the whole bounty; a wrong fill is rejected and the request opens again; an open
// request is withdrawn and every contributor gets their part back. One transaction each, the
// request locked first, so a bounty is paid or returned exactly once.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { confirmRefusal, refundsOf, rejectRefusal, withdrawRefusal } from '../../policy/economy/bounty.js';
import { logCredit } from '../shop/credit-log.js';
import { lockRequest, noticeIn, type Actor } from './escrow.js';

const TS = (p: string) => `(to_timestamp(${p} / 1000.0) AT TIME ZONE 'UTC')`;

export async function confirmFill(options: { app: FastifyInstance; actor: Actor; requestId: number }): Promise<bigint> {
  const { app, actor, requestId } = options;
  const now = app.clock.now();
  return app.db.sql.transaction(async (tx) => {
    const request = await lockRequest(tx, requestId);
    if (!request) throw AppError.notFound('requests.errors.noSuchRequest');
    const refusal = confirmRefusal(request, actor, now, app.settings.get('requestConfirmDays'));
    if (refusal) throw new AppError(request.status === 'filled' ? 403 : 409, refusal.key, undefined, refusal.params);
    await tx.query(`UPDATE requests SET status = 'done', closed_at = ${TS('$2::float8')} WHERE id = $1`, [requestId, now]);
    if (request.fillerId !== null) {
      await tx.query('UPDATE users SET uploaded = uploaded + $2::int8 WHERE id = $1', [request.fillerId, String(request.bounty)]);
      await logCredit(tx, { userId: request.fillerId, kind: 'bounty_payout', bytes: request.bounty, requestId, releaseId: request.releaseId, note: request.name.slice(0, 200), at: now });
      await noticeIn(tx, request.fillerId, 'request', { key: 'notices.text.fillConfirmed', params: { name: request.name } }, `/requests/${requestId}`, now);
    }
    return request.bounty;
  });
}

export async function rejectFill(options: { app: FastifyInstance; actor: Actor; requestId: number }): Promise<void> {
  const { app, actor, requestId } = options;
  const now = app.clock.now();
  await app.db.sql.transaction(async (tx) => {
    const request = await lockRequest(tx, requestId);
    if (!request) throw AppError.notFound('requests.errors.noSuchRequest');
    const refusal = rejectRefusal(request, actor);
    if (refusal) throw new AppError(request.status === 'filled' ? 403 : 409, refusal.key, undefined, refusal.params);
    await tx.query(`UPDATE requests SET status = 'open', filler_id = NULL, release_id = NULL, filled_at = NULL WHERE id = $1`, [requestId]);
    if (request.fillerId !== null) await noticeIn(tx, request.fillerId, 'request', { key: 'notices.text.fillRejected', params: { name: request.name } }, `/requests/${requestId}`, now);
  });
}

export async function withdrawRequest(options: { app: FastifyInstance; actor: Actor; requestId: number }): Promise<void> {
  const { app, actor, requestId } = options;
  const now = app.clock.now();
  await app.db.sql.transaction(async (tx) => {
    const request = await lockRequest(tx, requestId);
    if (!request) throw AppError.notFound('requests.errors.noSuchRequest');
    const refusal = withdrawRefusal(request, actor);
    if (refusal) throw new AppError(request.status === 'open' ? 403 : 409, refusal.key, undefined, refusal.params);
    const parts = await tx.query<{ user_id: number; amount: bigint | string }>('SELECT user_id, amount FROM request_bounties WHERE request_id = $1', [requestId]);
    for (const [userId, amount] of refundsOf(parts.map((p) => ({ userId: p.user_id, amount: BigInt(p.amount) })))) {
      await tx.query('UPDATE users SET uploaded = uploaded + $2::int8 WHERE id = $1', [userId, String(amount)]);
      await logCredit(tx, { userId, kind: 'bounty_refund', bytes: amount, requestId, note: request.name.slice(0, 200), at: now });
    }
    await tx.query(`UPDATE requests SET status = 'withdrawn', closed_at = ${TS('$2::float8')} WHERE id = $1`, [requestId, now]);
  });
}
