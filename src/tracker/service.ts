// Glue between the tracker core (src/tracker, no database) and the database (src/db):
// loads the catalog and the persisted peers at start, flushes the ledger on a timer and at
// shutdown, sweeps expired peers, takes the tracker policy the settings give it, and
// re-reads a member or release into the catalog when the web side or a job changed it.
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { purgeOldBatches, snatchCounts } from '../db/ledger-batches.js';
import { RecentIps } from '../db/recent-ips.js';
import { BoundaryWaits, type WaitGroup } from './boundary-waits.js';
import { createCheckpointer } from '../db/checkpointer.js';
import { reasonTable } from './reason-texts.js';
import { flushLedgerBatch, FLUSH_CHUNK_ROWS, loadTrackerRelease, loadTrackerState, loadTrackerUser, purgeOldPeers, writeReleaseCounts } from '../db/tracker-store.js';
import { TrackerEngine, type TrackerStats } from './core/engine.js';
import type { LedgerBatch } from './core/ledger.js';
import { Catalog } from './core/catalog.js';
import { splitBatch } from './core/ledger-split.js';
import { defaultPolicy, type TrackerPolicy } from './core/tracker-policy.js';
import type { TrackerCore } from './core/types.js';

export interface TrackerHealth {
  /** ledger entries waiting for the database */
  pendingDeltas: number;
  /** announces are refused once pendingDeltas reaches this while flushes fail */
  maxPendingDeltas: number;
  lastFlushAt: string | null;
  /** null once a flush succeeded again */
  lastFlushError: string | null;
  /** consecutive failed flushes */
  failedFlushes: number;
}

/** checked values (src/settings.ts checks them before they get here) */
export type PolicyUpdate = Partial<TrackerPolicy>;

export interface TrackerService {
  catalog: Catalog;
  core: TrackerCore;
  /** the engine behind `core` (sweeps, stats, restore); for tests and tools */
  engine: TrackerEngine;
  start(): Promise<void>;
  /** stops the timers and flushes what is pending; called on shutdown */
  stop(): Promise<void>;
  /** writes pending deltas now; a failure keeps them pending (see health()) and rejects */
  flush(): Promise<void>;
  health(): TrackerHealth;
  setPolicy(update: PolicyUpdate): void;
  policy(): Readonly<TrackerPolicy>;
  stats(): TrackerStats;
  /**
   * Catalog sync: call after changing a member (passkey, enabled, download right) or a
   * release (upload, edit, freeleech, deletion). Re-reads the row, so the next announce
   * sees it; a row that no longer exists is forgotten.
   */
  syncMember(id: number): Promise<void>;
  syncRelease(id: number): Promise<void>;
  /** called after each flush that wrote (or tried to write) something: its duration, success */
  onFlush(listener: FlushListener): void;
}

export type FlushListener = (seconds: number, ok: boolean) => void;

export interface TrackerServiceOptions {
  config: Config;
  db: Database;
  clock: Clock;
  log: FastifyBaseLogger;
}

const DAY_MS = 86_400_000;
const PURGE_MS = 6 * 3_600_000;
/**
 * The expiry sweep runs in slices (TrackerEngine.sweepSome): one every SWEEP_TICK_MS, each
 * sized so that a pass over every peer takes about SWEEP_PASS_MS, but announces never wait
 * behind more than a slice, however many peers there are. A small tracker's whole swarm set
 * fits in one slice.
 */
const SWEEP_TICK_MS = 100;
const SWEEP_PASS_MS = 50_000;
const SWEEP_MIN_SLICE = 200;
/**
 * How long a session-boundary reply waits for its flush before it is sent anyway (database
 * away: the deltas stay pending in memory, exact once it is back, but not across a kill -9
 * meanwhile). Clients time an announce out after 15 s (UDP, BEP 15) or more (HTTP).
 */
export const BOUNDARY_WAIT_MS = 2000;

/** Peers per slice: the last pass's size spread over SWEEP_PASS_MS. */
export function sweepBudget(lastPassPeers: number): number {
  return Math.max(SWEEP_MIN_SLICE, Math.ceil(lastPassPeers / (SWEEP_PASS_MS / SWEEP_TICK_MS)));
}

/**
 * Ledger entries per flush transaction. A flush takes everything pending, and a backlog
 * (a burst, a downtime) is written in parts of this size one after another (ledger-split.ts),
 * so no transaction writes more than a few tens of megabytes of log and the stop path can
 * end between two parts.
 */
export const FLUSH_PART_ENTRIES = 25_000;
/** Release counts written per timer flush at most: a backlog of them (a start after a long downtime) must not hold the credit back. */
const COUNTS_PER_FLUSH = 20 * FLUSH_CHUNK_ROWS;
/** How long stop() keeps flushing; what is left is recovered at the next start (docs/operations.md, "Stopping"). */
export const STOP_FLUSH_MS = 5_000;
/**
 * The whole shutdown's bound (src/server.ts): the flush above, in-flight requests, closing
 * the database. Past it the process exits 1 rather than wait for a stuck database; Docker's
 * stop_grace_period (docker-compose.yml) is longer, so the container is never killed mid-flush.
 */
export const SHUTDOWN_LIMIT_MS = 15_000;
/** PGlite: a checkpoint once this much write-ahead log was written, or any was and CHECKPOINT_MS passed (src/db/checkpointer.ts). */
const CHECKPOINT_WAL_BYTES = 64 * 1024 * 1024;
const CHECKPOINT_MS = 60_000;
const CHECKPOINT_TICK_MS = 5_000;

export function createTrackerService(options: TrackerServiceOptions): TrackerService {
  const { config, db, clock, log } = options;
  const catalog = new Catalog();
  const policy = defaultPolicy(config);
  const retentionMs = config.peerRetentionDays * DAY_MS;
  const rulesUrl = `${config.baseUrl}/rules#clients`;
  const health = { lastFlushAt: null as string | null, lastFlushError: null as string | null, failedFlushes: 0 };
  // the pending bound refuses announces only while the database is unreachable
  const flushesFailing = (): boolean => health.failedFlushes > 0;
  const engine = new TrackerEngine({ catalog, clock, policy, maxPendingDeltas: config.maxPendingDeltas, flushesFailing, retentionMs, rulesUrl, reasons: reasonTable() });
  const timers: NodeJS.Timeout[] = [];
  let flushing: Promise<void> | null = null;
  const recentIps = new RecentIps();
  const flushListeners: FlushListener[] = [];
  const tellFlush = (started: number, ok: boolean) => {
    for (const listener of flushListeners) listener((performance.now() - started) / 1000, ok);
  };
  // Real time, not `clock`: these bound how long the process works, whatever the tracker's clock says.
  let flushDeadline = Infinity;
  let stopped = false;
  const checkpointer = createCheckpointer(db.sql, {
    walBytes: CHECKPOINT_WAL_BYTES,
    intervalMs: CHECKPOINT_MS,
    now: () => performance.now(),
    onCheckpoint: (info) => log.debug({ walBytes: Number(info.walBytes), ms: Math.round(info.ms) }, 'database checkpoint'),
  });
  const checkpoint = (): Promise<void> =>
    checkpointer.maybeCheckpoint().catch((err: unknown) => log.warn({ err }, 'database checkpoint failed'));

  // Release counts follow a flush's credit at most every countsIntervalMs (see Ledger.take):
  // browse shows them up to that much late, the details page's peer list is not.
  let countsDueAt = 0;
  const countsOf = (id: number) => engine.countsOf(id);

  // Session-boundary replies wait for their flush (docs/accounting.md): the first of a group
  // asks for an early one; groups whose batch failed wait until a flush writes everything.
  let earlyFlushQueued = false;
  const waits = new BoundaryWaits(BOUNDARY_WAIT_MS, () => {
    if (earlyFlushQueued || stopped) return;
    earlyFlushQueued = true;
    setImmediate(() => {
      earlyFlushQueued = false;
      if (!stopped) flush(false).catch(() => {}); // logged in writeBatch
    });
  });
  engine.waitForFlush = () => (stopped ? Promise.resolve() : waits.wait());
  const heldGroups: WaitGroup[] = [];
  const releaseHeld = (): void => {
    for (const group of heldGroups.splice(0)) group.resolve();
  };

  /**
   * A batch in doubt (its earlier attempt failed, maybe after committing) is written again,
   * under its id, before anything newer; then everything pending, in parts of
   * FLUSH_PART_ENTRIES (one transaction each, each with its own id); then the due release
   * counts. Stops between two parts at flushDeadline (stop()), giving the rest back.
   */
  async function flushOnce(withCounts: boolean, allCounts: boolean): Promise<void> {
    const ledger = engine.ledger;
    const doubtful = ledger.inDoubt;
    if (doubtful !== null) await writeBatch(doubtful);
    if (ledger.fresh === 0 && !(withCounts && ledger.countsPending > 0)) return releaseHeld();
    const group = waits.take();
    if (group) heldGroups.push(group);
    const parts = splitBatch(ledger.take(null), FLUSH_PART_ENTRIES);
    const countIds = withCounts ? takeCounts(allCounts ? Infinity : COUNTS_PER_FLUSH) : [];
    let written = 0;
    try {
      for (; written < parts.length && performance.now() < flushDeadline; written++) {
        await writeBatch(parts[written]);
        await checkpoint();
      }
    } catch (error) {
      // the failed part is held in doubt; the parts after it never ran
      for (const part of parts.slice(written + 1)) ledger.restore(part);
      for (const id of countIds) ledger.touchRelease(id);
      if (withCounts) countsDueAt = 0; // still due: the next flush that succeeds writes them
      throw error;
    }
    for (const part of parts.slice(written)) ledger.restore(part); // past the deadline: left for the next start
    if (written === parts.length) releaseHeld();
    await writeCounts(countIds);
  }

  /** One attempt at one batch; a failure holds it in doubt, and rejects. */
  async function writeBatch(batch: LedgerBatch): Promise<void> {
    const started = performance.now();
    try {
      const snatched = await flushLedgerBatch(db.sql, batch, recentIps, clock.now());
      engine.ledger.settle();
      if (snatched === null) await reloadCompleted(batch);
      else for (const [releaseId, n] of snatched) engine.completed.set(releaseId, (engine.completed.get(releaseId) ?? 0) + n);
      health.lastFlushAt = new Date(clock.now()).toISOString();
      if (health.lastFlushError) log.info({ pending: engine.ledger.pending }, 'tracker ledger flushed again after failures');
      health.lastFlushError = null;
      health.failedFlushes = 0;
      tellFlush(started, true);
    } catch (error) {
      engine.ledger.hold(batch);
      health.lastFlushError = error instanceof Error ? error.message : String(error);
      health.failedFlushes++;
      log.warn({ err: error, pending: engine.ledger.pending, failures: health.failedFlushes }, 'tracker ledger flush failed; deltas kept in memory');
      tellFlush(started, false);
      throw error;
    }
  }

  /** The batch had committed before (its acknowledgement was lost): take its snatch counts as stored. */
  async function reloadCompleted(batch: LedgerBatch): Promise<void> {
    log.info({ batch: batch.id }, 'ledger batch was already committed; not applied again');
    const releaseIds = [...new Set([...batch.snatches.values()].map((s) => s.releaseId))];
    if (releaseIds.length === 0) return;
    for (const [releaseId, n] of await snatchCounts(db.sql, releaseIds)) engine.completed.set(releaseId, n);
  }

  /**
   * Up to `limit` of the releases whose counts are waiting, taken with the credit (releases
   * touched later wait for the next turn). A backlog left keeps the counts due, so it is
   * worked off over the next flushes; otherwise the next are due an interval from now.
   */
  function takeCounts(limit: number): number[] {
    const ids = engine.ledger.takeReleases(limit);
    if (engine.ledger.countsPending === 0 || ids.length < limit) countsDueAt = clock.now() + config.countsIntervalMs;
    return ids;
  }

  /** Their live counts, FLUSH_CHUNK_ROWS per transaction; what is not written stays pending. */
  async function writeCounts(ids: number[]): Promise<void> {
    try {
      while (ids.length > 0 && performance.now() < flushDeadline) {
        const chunk = ids.slice(0, FLUSH_CHUNK_ROWS);
        await writeReleaseCounts(db.sql, chunk.map((releaseId) => ({ releaseId, ...countsOf(releaseId) })));
        ids.splice(0, chunk.length);
        await checkpoint();
      }
    } finally {
      for (const id of ids) engine.ledger.touchRelease(id);
    }
  }

  /**
   * One flush at a time: a caller arriving mid-flush waits for it, then flushes the rest.
   * A flush asked for (shutdown, tests, tools) writes everything; the timer's (allCounts
   * false) writes release counts only when they are due.
   */
  async function flush(allCounts = true): Promise<void> {
    while (flushing) await flushing.catch(() => {});
    // decided only now: a tick that waited behind a slow flush must not write counts again
    flushing = flushOnce(allCounts || clock.now() >= countsDueAt, allCounts);
    try {
      await flushing;
    } finally {
      flushing = null;
    }
  }

  async function load(): Promise<void> {
    const state = await loadTrackerState(db.sql, { now: clock.now(), retentionMs });
    for (const user of state.users) catalog.setUser(user);
    for (const { snatched, seeders: _s, leechers: _l, ...release } of state.releases) {
      catalog.setRelease(release);
      engine.completed.set(release.id, snatched);
    }
    for (const peer of state.peers) engine.restorePeer(peer);
    queueStaleCounts(state.releases);
    const stats = engine.stats();
    log.info({ users: state.users.length, releases: state.releases.length, peers: stats.peers, baselines: stats.baselines }, 'tracker state loaded');
  }

  /**
   * Release rows whose counts differ from the swarms just rebuilt get written by the first
   * flush: counts commit on their own cadence, after the peer rows, so a kill -9 in between
   * leaves a row counting a peer that had stopped; peers that expired while the tracker was
   * down are in no row's count either. Without this a quiet release kept the wrong count.
   */
  function queueStaleCounts(releases: readonly { id: number; seeders: number; leechers: number }[]): void {
    for (const release of releases) {
      const live = engine.countsOf(release.id);
      if (live.seeders !== release.seeders || live.leechers !== release.leechers) engine.ledger.touchRelease(release.id);
    }
  }

  /**
   * The timer's flushes: one FLUSH_INTERVAL_MS after the last one started, or at once when it
   * took longer (flushes run back to back while the tracker is behind, each taking everything
   * pending); after a failure, a full interval later.
   */
  function scheduleFlush(wait: number): void {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.splice(timers.indexOf(timer), 1);
      const started = performance.now();
      flush(false).then(
        () => scheduleFlush(Math.max(0, config.flushIntervalMs - (performance.now() - started))),
        () => scheduleFlush(config.flushIntervalMs),
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

  return {
    catalog,
    core: engine,
    engine,
    async start() {
      await load();
      // the first pass is sized by what was loaded; later ones by the pass before
      const loaded = engine.stats();
      engine.lastSweepPass = loaded.peers + loaded.baselines;
      scheduleFlush(config.flushIntervalMs);
      every(CHECKPOINT_TICK_MS, checkpoint);
      let swept = { expired: 0, forgotten: 0 };
      every(SWEEP_TICK_MS, () => {
        if (!engine.sweepSome(sweepBudget(engine.lastSweepPass), swept)) return;
        if (swept.expired + swept.forgotten > 0) log.debug(swept, 'tracker sweep');
        swept = { expired: 0, forgotten: 0 };
      });
      every(PURGE_MS, async () => {
        const purged = await purgeOldPeers(db.sql, { now: clock.now(), retentionMs }).catch((err: unknown) => {
          log.warn({ err }, 'purging old peer rows failed');
          return 0;
        });
        if (purged > 0) log.info({ purged }, 'old peer baselines purged');
        // not while a batch is in doubt: its id must stay to be recognised when it is retried
        if (engine.ledger.inDoubt === null) await purgeOldBatches(db.sql, { now: clock.now() }).catch((err: unknown) => log.warn({ err }, 'purging old ledger batch ids failed'));
      });
    },
    async stop() {
      stopped = true;
      for (const timer of timers.splice(0)) clearInterval(timer);
      // the flush under way too stops between two parts at the deadline
      flushDeadline = performance.now() + STOP_FLUSH_MS;
      try {
        await flush();
      } catch {
        log.error({ pending: engine.ledger.pending }, 'tracker stopped with unflushed deltas');
      }
      // nobody waits any more: what was not written is recovered at the next start
      waits.releaseAll();
      releaseHeld();
      const { pending, countsPending } = engine.ledger;
      if (pending + countsPending > 0) log.warn({ pending, countsPending }, 'tracker stopped with unflushed deltas; the next start recovers them');
    },
    flush,
    health: () => ({ pendingDeltas: engine.ledger.pending, maxPendingDeltas: config.maxPendingDeltas, ...health }),
    setPolicy(update) {
      Object.assign(policy, update);
    },
    policy: () => ({ ...policy }),
    stats: () => engine.stats(),
    async syncMember(id) {
      const user = await loadTrackerUser(db.sql, id);
      if (user) catalog.setUser(user);
      else catalog.removeUser(id);
    },
    async syncRelease(id) {
      const release = await loadTrackerRelease(db.sql, id);
      if (release) catalog.setRelease(release);
      else catalog.removeRelease(id);
    },
    onFlush: (listener) => void flushListeners.push(listener),
  };
}
