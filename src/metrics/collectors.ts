// The Prometheus registry: the tracker's counts (read from the tally and the service when
// Prometheus scrapes, by collect callbacks and custom metrics), the flush, the database pool,
// web request latency by route pattern, and Node's process, GC and event-loop metrics.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type Metric } from 'prom-client';
import type { Clock } from '../clock.js';
import type { Database } from '../db/client.js';
import type { TrackerService } from '../tracker-service.js';
import type { FastPath } from '../tracker/http-fast-path.js';
import { LATENCY_BUCKETS, OUTCOMES, TRANSPORTS, type TrackerTally } from './tracker-tally.js';

interface Sample {
  labels: Record<string, string>;
  value: number;
  metricName?: string;
}

/** A metric whose samples are computed at scrape time from our own counters. */
function computed(registry: Registry, name: string, help: string, type: 'counter' | 'histogram', samples: () => Sample[]): void {
  const metric = { name, help, type, aggregator: 'sum', get: async () => ({ name, help, type, aggregator: 'sum', values: samples() }) };
  registry.registerMetric(metric as unknown as Metric);
}

function countSamples(counts: Float64Array): Sample[] {
  const out: Sample[] = [];
  TRANSPORTS.forEach((transport, t) =>
    OUTCOMES.forEach((outcome, o) => {
      const value = counts[t * OUTCOMES.length + o];
      if (value > 0 || outcome === 'ok') out.push({ labels: { transport, outcome }, value });
    }),
  );
  return out;
}

function latencySamples(tally: TrackerTally, name: string): Sample[] {
  const out: Sample[] = [];
  TRANSPORTS.forEach((transport, t) => {
    const histogram = tally.latency[t];
    let cumulative = 0;
    [...LATENCY_BUCKETS, Infinity].forEach((bound, i) => {
      cumulative += histogram.buckets[i];
      out.push({ metricName: `${name}_bucket`, labels: { transport, le: bound === Infinity ? '+Inf' : String(bound) }, value: cumulative });
    });
    out.push({ metricName: `${name}_sum`, labels: { transport }, value: histogram.sum });
    out.push({ metricName: `${name}_count`, labels: { transport }, value: histogram.count });
  });
  return out;
}

export interface CollectorDeps {
  tally: TrackerTally;
  tracker: TrackerService;
  db: Database;
  clock: Clock;
  fastPath: () => FastPath | null;
}

function trackerMetrics(registry: Registry, deps: CollectorDeps): void {
  const { tally, tracker, clock } = deps;
  computed(registry, 'seedkeep_tracker_announces_total', 'Announces answered by the tracker core, by transport and outcome (ok, warned, or the refusal class)', 'counter', () => countSamples(tally.announces));
  computed(registry, 'seedkeep_tracker_scrapes_total', 'Scrapes answered by the tracker core, by transport and outcome', 'counter', () => countSamples(tally.scrapes));
  computed(registry, 'seedkeep_tracker_announce_duration_seconds', 'Time the tracker core spent on one announce (parsing and sockets excluded)', 'histogram', () => latencySamples(tally, 'seedkeep_tracker_announce_duration_seconds'));
  computed(registry, 'seedkeep_tracker_fast_path_connections_total', 'HTTP connections whose first request the announce fast path answered, or handed to Node\'s server', 'counter', () => {
    const fast = deps.fastPath();
    return fast ? [{ labels: { path: 'answered' }, value: fast.answered }, { labels: { path: 'handed_over' }, value: fast.handedOver }] : [];
  });
  new Gauge({
    name: 'seedkeep_tracker_peers', help: 'Active peers, by state', labelNames: ['state'], registers: [registry],
    collect() {
      const stats = tracker.stats();
      this.set({ state: 'seeder' }, stats.seeders);
      this.set({ state: 'leecher' }, stats.leechers);
    },
  });
  new Gauge({ name: 'seedkeep_tracker_swarms', help: 'Releases with at least one active peer', registers: [registry], collect() { this.set(tracker.stats().releasesWithPeers); } });
  new Gauge({ name: 'seedkeep_tracker_ledger_pending_entries', help: 'Ledger entries waiting to be flushed to the database', registers: [registry], collect() { this.set(tracker.health().pendingDeltas); } });
  new Gauge({ name: 'seedkeep_tracker_ledger_pending_limit', help: 'MAX_PENDING_DELTAS: announces are refused at this many pending entries', registers: [registry], collect() { this.set(tracker.health().maxPendingDeltas); } });
  new Gauge({
    name: 'seedkeep_tracker_flush_lag_seconds', help: 'Seconds since the last successful flush while entries are pending (0 when none are)', registers: [registry],
    collect() {
      const health = tracker.health();
      const last = health.lastFlushAt ? Date.parse(health.lastFlushAt) : null;
      this.set(health.pendingDeltas === 0 || last === null ? 0 : Math.max(0, (clock.now() - last) / 1000));
    },
  });
}

function flushMetrics(registry: Registry, tracker: TrackerService): void {
  const duration = new Histogram({
    name: 'seedkeep_tracker_flush_duration_seconds', help: 'Duration of ledger flushes (one transaction each)', labelNames: ['outcome'], registers: [registry],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  const failures = new Counter({ name: 'seedkeep_tracker_flush_failures_total', help: 'Ledger flushes that failed (their entries stay pending)', registers: [registry] });
  failures.inc(0);
  tracker.onFlush((seconds, ok) => {
    duration.observe({ outcome: ok ? 'ok' : 'failed' }, seconds);
    if (!ok) failures.inc();
  });
}

function databaseMetrics(registry: Registry, db: Database): void {
  new Gauge({
    name: 'seedkeep_db_pool_connections', help: 'PostgreSQL pool connections by state (absent on the embedded database)', labelNames: ['state'], registers: [registry],
    collect() {
      const pool = db.poolStats();
      if (!pool) return;
      this.set({ state: 'total' }, pool.total);
      this.set({ state: 'idle' }, pool.idle);
      this.set({ state: 'waiting' }, pool.waiting);
    },
  });
}

export function createRegistry(deps: CollectorDeps): { registry: Registry; requestDuration: Histogram<'method' | 'route' | 'status_class'> } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  trackerMetrics(registry, deps);
  flushMetrics(registry, deps.tracker);
  databaseMetrics(registry, deps.db);
  const requestDuration = new Histogram({
    name: 'seedkeep_http_request_duration_seconds',
    help: 'Web and API requests through Fastify, by route pattern (never the raw URL: no passkeys or tokens in labels)',
    labelNames: ['method', 'route', 'status_class'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return { registry, requestDuration };
}
