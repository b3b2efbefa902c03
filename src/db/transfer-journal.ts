// The transfer journal, the peer journal's twin (peer-journal.ts, docs/accounting.md "The
// peer journal"): each ledger flush appends its per-(member, release) deltas (traffic, seed
// time, state, completion) to `transfer_journal` in the batch's own transaction instead of
// upserting a `transfers` row each; the checkpoint adds them up per (member, release), applies
// the sums to `transfers` and deletes what it applied in the same transaction (a part of the
// journal at a time, journal-checkpoint.ts), so every delta is applied exactly once. Members'
// totals and daily traffic are still written by every flush.
import type { TransferRows } from '../tracker/core/ledger.js';
import type { SqlTx } from './driver.js';
import { journalPart, type Applied, type JournalPart } from './journal-part.js';
import { columnLiteral, flagLiteral, nullableLiteral, trafficLiterals, TS } from './sql-arrays.js';

/** Appends rows [from, to) of a batch's transfers to the journal (inside the batch's transaction). */
export async function journalTransfers(tx: SqlTx, t: TransferRows, from: number, to: number): Promise<void> {
  await tx.query(
    `INSERT INTO transfer_journal (user_ids, release_ids, uploaded, downloaded, uploaded_actual, downloaded_actual, seedtime, seeding, leeching, announced_at, completed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      columnLiteral(t.keyA, from, to),
      columnLiteral(t.keyB, from, to),
      ...trafficLiterals(t, from, to),
      columnLiteral(t.seedtime, from, to),
      flagLiteral(t, from, to, (row) => t.seeding(row)),
      flagLiteral(t, from, to, (row) => t.leeching(row)),
      columnLiteral(t.lastAnnounceAt, from, to),
      nullableLiteral(t.completedAt, from, to),
    ],
  );
}

/** Sums of int8 deltas saturate like the ledger's own additions rather than fail the checkpoint. */
const SUM8 = (column: string) => `LEAST(sum(${column}), 9223372036854775807)::int8`;

/**
 * Applies the journal (the whole, or a part: journal-part.ts) to `transfers` and deletes the
 * rows it applied. Traffic and seed time add up (so parts add up to the whole); seeding/leeching
 * are the latest entry's (a later part's overwrite an earlier's); the first and last announce
 * the earliest and latest; completion the earliest, never replacing a stored one.
 */
export async function applyTransferJournal(tx: SqlTx, part?: JournalPart): Promise<Applied> {
  const { where, params } = journalPart('transfer_journal', part);
  const rows = await tx.query<{ n: number; taken: number; last: string | null }>(
    `WITH j AS (DELETE FROM transfer_journal ${where} RETURNING *),
     d AS (
       SELECT d.*, j.seq
         FROM j, unnest(j.user_ids::int[], j.release_ids::int[], j.uploaded::int8[], j.downloaded::int8[], j.uploaded_actual::int8[],
                        j.downloaded_actual::int8[], j.seedtime::int[], j.seeding::bool[], j.leeching::bool[], j.announced_at::float8[],
                        j.completed_at::float8[]) WITH ORDINALITY
              AS d(user_id, release_id, up, down, up_a, down_a, seedtime, seeding, leeching, at, done, n)
     ),
     s AS (
       SELECT user_id, release_id, ${SUM8('up')} AS up, ${SUM8('down')} AS down, ${SUM8('up_a')} AS up_a, ${SUM8('down_a')} AS down_a,
              LEAST(sum(seedtime), 2147483647)::int AS seedtime, min(at) AS first_at, max(at) AS last_at, min(done) AS done,
              (array_agg(seeding ORDER BY seq DESC, n DESC))[1] AS seeding, (array_agg(leeching ORDER BY seq DESC, n DESC))[1] AS leeching
         FROM d GROUP BY user_id, release_id
     ),
     w AS (
       INSERT INTO transfers AS t (user_id, release_id, uploaded, downloaded, uploaded_actual, downloaded_actual, seedtime, seeding, leeching,
                                   first_announce_at, last_announce_at, completed_at)
       SELECT s.user_id, s.release_id, s.up, s.down, s.up_a, s.down_a, s.seedtime, s.seeding, s.leeching,
              ${TS('s.first_at')}, ${TS('s.last_at')}, CASE WHEN s.done IS NULL THEN NULL ELSE ${TS('s.done')} END
         FROM s JOIN users u ON u.id = s.user_id JOIN releases r ON r.id = s.release_id
       ON CONFLICT (user_id, release_id) DO UPDATE SET
         uploaded = t.uploaded + EXCLUDED.uploaded, downloaded = t.downloaded + EXCLUDED.downloaded,
         uploaded_actual = t.uploaded_actual + EXCLUDED.uploaded_actual, downloaded_actual = t.downloaded_actual + EXCLUDED.downloaded_actual,
         seedtime = t.seedtime + EXCLUDED.seedtime, seeding = EXCLUDED.seeding, leeching = EXCLUDED.leeching,
         last_announce_at = GREATEST(t.last_announce_at, EXCLUDED.last_announce_at), completed_at = COALESCE(t.completed_at, EXCLUDED.completed_at)
       RETURNING 1
     )
     SELECT count(*)::int AS n, (SELECT count(*) FROM j)::int AS taken, (SELECT max(seq) FROM j)::text AS last FROM w`,
    params,
  );
  return { written: rows[0]?.n ?? 0, taken: rows[0]?.taken ?? 0, last: rows[0]?.last ?? null };
}
