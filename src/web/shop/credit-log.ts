// The credit log (the `credit_log` table): one row per movement of points, upload credit,
// tokens or invites outside the tracker, written in the transaction that moves it, so the
// member's history always matches their balance. Amounts are signed: what the member gained.
import type { SqlTx } from '../../db/driver.js';

export const CREDIT_KINDS = ['shop', 'bonus_exchange', 'bounty_escrow', 'bounty_refund', 'bounty_payout', 'class_grant', 'token_spend', 'staff_gift'] as const;
export type CreditKind = (typeof CREDIT_KINDS)[number];

export interface CreditRow {
  userId: number;
  kind: CreditKind;
  item?: string | null;
  points?: number;
  bytes?: bigint;
  tokens?: number;
  invites?: number;
  requestId?: number | null;
  releaseId?: number | null;
  note?: string;
  at: number;
}

export async function logCredit(tx: SqlTx, row: CreditRow): Promise<void> {
  await tx.query(
    `INSERT INTO credit_log (user_id, kind, item, points, bytes, tokens, invites, request_id, release_id, note, created_at)
     VALUES ($1, $2, $3, $4, $5::int8, $6, $7, $8, $9, $10, (to_timestamp($11 / 1000.0) AT TIME ZONE 'UTC'))`,
    [row.userId, row.kind, row.item ?? null, row.points ?? 0, String(row.bytes ?? 0n), row.tokens ?? 0, row.invites ?? 0, row.requestId ?? null, row.releaseId ?? null, (row.note ?? '').slice(0, 300), row.at],
  );
}

/** Locks the member's row for the rest of the transaction: parallel spends queue behind it. */
export async function lockMember(tx: SqlTx, userId: number) {
  const [row] = await tx.query<{ bonus_points: number; freeleech_tokens: number; uploaded: bigint | string; pfl_ms: number | null; du_ms: number | null }>(
    `SELECT bonus_points, freeleech_tokens, uploaded,
            (extract(epoch FROM personal_freeleech_until) * 1000)::float8 AS pfl_ms, (extract(epoch FROM double_upload_until) * 1000)::float8 AS du_ms
       FROM users WHERE id = $1 FOR UPDATE`,
    [userId],
  );
  if (!row) return null;
  return {
    bonusPoints: Number(row.bonus_points),
    freeleechTokens: Number(row.freeleech_tokens),
    uploaded: BigInt(row.uploaded),
    personalFreeleechUntil: dateOf(row.pfl_ms),
    doubleUploadUntil: dateOf(row.du_ms),
  };
}

export const dateOf = (ms: number | string | null): Date | null => (ms === null ? null : new Date(Number(ms)));
