// The tracker service's timers: the flush (back to back while behind), the PGlite checkpoint,
// the sliced expiry sweep (docs/architecture.md, "The sliced sweep") and the purge of peer rows
// and ledger batch ids past their retention. All unref'd: they never keep the process alive.
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import type { Database } from '../db/client.js';
import { purgeOldBatches } from '../db/ledger-batches.js';
import { purgeOldPeers } from '../db/tracker-store.js';
import type { TrackerEngine } from './core/engine.js';
import type { LedgerFlusher } from './flush.js';

const PURGE_MS = 6 * 3_600_000;
const CHECKPOINT_TICK_MS = 5_000;
/**
 * The expiry sweep runs in slices (TrackerEngine.sweepSome): one every SWEEP_TICK_MS, each
 * sized so that a pass over every peer takes about SWEEP_PASS_MS, but announces never wait
 * behind more than a slice, however many peers there are. A small tracker's whole swarm set
 * fits in one slice.
 */
const SWEEP_TICK_MS = 100;
const SWEEP_PASS_MS = 50_000;
const SWEEP_MIN_SLICE = 200;

/** Peers per slice: the last pass's size spread over SWEEP_PASS_MS. */
export function sweepBudget(lastPassPeers: number): number {
  return Math.max(SWEEP_MIN_SLICE, Math.ceil(lastPassPeers / (SWEEP_PASS_MS / SWEEP_TICK_MS)));
}

export interface ServiceTimersOptions {
  engine: TrackerEngine;
  flusher: LedgerFlusher;
  db: Database;
  clock: Clock;
  log: FastifyBaseLogger;
  flushIntervalMs: number;
  retentionMs: number;
}

/** Starts the timers; the returned function stops them (a flush under way schedules no other). */
export function startServiceTimers(options: ServiceTimersOptions): () => void {
  const { engine, flusher, db, clock, log, flushIntervalMs, retentionMs } = options;
  const timers: NodeJS.Timeout[] = [];
  let stopped = false;

  /**
   * The timer's flushes: one flushIntervalMs after the last one started, or at once when it
   * took longer (flushes run back to back while the tracker is behind, each taking everything
   * pending); after a failure, a full interval later.
   */
  function scheduleFlush(wait: number): void {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.splice(timers.indexOf(timer), 1);
      const started = performance.now();
      flusher.flush(false).then(
        () => scheduleFlush(Math.max(0, flushIntervalMs - (performance.now() - started))),
        () => scheduleFlush(flushIntervalMs),
      );
    }, wait);
    timer.unref();
    timers.push(timer);
  }

  function every(ms: number, task: () => Promise<unknown> | void): void {
    const timer = setInterval(() => {
      Promise.resolve()
        .then(task)
        .catch(() => {}); // failures are logged where they happen
    }, ms);
    timer.unref();
    timers.push(timer);
  }

  async function purge(): Promise<void> {
    const purged = await purgeOldPeers(db.sql, { now: clock.now(), retentionMs }).catch((err: unknown) => {
      log.warn({ err }, 'purging old peer rows failed');
      return 0;
    });
    if (purged > 0) log.info({ purged }, 'old peer baselines purged');
    // not while a batch is in doubt: its id must stay to be recognised when it is retried
    if (engine.ledger.inDoubt === null) await purgeOldBatches(db.sql, { now: clock.now() }).catch((err: unknown) => log.warn({ err }, 'purging old ledger batch ids failed'));
  }

  scheduleFlush(flushIntervalMs);
  every(CHECKPOINT_TICK_MS, flusher.checkpoint);
  let swept = { expired: 0, forgotten: 0 };
  every(SWEEP_TICK_MS, () => {
    if (!engine.sweepSome(sweepBudget(engine.lastSweepPass), swept)) return;
    if (swept.expired + swept.forgotten > 0) log.debug(swept, 'tracker sweep');
    swept = { expired: 0, forgotten: 0 };
  });
  every(PURGE_MS, purge);

  return () => {
    stopped = true;
    for (const timer of timers.splice(0)) clearInterval(timer);
  };
}
