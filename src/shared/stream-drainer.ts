// The shared mode's books (docs/scaling.md): the deltas the announce script appended to each
// shard's stream are written into the database exactly once, by whichever process is alive.
//
// - Every process reads through one consumer group, so an entry is handed to one consumer.
// - The entry ids go into ledger_stream_entries in the same transaction as the credit: an
//   entry applied before (a process killed after COMMIT and before XACK, or a COMMIT whose
//   acknowledgement was lost) is found there and skipped, so it is never credited twice.
// - XACK and XDEL only after the COMMIT: an entry is never dropped before its credit is in.
// - Entries a dead consumer held are taken over with XAUTOCLAIM once idle for `claimIdleMs`.
import { randomUUID } from 'node:crypto';
import type { SqlDriver, SqlTx } from '../db/driver.js';
import { RecentIps, type IpSighting } from '../db/recent-ips.js';
import { literal, TS } from '../db/sql-arrays.js';
import { applyMemberJournal } from '../db/member-journal.js';
import { applyPeerJournal } from '../db/peer-journal.js';
import { writeBatchRows, writeReleaseCounts } from '../db/tracker-store.js';
import { applyTransferJournal } from '../db/transfer-journal.js';
import { batchOf, fieldsOf, type StreamFields } from './stream-batch.js';
import type { RedisPeerStore } from './redis-peer-store.js';

export interface DrainerOptions {
  store: RedisPeerStore;
  sql: SqlDriver;
  /** this process's name in the consumer group (unique per process) */
  consumer: string;
  group?: string;
  /** entries per transaction */
  batchSize?: number;
  /** a pending entry idle this long belongs to a consumer presumed dead */
  claimIdleMs: number;
  now?: () => number;
}

export interface DrainReport {
  /** entries credited by this pass */
  applied: number;
  /** entries found already credited (their earlier drain committed) */
  skipped: number;
}

export interface StreamDrainer {
  /** Creates the consumer group on every shard's stream (idempotent). */
  prepare(): Promise<void>;
  /** One pass over every stream: this consumer's pending entries, idle ones of others, new ones. */
  drainOnce(): Promise<DrainReport>;
  /**
   * Drains every `intervalMs` (a pass that fails is logged and retried at the next one: its
   * entries stay pending) and returns the function that stops it, which resolves once a pass
   * under way has ended. The timer is unref'd. `onPass`: each pass's duration and success.
   */
  start(intervalMs: number, log: { warn(details: object, message: string): void }, onPass?: (seconds: number, ok: boolean) => void): () => Promise<void>;
}

type Entry = [id: string, fields: string[] | null];

export function createStreamDrainer(options: DrainerOptions): StreamDrainer {
  const { store, sql, consumer } = options;
  const group = options.group ?? 'seedkeep';
  const count = options.batchSize ?? 1000;
  const now = options.now ?? Date.now;
  const redis = store.redis;
  const recentIps = new RecentIps();

  async function prepare(): Promise<void> {
    for (const key of store.streamKeys()) {
      await redis.xgroup('CREATE', key, group, '0', 'MKSTREAM').catch((err: Error) => {
        if (!err.message.includes('BUSYGROUP')) throw err;
      });
    }
  }

  async function read(key: string, from: '0' | '>'): Promise<Entry[]> {
    const reply = (await redis.xreadgroup('GROUP', group, consumer, 'COUNT', count, 'STREAMS', key, from)) as [string, Entry[]][] | null;
    return reply?.[0]?.[1] ?? [];
  }

  async function claimIdle(key: string): Promise<Entry[]> {
    const reply = (await redis.xautoclaim(key, group, consumer, options.claimIdleMs, '0-0', 'COUNT', count)) as [string, Entry[], string[]?];
    return reply[1];
  }

  async function apply(key: string, entries: Entry[]): Promise<DrainReport> {
    const live = entries.filter((entry): entry is [string, string[]] => entry[1] !== null);
    const sightings = new Map<string, IpSighting>();
    let touched: number[] = [];
    const applied = await sql.transaction(async (tx) => {
      const fresh = await claimEntries(tx, key, live.map(([id]) => id), now());
      const chosen = live.filter(([id]) => fresh.has(id)).map(([, list]) => fieldsOf(list));
      if (chosen.length === 0) return 0;
      await writeBatchRows(tx, batchOf(randomUUID(), chosen), recentIps, sightings);
      // no flush loop checkpoints the peer and transfer journals here: fold them in with the credit
      await applyPeerJournal(tx);
      await applyTransferJournal(tx);
      await applyMemberJournal(tx);
      touched = releasesOf(chosen);
      return chosen.length;
    });
    recentIps.remember([...sightings.values()]);
    await acknowledge(key, entries.map(([id]) => id));
    await writeCounts(touched);
    return { applied, skipped: live.length - applied };
  }

  /**
   * XACK and XDEL in one MULTI: a process killed between the two would leave entries acknowledged
   * but still in the stream, where no consumer reads them again (">" only hands out new ids).
   */
  async function acknowledge(key: string, ids: string[]): Promise<void> {
    const replies = await redis.multi().xack(key, group, ...ids).xdel(key, ...ids).exec();
    const failed = replies?.find(([err]) => err);
    if (!replies || failed) throw failed?.[0] ?? new Error('stream acknowledgement was discarded');
  }

  /** Release counts are absolute values read from Redis: written after the credit, any process. */
  async function writeCounts(releaseIds: number[]): Promise<void> {
    if (releaseIds.length === 0) return;
    const rows = await Promise.all(releaseIds.map(async (releaseId) => ({ releaseId, ...(await store.counts(releaseId)) })));
    await writeReleaseCounts(sql, rows);
  }

  async function drainStream(key: string, report: DrainReport): Promise<void> {
    for (const source of [() => read(key, '0'), () => claimIdle(key), () => read(key, '>')]) {
      for (;;) {
        const entries = await source();
        if (entries.length === 0) break;
        const done = await apply(key, entries);
        report.applied += done.applied;
        report.skipped += done.skipped;
        if (entries.length < count) break;
      }
    }
  }

  async function drainOnce(): Promise<DrainReport> {
    const report = { applied: 0, skipped: 0 };
    for (const key of store.streamKeys()) await drainStream(key, report);
    return report;
  }

  function start(intervalMs: number, log: { warn(details: object, message: string): void }, onPass?: (seconds: number, ok: boolean) => void): () => Promise<void> {
    let stopped = false;
    let timer: NodeJS.Timeout | null = null;
    let running: Promise<void> = Promise.resolve();
    const tick = (): void => {
      const started = performance.now();
      running = drainOnce()
        .then(
          () => onPass?.((performance.now() - started) / 1000, true),
          (err: unknown) => {
            log.warn({ err }, 'stream drain failed; its entries stay pending');
            onPass?.((performance.now() - started) / 1000, false);
          },
        )
        .finally(() => {
          if (stopped) return;
          timer = setTimeout(tick, intervalMs);
          timer.unref();
        });
    };
    timer = setTimeout(tick, intervalMs);
    timer.unref();
    return async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    };
  }

  return { prepare, drainOnce, start };
}

/** The ids not credited before, now recorded as credited (in the caller's transaction). */
async function claimEntries(tx: SqlTx, stream: string, ids: string[], at: number): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx.query<{ entry_id: string }>(
    `INSERT INTO ledger_stream_entries (stream, entry_id, committed_at)
     SELECT $1, id, ${TS('$3::float8')} FROM unnest($2::text[]) AS id
     ON CONFLICT (stream, entry_id) DO NOTHING RETURNING entry_id`,
    [stream, literal(ids), at],
  );
  return new Set(rows.map((row) => row.entry_id));
}

function releasesOf(entries: StreamFields[]): number[] {
  return [...new Set(entries.map((e) => Number(e.r)))];
}

/** Forgets credited entry ids older than `retentionMs` (a pending entry is drained long before). */
export async function purgeStreamEntries(sql: SqlDriver, options: { now: number; retentionMs: number }): Promise<number> {
  const rows = await sql.query<{ n: number }>(
    `WITH gone AS (DELETE FROM ledger_stream_entries WHERE committed_at < ${TS('$1::float8')} RETURNING 1) SELECT count(*)::int AS n FROM gone`,
    [options.now - options.retentionMs],
  );
  return rows[0]?.n ?? 0;
}
