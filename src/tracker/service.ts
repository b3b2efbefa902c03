// Glue between the tracker core (src/tracker/core, no database) and the database (src/db):
// loads the catalog and the persisted peers at start, flushes the ledger (flush.ts) on a timer
// and at shutdown, sweeps expired peers (service-timers.ts), takes the tracker policy the
// settings give it, and re-reads a member or release into the catalog when the web side or a
// job changed it.
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { loadTrackerPeers, loadTrackerState } from '../db/tracker-load.js';
import { catalogSync } from './catalog-sync.js';
import { reasonTable } from './reason-texts.js';
import { TrackerEngine, type TrackerStats } from './core/engine.js';
import { Catalog } from './core/catalog.js';
import { defaultPolicy, type TrackerPolicy } from './core/tracker-policy.js';
import type { TrackerCore } from './core/types.js';
import { createLedgerFlusher, type FlushHealth, type FlushListener } from './flush.js';
import { startServiceTimers } from './service-timers.js';

export type { FlushListener } from './flush.js';

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

export interface LiveCounts {
  seeders: number;
  leechers: number;
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
  /**
   * Writes pending deltas now, with every release count and the peer journal's checkpoint; a
   * failure keeps them pending (see health()) and rejects. `timer`: what the timer's flush
   * writes (counts and the checkpoint only when due).
   */
  flush(kind?: 'all' | 'timer'): Promise<void>;
  health(): TrackerHealth;
  setPolicy(update: PolicyUpdate): void;
  policy(): Readonly<TrackerPolicy>;
  /**
   * Totals of the live swarms. The shared mode has no swarm in the process: it answers with
   * the totals of the releases.seeders/leechers columns the drainer writes, as of its last pass.
   */
  stats(): TrackerStats;
  /** A release's live counts: the engine's in the memory mode, Redis's in the shared mode. */
  liveCounts(releaseId: number): Promise<LiveCounts>;
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

export interface TrackerServiceOptions {
  config: Config;
  db: Database;
  clock: Clock;
  log: FastifyBaseLogger;
}

const DAY_MS = 86_400_000;
/** How long stop() keeps flushing; what is left is recovered at the next start (docs/operations.md, "Stopping"). */
export const STOP_FLUSH_MS = 4_000;
/**
 * The whole shutdown's bound (src/server.ts): the flush above, the part under way at its
 * deadline, in-flight requests, closing the database. Past it the process exits 1 rather than
 * wait for a stuck database (what committed is safe, and the next start recovers the rest as
 * after a crash); Docker's stop_grace_period (docker-compose.yml, 10 s) is longer, so the
 * container is never killed first.
 */
export const SHUTDOWN_LIMIT_MS = 9_000;

export function createTrackerService(options: TrackerServiceOptions): TrackerService {
  const { config, db, clock, log } = options;
  const catalog = new Catalog();
  const policy = defaultPolicy(config);
  const retentionMs = config.peerRetentionDays * DAY_MS;
  const rulesUrl = `${config.baseUrl}/rules#clients`;
  const health: FlushHealth = { lastFlushAt: null, lastFlushError: null, failedFlushes: 0 };
  // the pending bound refuses announces only while the database is unreachable
  const flushesFailing = (): boolean => health.failedFlushes > 0;
  const engine = new TrackerEngine({ catalog, clock, policy, maxPendingDeltas: config.maxPendingDeltas, flushesFailing, retentionMs, rulesUrl, reasons: reasonTable() });
  const flusher = createLedgerFlusher({ engine, config, db, clock, log, health });
  let stopTimers = (): void => {};

  async function load(): Promise<void> {
    const started = performance.now();
    const state = await loadTrackerState(db.sql, { now: clock.now() });
    for (const user of state.users) catalog.setUser(user);
    for (const { snatched, seeders: _s, leechers: _l, ...release } of state.releases) {
      catalog.setRelease(release);
      engine.completed.set(release.id, snatched);
    }
    await loadTrackerPeers(db.sql, { now: clock.now(), retentionMs }, (peer) => engine.restorePeer(peer));
    queueStaleCounts(state.releases);
    const stats = engine.stats();
    const ms = Math.round(performance.now() - started);
    log.info({ users: state.users.length, releases: state.releases.length, peers: stats.peers, baselines: stats.baselines, ms }, 'tracker state loaded');
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

  return {
    catalog,
    core: engine,
    engine,
    async start() {
      await load();
      // the first pass is sized by what was loaded; later ones by the pass before
      const loaded = engine.stats();
      engine.lastSweepPass = loaded.peers + loaded.baselines;
      stopTimers = startServiceTimers({ engine, flusher, db, clock, log, flushIntervalMs: config.flushIntervalMs, retentionMs });
    },
    async stop() {
      stopTimers();
      // the flush under way too stops between two parts at the deadline
      flusher.stopAt(performance.now() + STOP_FLUSH_MS);
      try {
        await flusher.flush();
      } catch {
        log.error({ pending: engine.ledger.pending }, 'tracker stopped with unflushed deltas');
      }
      // nobody waits any more: what was not written is recovered at the next start
      flusher.releaseWaiters();
      const countsPending = engine.ledger.countsPending;
      const pending = engine.ledger.pending + flusher.dropped();
      if (pending + countsPending > 0) log.warn({ pending, countsPending }, 'tracker stopped with unflushed deltas; the next start recovers them');
    },
    flush: (kind = 'all') => flusher.flush(kind === 'all'),
    health: () => ({ pendingDeltas: engine.ledger.pending, maxPendingDeltas: config.maxPendingDeltas, ...health }),
    setPolicy(update) {
      Object.assign(policy, update);
    },
    policy: () => ({ ...policy }),
    stats: () => engine.stats(),
    liveCounts: (releaseId) => Promise.resolve(engine.countsOf(releaseId)),
    ...catalogSync(db.sql, catalog),
    onFlush: (listener) => flusher.onFlush(listener),
  };
}
