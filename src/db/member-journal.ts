// The member journal, the peer and transfer journals' sibling (docs/accounting.md, "The
// journals"): each ledger flush appends its per-(member, UTC day) credit to `member_journal`
// in the batch's own transaction, one row per chunk with each column as an array literal,
// instead of updating a `users` row and upserting a `traffic_daily` row per member. On a
// steady load nearly every member has a delta in every flush, so those two row writes (and
// the index entries of every non-HOT `users` version) were most of the database's work per
// announce. The checkpoint adds the sums up per member and per (member, day), applies them
// and deletes what it applied, in one transaction, so every byte is credited exactly once.
//
// A member's totals are the sum of their daily rows: the ledger adds every credited delta to
// both (src/tracker/core/ledger.ts), so the daily rows alone carry both.
import type { TrafficRows } from '../tracker/core/ledger.js';
import type { SqlDriver, SqlTx } from './driver.js';
import { journalPart, type Applied, type JournalPart } from './journal-part.js';
import { columnLiteral, trafficLiterals } from './sql-arrays.js';

/** Appends rows [from, to) of a batch's daily traffic (member, UTC day number) to the journal. */
export async function journalMembers(tx: SqlTx, daily: TrafficRows, from: number, to: number): Promise<void> {
  await tx.query(
    `INSERT INTO member_journal (user_ids, days, uploaded, downloaded, uploaded_actual, downloaded_actual)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [columnLiteral(daily.keyA, from, to), columnLiteral(daily.keyB, from, to), ...trafficLiterals(daily, from, to)],
  );
}

/** Sums of int8 deltas saturate like the ledger's own additions rather than fail the checkpoint. */
const SUM8 = (column: string) => `LEAST(sum(${column}), 9223372036854775807)::int8`;

/**
 * Applies the whole journal and empties it; returns the members written. Totals are added to
 * the stored values (staff and the bonus exchange change them too). A daily row's
 * total_uploaded/total_downloaded are the member's credited totals as of the end of that day's
 * entries: the new totals less what later days in the same checkpoint added. A member deleted
 * meanwhile is skipped, not a failure that would stop every later checkpoint.
 */
export async function applyMemberJournal(tx: SqlTx, part?: JournalPart): Promise<Applied> {
  const { where, params } = journalPart('member_journal', part);
  const rows = await tx.query<{ n: number; taken: number; last: string | null }>(
    `WITH j AS (DELETE FROM member_journal ${where} RETURNING *),
     d AS (
       SELECT d.*
         FROM j, unnest(j.user_ids::int[], j.days::int[], j.uploaded::int8[], j.downloaded::int8[], j.uploaded_actual::int8[],
                        j.downloaded_actual::int8[]) AS d(user_id, day, up, down, up_a, down_a)
     ),
     s AS (
       SELECT user_id, day, ${SUM8('up')} AS up, ${SUM8('down')} AS down, ${SUM8('up_a')} AS up_a, ${SUM8('down_a')} AS down_a
         FROM d GROUP BY user_id, day
     ),
     m AS (
       SELECT user_id, ${SUM8('up')} AS up, ${SUM8('down')} AS down, ${SUM8('up_a')} AS up_a, ${SUM8('down_a')} AS down_a
         FROM s GROUP BY user_id
     ),
     u AS (
       UPDATE users AS u SET uploaded = u.uploaded + m.up, downloaded = u.downloaded + m.down,
              uploaded_actual = u.uploaded_actual + m.up_a, downloaded_actual = u.downloaded_actual + m.down_a
         FROM m WHERE u.id = m.user_id
       RETURNING u.id, u.uploaded, u.downloaded
     ),
     later AS (
       SELECT s.*, COALESCE(sum(s.up) OVER w, 0) AS later_up, COALESCE(sum(s.down) OVER w, 0) AS later_down
         FROM s WINDOW w AS (PARTITION BY s.user_id ORDER BY s.day DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
     ),
     t AS (
       INSERT INTO traffic_daily AS t (user_id, day, uploaded, downloaded, uploaded_actual, downloaded_actual, total_uploaded, total_downloaded)
       SELECT l.user_id, DATE '1970-01-01' + l.day, l.up, l.down, l.up_a, l.down_a,
              GREATEST(u.uploaded - l.later_up, 0)::int8, GREATEST(u.downloaded - l.later_down, 0)::int8
         FROM later l JOIN u ON u.id = l.user_id
       ON CONFLICT (user_id, day) DO UPDATE SET
         uploaded = t.uploaded + EXCLUDED.uploaded, downloaded = t.downloaded + EXCLUDED.downloaded,
         uploaded_actual = t.uploaded_actual + EXCLUDED.uploaded_actual, downloaded_actual = t.downloaded_actual + EXCLUDED.downloaded_actual,
         total_uploaded = EXCLUDED.total_uploaded, total_downloaded = EXCLUDED.total_downloaded
       RETURNING 1
     )
     SELECT count(*)::int AS n, (SELECT count(*) FROM j)::int AS taken, (SELECT max(seq) FROM j)::text AS last FROM u`,
    params,
  );
  return { written: rows[0]?.n ?? 0, taken: rows[0]?.taken ?? 0, last: rows[0]?.last ?? null };
}

/**
 * The member journal applied in a transaction of its own: for a reader that must see every
 * committed credit at once rather than up to a checkpoint interval late. Safe beside the
 * flusher's checkpoint: each journal row is deleted, and so applied, by one of them only.
 */
export async function applyMemberJournalNow(sql: SqlDriver): Promise<number> {
  return (await sql.transaction((tx) => applyMemberJournal(tx), { background: true })).written;
}

/**
 * A member's credited and actual upload as committed: the `users` row plus the journal's
 * entries not yet applied. For measuring how soon a flush makes credit durable (the bench),
 * where the checkpoint's cadence is not what is measured.
 */
export async function committedUpload(sql: Pick<SqlDriver, 'query'>, userId: number): Promise<{ uploaded: bigint; uploadedActual: bigint } | null> {
  const rows = await sql.query<{ up: string; up_a: string }>(
    `SELECT (u.uploaded + COALESCE(j.up, 0))::text AS up, (u.uploaded_actual + COALESCE(j.up_a, 0))::text AS up_a
       FROM users u LEFT JOIN (
         SELECT sum(d.up) AS up, sum(d.up_a) AS up_a
           FROM member_journal m, unnest(m.user_ids::int[], m.uploaded::int8[], m.uploaded_actual::int8[]) AS d(user_id, up, up_a)
          WHERE d.user_id = $1
       ) AS j ON true
      WHERE u.id = $1`,
    [userId],
  );
  return rows.length ? { uploaded: BigInt(rows[0].up), uploadedActual: BigInt(rows[0].up_a) } : null;
}
