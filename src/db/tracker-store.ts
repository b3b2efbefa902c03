// The tracker's persistence, writing (loading at start: tracker-load.ts): one ledger
// batch in ONE transaction of multi-row statements (unnest arrays), so a peer's persisted
// baseline (appended to the peer journal, peer-journal.ts) and the credit computed from it
// (members' totals and daily traffic in the member journal, member-journal.ts; per release in
// the transfer journal, transfer-journal.ts) commit together (exactly-once across kill -9).
// A backlog comes in bounded parts (ledger-split.ts); release counts apart (writeReleaseCounts).
// Totals are added, never overwritten: the web and admin side edit them too.
import type { LedgerBatch, ReleaseCounts, SnatchRow } from '../tracker/core/ledger.js';
import type { SqlDriver, SqlLane, SqlTx } from './driver.js';
import { claimBatch } from './ledger-batches.js';
import { journalMembers } from './member-journal.js';
import { journalPeers } from './peer-journal.js';
import { journalTransfers } from './transfer-journal.js';
import { RecentIps, type IpSighting } from './recent-ips.js';
import { literal, TS } from './sql-arrays.js';

/**
 * Rows per statement. A flush at peak holds tens of thousands of rows; building one
 * statement's parameters for all of them would hold the event loop, and announces waiting
 * behind it would see that as latency. In chunks, announces are served while
 * each statement runs (PGlite answers from its worker thread, Postgres from its own process).
 * Not smaller: every statement is a round trip that, at peak, also waits its turn behind
 * announces, and the flush must keep up (lag target). One transaction holds every chunk.
 */
export const FLUSH_CHUNK_ROWS = 2500;

/** The flush's transactions let pages go first on PGlite's one connection (pglite-lanes.ts). */
const BACKGROUND: SqlLane = { background: true };

function* chunksOf<T>(rows: readonly T[]): Generator<T[]> {
  for (let i = 0; i < rows.length; i += FLUSH_CHUNK_ROWS) yield rows.slice(i, i + FLUSH_CHUNK_ROWS);
}

/** [from, to) row ranges of a columnar table (ledger.ts), FLUSH_CHUNK_ROWS at a time. */
function* rangesOf(size: number): Generator<[number, number]> {
  for (let from = 0; from < size; from += FLUSH_CHUNK_ROWS) yield [from, Math.min(size, from + FLUSH_CHUNK_ROWS)];
}

/** Journal rows a batch appends (one per FLUSH_CHUNK_ROWS entries of each journal): what the checkpoint will have to apply. */
export function journalRowsOf(batch: LedgerBatch): number {
  const rows = (n: number): number => Math.ceil(n / FLUSH_CHUNK_ROWS);
  return rows(batch.daily.size) + rows(batch.peerRows.length) + rows(batch.transfers.size);
}

/**
 * Returns the number of new snatches per release (releases.snatched was raised by them), or
 * null when this batch had already committed (a retry after a lost acknowledgement: skipped).
 */
export async function flushLedgerBatch(sql: SqlDriver, batch: LedgerBatch, recentIps = new RecentIps(), now = Date.now()): Promise<Map<number, number> | null> {
  const sightings = new Map<string, IpSighting>();
  const snatched = await sql.transaction(async (tx) => {
    if (!(await claimBatch(tx, batch.id, now))) return null;
    return writeBatchRows(tx, batch, recentIps, sightings);
  }, BACKGROUND);
  if (snatched !== null) recentIps.remember([...sightings.values()]);
  return snatched;
}

/**
 * A batch's rows inside the caller's transaction, after the caller claimed its idempotency
 * key (a batch id here, stream entry ids in the shared mode: src/shared/stream-drainer.ts).
 * Returns the new snatches per release; the addresses seen go into `sightings`.
 */
export async function writeBatchRows(tx: SqlTx, batch: LedgerBatch, recentIps: RecentIps, sightings: Map<string, IpSighting>): Promise<Map<number, number>> {
  // members' totals and daily traffic both come from the daily rows (member-journal.ts)
  for (const [from, to] of rangesOf(batch.daily.size)) await journalMembers(tx, batch.daily, from, to);
  for (const chunk of chunksOf(batch.peerRows)) {
    await journalPeers(tx, chunk);
    recentIps.pickInto(chunk, sightings);
  }
  for (const [from, to] of rangesOf(batch.transfers.size)) await journalTransfers(tx, batch.transfers, from, to);
  const added = new Map<number, number>();
  for (const chunk of chunksOf([...batch.snatches.values()])) {
    for (const [releaseId, n] of await flushSnatches(tx, chunk)) added.set(releaseId, (added.get(releaseId) ?? 0) + n);
  }
  for (const chunk of chunksOf([...sightings.values()])) await flushUserIps(tx, chunk);
  return added;
}

/** Snatches once per (user, release); releases.snatched rises only for new rows. */
async function flushSnatches(tx: SqlTx, s: readonly SnatchRow[]): Promise<Map<number, number>> {
  const added = new Map<number, number>();
  const rows = await tx.query<{ release_id: number; n: unknown }>(
    `WITH ins AS (
       INSERT INTO snatches (user_id, release_id, completed_at)
       SELECT d.user_id, d.release_id, ${TS('d.at')}
         FROM unnest($1::int[], $2::int[], $3::float8[]) AS d(user_id, release_id, at)
         JOIN users u ON u.id = d.user_id JOIN releases r ON r.id = d.release_id
       ON CONFLICT (user_id, release_id) DO NOTHING
       RETURNING release_id
     ), counted AS (SELECT release_id, count(*)::int AS n FROM ins GROUP BY release_id)
     UPDATE releases AS r SET snatched = r.snatched + c.n FROM counted c WHERE r.id = c.release_id
     RETURNING r.id AS release_id, c.n`,
    [literal(s.map((r) => r.userId)), literal(s.map((r) => r.releaseId)), literal(s.map((r) => r.at))],
  );
  for (const row of rows) added.set(row.release_id, Number(row.n));
  return added;
}

/**
 * Release counts apart from the credit: absolute values, so whatever is not written is written
 * later or rebuilt at start. A short transaction of at most FLUSH_CHUNK_ROWS rows per call: a
 * count change rewrites every browse index of the row, and a million in one was >0.5 GB of log.
 */
export async function writeReleaseCounts(sql: SqlDriver, r: readonly ReleaseCounts[]): Promise<void> {
  if (r.length > FLUSH_CHUNK_ROWS) throw new RangeError(`writeReleaseCounts takes at most ${FLUSH_CHUNK_ROWS} rows`);
  await sql.transaction((tx) => updateReleaseCounts(tx, r), BACKGROUND);
}

async function updateReleaseCounts(tx: SqlTx, r: readonly ReleaseCounts[]): Promise<void> {
  await tx.query(
    `UPDATE releases AS r SET seeders = d.s, leechers = d.l
       FROM unnest($1::int[], $2::int[], $3::int[]) AS d(id, s, l)
      WHERE r.id = d.id AND (r.seeders <> d.s OR r.leechers <> d.l)`,
    [literal(r.map((x) => x.releaseId)), literal(r.map((x) => x.seeders)), literal(r.map((x) => x.leechers))],
  );
}

/** The addresses members announced from (user_ips, source 'tracker'; staff pages). */
async function flushUserIps(tx: SqlTx, sightings: readonly IpSighting[]): Promise<void> {
  await tx.query(
    `INSERT INTO user_ips AS x (user_id, ip, source, first_seen, last_seen)
     SELECT d.user_id, d.ip, 'tracker', ${TS('d.first')}, ${TS('d.last')}
       FROM unnest($1::int[], $2::text[], $3::float8[], $4::float8[]) AS d(user_id, ip, first, last)
       JOIN users u ON u.id = d.user_id
     ON CONFLICT (user_id, ip, source) DO UPDATE SET last_seen = GREATEST(x.last_seen, EXCLUDED.last_seen)`,
    [literal(sightings.map((s) => s.userId)), literal(sightings.map((s) => s.ip)), literal(sightings.map((s) => s.first)), literal(sightings.map((s) => s.last))],
  );
}

/**
 * Forgets baselines older than the retention. A scan of peers every 6 hours: the column is
 * deliberately not indexed, so that the per-announce row updates stay HOT.
 */
export async function purgeOldPeers(sql: SqlDriver, options: { now: number; retentionMs: number }): Promise<number> {
  const rows = await sql.query<{ n: number }>(
    `WITH gone AS (DELETE FROM peers WHERE last_announce_at < ${TS('$1::float8')} RETURNING 1) SELECT count(*)::int AS n FROM gone`,
    [options.now - options.retentionMs],
  );
  return rows[0]?.n ?? 0;
}
