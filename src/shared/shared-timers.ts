// The shared mode's chores (docs/scaling.md), in every process: the stream drainer on a timer
// (the consumer group gives each entry to one process, so all drain in parallel), and, under
// the advisory lock and recorded in job_runs (src/db/job-runs.ts) so that one process does
// them once per period between all, the expiry sweep of the swarms in Redis and the purge of
// old credited entry ids and peer rows.
// All timers unref'd; the returned stop resolves once a drain under way has ended.
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import { runRecorded } from '../db/job-runs.js';
import type { SqlDriver } from '../db/driver.js';
import { purgeOldPeers } from '../db/tracker-store.js';
import { expireBefore } from '../tracker/core/sweep.js';
import type { TrackerPolicy } from '../tracker/core/tracker-policy.js';
import type { RedisPeerStore } from './redis-peer-store.js';
import { purgeStreamEntries, type StreamDrainer } from './stream-drainer.js';

/** How often one process sweeps every shard: a silent peer lingers at most this past its expiry. */
export const SWEEP_EVERY_MS = 60_000;
const PURGE_EVERY_MS = 6 * 3_600_000;
/** a timer finds its chore due once this share of its period passed since any process ran it (timers drift) */
const DUE_SHARE = 0.9;
/**
 * Credited entry ids are kept this long: far longer than an entry can stay pending (a drainer
 * takes over a dead one's entries within a minute), so a late duplicate is still recognised.
 */
const ENTRY_RETENTION_MS = 7 * 86_400_000;

export interface SharedTimersOptions {
  store: RedisPeerStore;
  drainer: StreamDrainer;
  sql: SqlDriver;
  clock: Clock;
  log: FastifyBaseLogger;
  policy: Readonly<TrackerPolicy>;
  drainEveryMs: number;
  /** peer rows older than this are purged, ms */
  retentionMs: number;
  onDrain: (seconds: number, ok: boolean) => void;
}

/** Expires silent peers of every shard; returns how many, or null when another process holds or just ran the round. */
export async function sweepShared(options: Pick<SharedTimersOptions, 'store' | 'sql' | 'clock' | 'policy'>): Promise<number | null> {
  const { store, sql, clock, policy } = options;
  const round = await runRecorded(sql, 'redis-sweep', { now: clock.now(), everyMs: SWEEP_EVERY_MS * DUE_SHARE }, async () => {
    const cutoff = expireBefore(clock.now(), policy.announceInterval);
    let expired = 0;
    for (let shard = 0; shard < store.options.shards; shard++) expired += await store.sweepShard(shard, cutoff);
    return expired;
  });
  return round.ran ? round.value : null;
}

export function startSharedTimers(options: SharedTimersOptions): () => Promise<void> {
  const { sql, clock, log } = options;
  const stopDrain = options.drainer.start(options.drainEveryMs, log, options.onDrain);
  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, task: () => Promise<unknown>): void => {
    const timer = setInterval(() => void task().catch(() => {}), ms);
    timer.unref();
    timers.push(timer);
  };
  every(SWEEP_EVERY_MS, async () => {
    const expired = await sweepShared(options).catch((err: unknown) => log.warn({ err }, 'shared sweep failed; the next round retries'));
    if (expired) log.debug({ expired }, 'shared sweep');
  });
  every(PURGE_EVERY_MS, () =>
    runRecorded(sql, 'shared-purge', { now: clock.now(), everyMs: PURGE_EVERY_MS * DUE_SHARE }, async () => {
      const now = clock.now();
      const entries = await purgeStreamEntries(sql, { now, retentionMs: ENTRY_RETENTION_MS });
      const peers = await purgeOldPeers(sql, { now, retentionMs: options.retentionMs });
      if (entries + peers > 0) log.info({ entries, peers }, 'old credited entry ids and peer rows purged');
    }).catch((err: unknown) => log.warn({ err }, 'shared purge failed')),
  );
  return async () => {
    for (const timer of timers.splice(0)) clearInterval(timer);
    await stopDrain();
  };
}
