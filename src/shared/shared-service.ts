// The tracker service of the shared mode (REDIS_URL, docs/scaling.md): the same contract as the
// memory mode's (src/tracker/service.ts), but the swarms live in Redis (RedisPeerStore) and the
// credit reaches the database through the stream drainer, not the memory flush loop. Each
// process keeps its own catalog (members, releases) in memory, loaded at start and kept current
// by the catalog sync (CATALOG_NOTIFY carries changes made in other processes).
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { loadTrackerState } from '../db/tracker-load.js';
import { catalogSync } from '../tracker/catalog-sync.js';
import { Catalog } from '../tracker/core/catalog.js';
import { TrackerEngine } from '../tracker/core/engine.js';
import { SharedTrackerCore } from '../tracker/core/shared-core.js';
import { defaultPolicy } from '../tracker/core/tracker-policy.js';
import type { FlushHealth, FlushListener } from '../tracker/flush.js';
import { reasonTable } from '../tracker/reason-texts.js';
import { STOP_FLUSH_MS, type TrackerService, type TrackerServiceOptions } from '../tracker/service.js';
import { RedisPeerStore } from './redis-peer-store.js';
import type { RedisClient } from './redis-connect.js';
import { createSharedStats } from './shared-stats.js';
import { startSharedTimers } from './shared-timers.js';
import { createStreamDrainer } from './stream-drainer.js';

const DAY_MS = 86_400_000;
/** a pending entry idle this long belongs to a process presumed dead: another one takes it over */
const CLAIM_IDLE_MS = 30_000;

export interface SharedTrackerService extends TrackerService {
  core: SharedTrackerCore;
  store: RedisPeerStore;
}

export function createSharedTrackerService(options: TrackerServiceOptions & { redis: RedisClient }): SharedTrackerService {
  const { config, db, clock, log, redis } = options;
  const catalog = new Catalog();
  const policy = defaultPolicy(config);
  const retentionMs = config.peerRetentionDays * DAY_MS;
  const store = new RedisPeerStore(redis, { prefix: config.redisPrefix, shards: config.redisShards });
  const core = new SharedTrackerCore({ catalog, clock, policy, store, rulesUrl: `${config.baseUrl}/rules#clients`, reasons: reasonTable() });
  // no peers live here: the contract's engine stays empty; counts come from sharedStats
  const engine = new TrackerEngine({ catalog, clock, policy, maxPendingDeltas: config.maxPendingDeltas, retentionMs });
  const consumer = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const drainer = createStreamDrainer({ store, sql: db.sql, consumer, claimIdleMs: CLAIM_IDLE_MS, now: () => clock.now() });
  const sharedStats = createSharedStats({ store, sql: db.sql });
  const health: FlushHealth = { lastFlushAt: null, lastFlushError: null, failedFlushes: 0 };
  const listeners: FlushListener[] = [];
  let refreshed: Promise<void> = Promise.resolve();
  let stopTimers = async (): Promise<void> => {};

  function noteDrain(seconds: number, ok: boolean, error?: unknown): void {
    if (ok) {
      Object.assign(health, { lastFlushAt: new Date(clock.now()).toISOString(), lastFlushError: null, failedFlushes: 0 });
      refreshed = sharedStats.refresh().catch((err: unknown) => log.warn({ err }, 'site totals not refreshed; the next drain retries'));
    } else Object.assign(health, { lastFlushError: error instanceof Error ? error.message : 'stream drain failed', failedFlushes: health.failedFlushes + 1 });
    for (const listener of listeners) listener(seconds, ok);
  }

  async function drainNow(): Promise<void> {
    const started = performance.now();
    try {
      await drainer.drainOnce();
      noteDrain((performance.now() - started) / 1000, true);
      await refreshed;
    } catch (error) {
      noteDrain((performance.now() - started) / 1000, false, error);
      throw error;
    }
  }

  async function load(): Promise<void> {
    const state = await loadTrackerState(db.sql, { now: clock.now() });
    for (const user of state.users) catalog.setUser(user);
    for (const { snatched, seeders: _s, leechers: _l, ...release } of state.releases) {
      catalog.setRelease(release);
      core.completed.set(release.id, snatched);
    }
    log.info({ users: state.users.length, releases: state.releases.length, consumer }, 'tracker catalog loaded (shared mode: swarms in Redis)');
  }

  return {
    catalog,
    core,
    engine,
    store,
    async start() {
      await load();
      await drainer.prepare();
      await sharedStats.refresh();
      stopTimers = startSharedTimers({ store, drainer, sql: db.sql, clock, log, policy, drainEveryMs: config.flushIntervalMs, retentionMs, onDrain: noteDrain });
    },
    async stop() {
      // the drain under way ends, then one more pass credits what this process's clients
      // announced last; past the deadline (a database or Redis away) the entries stay in
      // Redis for another process or the next start
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_FLUSH_MS)));
      const last = (async () => {
        await stopTimers();
        await drainer.drainOnce().catch((err: unknown) => log.warn({ err }, 'last stream drain failed; another process or the next start drains it'));
      })();
      await Promise.race([last, deadline]);
      clearTimeout(timer);
    },
    flush: () => drainNow(),
    health: () => ({ pendingDeltas: 0, maxPendingDeltas: config.maxPendingDeltas, ...health }),
    setPolicy(update) {
      Object.assign(policy, update);
    },
    policy: () => ({ ...policy }),
    stats: () => sharedStats.current(),
    liveCounts: (releaseId) => sharedStats.liveCounts(releaseId),
    ...catalogSync(db.sql, catalog),
    onFlush: (listener) => void listeners.push(listener),
  };
}
