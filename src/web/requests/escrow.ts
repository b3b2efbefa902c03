// Requests with bounties: creating one (the bounty is taken from the requester's credited
// upload at once), adding to a bounty, and filling one. Each runs in one transaction that
// locks the request and the member's row first, with its credit log row, so parallel requests
// can neither overdraw a member nor change a request that has moved on.
// docs/members-and-staff.md#requests-and-bounties
import type { FastifyInstance } from 'fastify';
import type { SqlTx } from '../../db/driver.js';
import { AppError } from '../../errors.js';
import { englishOf, type StoredText } from '../../i18n/stored-text.js';
import { bountyRefusal, fillRefusal, type RequestState, type RequestStatus } from '../../policy/economy/bounty.js';
import { classNamed } from '../../policy/economy/user-classes.js';
import { MIB } from '../../policy/ratio-table.js';
import { lockMember, logCredit } from '../shop/credit-log.js';

const TS = (p: string) => `(to_timestamp(${p} / 1000.0) AT TIME ZONE 'UTC')`;

export interface RequestInput {
  name: string;
  categoryId: number;
  description: string;
  links: string;
  bounty: bigint;
}

export interface Actor {
  id: number;
  staff: boolean;
}

/** The request's row, locked for the rest of the transaction. */
export async function lockRequest(tx: SqlTx, id: number): Promise<(RequestState & { id: number; bounty: bigint; name: string; releaseId: number | null }) | null> {
  const [row] = await tx.query<{ requester_id: number | null; status: RequestStatus; filler_id: number | null; filled_ms: number | null; bounty: bigint | string; name: string; release_id: number | null }>(
    `SELECT requester_id, status, filler_id, (extract(epoch FROM filled_at) * 1000)::float8 AS filled_ms, bounty, name, release_id
       FROM requests WHERE id = $1 FOR UPDATE`,
    [id],
  );
  if (!row) return null;
  return {
    id, requesterId: row.requester_id, status: row.status, fillerId: row.filler_id, name: row.name, releaseId: row.release_id,
    filledAt: row.filled_ms === null ? null : new Date(Number(row.filled_ms)), bounty: BigInt(row.bounty),
  };
}

/** Takes `amount` from the member's credited upload (or refuses), records their share and the log row. */
async function escrow(tx: SqlTx, app: FastifyInstance, userId: number, requestId: number, amount: bigint, now: number): Promise<void> {
  const member = await lockMember(tx, userId);
  if (!member) throw AppError.notFound('users.noSuchMember');
  const minimum = BigInt(app.settings.get('requestMinBountyMiB')) * BigInt(MIB);
  const refusal = bountyRefusal(amount, minimum, member.uploaded);
  if (refusal) throw AppError.conflict(refusal.key, 'bounty', refusal.params);
  await tx.query('UPDATE users SET uploaded = uploaded - $2::int8 WHERE id = $1', [userId, String(amount)]);
  await tx.query(`INSERT INTO request_bounties (request_id, user_id, amount, created_at) VALUES ($1, $2, $3::int8, ${TS('$4::float8')})`, [requestId, userId, String(amount), now]);
  await tx.query('UPDATE requests SET bounty = bounty + $2::int8 WHERE id = $1', [requestId, String(amount)]);
  await logCredit(tx, { userId, kind: 'bounty_escrow', bytes: -amount, requestId, note: 'bounty held in escrow', at: now });
}

export async function createRequest(options: { app: FastifyInstance; actor: Actor; input: RequestInput }): Promise<number> {
  const { app, actor, input } = options;
  const now = app.clock.now();
  const me = await app.db.prisma.user.findUniqueOrThrow({ where: { id: actor.id }, select: { userClass: true } });
  const cls = classNamed(app.settings.get('userClasses'), me.userClass);
  if (!cls.mayRequest && !actor.staff) throw AppError.forbidden('requests.errors.classMayNot', { name: cls.name });
  return app.db.sql.transaction(async (tx) => {
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO requests (requester_id, name, category_id, description, links, created_at) VALUES ($1, $2, $3, $4, $5, ${TS('$6::float8')}) RETURNING id`,
      [actor.id, input.name, input.categoryId, input.description, input.links, now],
    );
    await escrow(tx, app, actor.id, row.id, input.bounty, now);
    return row.id;
  });
}

export async function addBounty(options: { app: FastifyInstance; actor: Actor; requestId: number; amount: bigint }): Promise<void> {
  const { app, actor, requestId, amount } = options;
  const now = app.clock.now();
  await app.db.sql.transaction(async (tx) => {
    const request = await lockRequest(tx, requestId);
    if (!request) throw AppError.notFound('requests.errors.noSuchRequest');
    if (request.status !== 'open') throw AppError.conflict('requests.errors.bountyNotOpen', 'bounty');
    await escrow(tx, app, actor.id, requestId, amount, now);
  });
}

export async function fillRequest(options: { app: FastifyInstance; actor: Actor; requestId: number; releaseId: number }): Promise<void> {
  const { app, actor, requestId, releaseId } = options;
  const now = app.clock.now();
  await app.db.sql.transaction(async (tx) => {
    const request = await lockRequest(tx, requestId);
    if (!request) throw AppError.notFound('requests.errors.noSuchRequest');
    const [release] = await tx.query<{ deleted: boolean }>('SELECT deleted_at IS NOT NULL AS deleted FROM releases WHERE id = $1', [releaseId]);
    const refusal = fillRefusal(request, actor, release ?? null);
    if (refusal) throw AppError.conflict(refusal.key, 'release', refusal.params);
    await tx.query(`UPDATE requests SET status = 'filled', filler_id = $2, release_id = $3, filled_at = ${TS('$4::float8')} WHERE id = $1`, [requestId, actor.id, releaseId, now]);
    if (request.requesterId !== null) {
      await noticeIn(tx, request.requesterId, 'request', { key: 'notices.text.requestFilled', params: { name: request.name } }, `/requests/${requestId}`, now);
    }
  });
}

/** addNotices for a raw SQL transaction. */
export async function noticeIn(tx: SqlTx, userId: number, kind: string, text: StoredText, link: string, now: number): Promise<void> {
  await tx.query(
    `INSERT INTO notices (user_id, kind, body, text_key, text_params, link, created_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6, ${TS('$7::float8')})`,
    [userId, kind, englishOf(text).slice(0, 500), text.key, JSON.stringify(text.params), link, now],
  );
}
