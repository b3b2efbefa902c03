// Batch ids of the ledger flush (table ledger_batches): what makes a flush retried after a
// lost COMMIT acknowledgement apply its deltas at most once (src/db/tracker-store.ts).
import type { SqlDriver, SqlTx } from './driver.js';

/** TIMESTAMP(3) columns hold UTC; parameters are epoch milliseconds. */
const TS = (param: string) => `(to_timestamp(${param} / 1000.0) AT TIME ZONE 'UTC')`;

/** How long a committed batch id is remembered: a batch in doubt is retried within seconds. */
export const BATCH_ID_RETENTION_MS = 86_400_000;

/**
 * The first statement of a batch's transaction. False: this batch already committed (an
 * earlier attempt whose acknowledgement was lost), skip it. On PostgreSQL the insert waits
 * while an earlier attempt is still running on another connection, then conflicts if that
 * one committed and goes ahead if it rolled back.
 */
export async function claimBatch(tx: SqlTx, id: string, at: number): Promise<boolean> {
  const rows = await tx.query(
    `INSERT INTO ledger_batches (id, committed_at) VALUES ($1::uuid, ${TS('$2::float8')}) ON CONFLICT (id) DO NOTHING RETURNING 1 AS claimed`,
    [id, at],
  );
  return rows.length === 1;
}

/** Forgets batch ids older than the retention (with the 6-hourly peer purge). */
export async function purgeOldBatches(sql: SqlDriver, options: { now: number }): Promise<number> {
  const rows = await sql.query<{ n: number }>(
    `WITH gone AS (DELETE FROM ledger_batches WHERE committed_at < ${TS('$1::float8')} RETURNING 1) SELECT count(*)::int AS n FROM gone`,
    [options.now - BATCH_ID_RETENTION_MS],
  );
  return rows[0]?.n ?? 0;
}

/** releases.snatched as stored: a skipped batch's snatches were counted by its first attempt. */
export async function snatchCounts(sql: SqlDriver, releaseIds: number[]): Promise<Map<number, number>> {
  const rows = await sql.query<{ id: number; snatched: number }>('SELECT id, snatched FROM releases WHERE id = ANY($1::int[])', [releaseIds]);
  return new Map(rows.map((row) => [row.id, Number(row.snatched)]));
}
