// Glue between the tracker core (src/tracker, no database) and the database (src/db):
// loads the catalog and the persisted peers at start, flushes the ledger on a timer and at
// shutdown, sweeps expired peers, takes the tracker policy the settings give it, and
// re-reads a member or release into the catalog when the web side or a job changed it.
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { purgeOldBatches, snatchCounts } from './db/ledger-batches.js';
import { RecentIps } from './db/recent-ips.js';
import { BoundaryWaits, type WaitGroup } from './boundary-waits.js';
import { flushLedgerBatch, loadTrackerRelease, loadTrackerState, loadTrackerUser, purgeOldPeers } from './db/tracker-store.js';
import { TrackerEngine, type TrackerStats } from './tracker/announce.js';
import type { LedgerBatch } from './tracker/ledger.js';
import { Catalog } from './tracker/catalog.js';
import { defaultPolicy, type TrackerPolicy } from './tracker/policy.js';
import type { TrackerCore } from './tracker/types.js';

export interface TrackerHealth {
  /** ledger entries waiting for the database */
  pendingDeltas: number;
  /** announces are refused once pendingDeltas reaches this */
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
 * sized so that a pass over every peer takes about SWEEP_PASS_MS, as the one-minute sweep
 * did, but announces never wait behind more than a slice: 600 peers at 300k peers (~0.1 ms
 * in-process), 2,000 at 1M. A small tracker's whole swarm set fits in one slice.
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

export function createTrackerService(options: TrackerServiceOptions): TrackerService {
  const { config, db, clock, log } = options;
  const catalog = new Catalog();
  const policy = defaultPolicy(config);
  const retentionMs = config.peerRetentionDays * DAY_MS;
  const rulesUrl = `${config.baseUrl}/rules#clients`;
  const engine = new TrackerEngine({ catalog, clock, policy, maxPendingDeltas: config.maxPendingDeltas, retentionMs, rulesUrl });
  const timers: NodeJS.Timeout[] = [];
  const health = { lastFlushAt: null as string | null, lastFlushError: null as string | null, failedFlushes: 0 };
  let flushing: Promise<void> | null = null;
  const recentIps = new RecentIps();
  const flushListeners: FlushListener[] = [];
  const tellFlush = (started: number, ok: boolean) => {
    for (const listener of flushListeners) listener((performance.now() - started) / 1000, ok);
  };

  // Release counts ride along with a flush at most every countsIntervalMs (see Ledger.take):
  // browse shows them up to that much late, the details page's peer list is not.
  let countsDueAt = 0;
  const countsOf = (id: number) => engine.countsOf(id);

  // Session-boundary replies wait for their flush (docs/accounting.md): the first of a group
  // asks for an early one; a group taken by a batch that failed waits for its retry.
  let earlyFlushQueued = false;
  let stopped = false;
  const waits = new BoundaryWaits(BOUNDARY_WAIT_MS, () => {
    if (earlyFlushQueued || stopped) return;
    earlyFlushQueued = true;
    setImmediate(() => {
      earlyFlushQueued = false;
      if (!stopped) flush(false).catch(() => {}); // logged in writeBatch
    });
  });
  engine.waitForFlush = () => (stopped ? Promise.resolve() : waits.wait());
  let heldGroup: WaitGroup | null = null;

  /**
   * A batch in doubt (its earlier attempt failed, maybe after committing) is written again,
   * under its id, before anything newer; then what is pending, as a new batch.
   */
  async function flushOnce(withCounts: boolean): Promise<void> {
    const ledger = engine.ledger;
    const doubtful = ledger.inDoubt;
    if (doubtful !== null) await writeBatch(doubtful, heldGroup);
    if (ledger.fresh === 0 && !(withCounts && ledger.countsPending > 0)) return;
    const batch = ledger.take(withCounts ? countsOf : null);
    await writeBatch(batch, waits.take());
    if (withCounts) countsDueAt = clock.now() + config.countsIntervalMs;
  }

  /** One attempt; a failure holds the batch (and its waiting replies) in doubt, and rejects. */
  async function writeBatch(batch: LedgerBatch, group: WaitGroup | null): Promise<void> {
    const started = performance.now();
    try {
      const snatched = await flushLedgerBatch(db.sql, batch, recentIps, clock.now());
      engine.ledger.settle();
      if (snatched === null) await reloadCompleted(batch);
      else for (const [releaseId, n] of snatched) engine.completed.set(releaseId, (engine.completed.get(releaseId) ?? 0) + n);
      heldGroup = null;
      group?.resolve();
      health.lastFlushAt = new Date(clock.now()).toISOString();
      if (health.lastFlushError) log.info({ pending: engine.ledger.pending }, 'tracker ledger flushed again after failures');
      health.lastFlushError = null;
      health.failedFlushes = 0;
      tellFlush(started, true);
    } catch (error) {
      engine.ledger.hold(batch);
      heldGroup = group;
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
   * One flush at a time: a caller arriving mid-flush waits for it, then flushes the rest.
   * A flush asked for (shutdown, tests, tools) writes everything; the timer's (allCounts
   * false) writes release counts only when they are due.
   */
  async function flush(allCounts = true): Promise<void> {
    while (flushing) await flushing.catch(() => {});
    // decided only now: a tick that waited behind a slow flush must not write counts again
    flushing = flushOnce(allCounts || clock.now() >= countsDueAt);
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
      every(config.flushIntervalMs, () => flush(false));
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
      for (const timer of timers.splice(0)) clearInterval(timer);
      try {
        await flush();
      } catch {
        log.error({ pending: engine.ledger.pending }, 'tracker stopped with unflushed deltas');
      }
      stopped = true;
      waits.releaseAll();
      heldGroup?.resolve();
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
