// Everything one bench run measured; bench/lib/report.ts turns it into markdown.
import type { FlushResult } from '../sections/flush.js';
import type { HttpRow } from '../sections/http.js';
import type { HeapBreakdown, MemoryResult } from '../sections/memory.js';
import type { MetricsCost } from '../sections/metrics-cost.js';
import type { PagesResult } from '../sections/pages.js';
import type { PairedResult } from '../sections/paired.js';
import type { ProfileResult } from '../sections/profile.js';
import type { UdpRow } from '../sections/udp.js';
import type { Machine } from './machine.js';

/** seedkeep's main thread during one paced round (GET /bench/pauses of the bench harness) */
export interface Pauses {
  gcCount: number;
  gcMedianMs: number;
  gcMaxMs: number;
  loopMaxMs: number;
}

/** The median round (by p99) of the paced runs at half of peak, with every round's p99. */
export type LatencyRow = HttpRow & { targetRate: number; peak: number; roundP99s: number[]; pauses?: Pauses };

export interface Results {
  quick: boolean;
  machine: Machine;
  durations: Durations;
  http: HttpRow[];
  /** announces sampled with curl-like requests before seedkeep's runs: failure reasons */
  samples: Record<string, string[]>;
  latency: LatencyRow[];
  udp: UdpRow[];
  /** seedkeep ÷ trivial in alternating short rounds, per database */
  paired: PairedResult[];
  memory?: MemoryResult;
  /** bytes per peer by object kind, from a heap snapshot of a smaller population (full run) */
  heap?: HeapBreakdown;
  flush?: FlushResult;
  pages?: PagesResult;
  /** the Prometheus metrics on the announce path: on ÷ off */
  metrics?: MetricsCost;
  /** CPU profiles of seedkeep under the HTTP load, when it missed the target */
  profiles: ProfileResult[];
  /** the trivial responder under the same profiler, for the per-request comparison */
  trivialProfile?: ProfileResult;
  /** skipped rows and why, tool installs */
  notes: string[];
  /** sections that failed, with the error */
  errors: string[];
}

export interface Durations {
  httpSec: number;
  warmupSec: number;
  udpSec: number;
  flushSec: number;
  memoryPeers: number;
  memoryReleases: number;
  memoryMembers: number;
  pageSamples: number;
  /** wait up to this long for idle cores before each measured run */
  quietMs: number;
  /** paced rounds at half of peak (the p99 verdict takes the median round), and their length */
  latencyRounds: number;
  latencySec: number;
  /** alternating trivial/seedkeep rounds for the ratio, and their length */
  pairedRounds: number;
  pairedSec: number;
  /** CPU profiles when seedkeep misses the HTTP target (full run only) */
  profile: boolean;
  /** peers of the steady load's population */
  population: number;
  /** metrics on/off: alternating HTTP rounds and their length; in-process rounds and announces per round */
  metricsRounds: number;
  metricsSec: number;
  metricsCoreRounds: number;
  metricsCoreCalls: number;
}

export function durationsFor(quick: boolean): Durations {
  return quick
    ? { httpSec: 4, warmupSec: 1, udpSec: 3, flushSec: 12, latencyRounds: 1, latencySec: 4, pairedRounds: 2, pairedSec: 3, memoryPeers: 250_000, memoryReleases: 25_000, memoryMembers: 25_000, pageSamples: 20, quietMs: 0, profile: false, population: 10_000, metricsRounds: 3, metricsSec: 4, metricsCoreRounds: 3, metricsCoreCalls: 100_000 }
    : { httpSec: 20, warmupSec: 3, udpSec: 10, flushSec: 60, latencyRounds: 3, latencySec: 10, pairedRounds: 3, pairedSec: 4, memoryPeers: 1_000_000, memoryReleases: 100_000, memoryMembers: 100_000, pageSamples: 100, quietMs: 15_000, profile: true, population: 30_000, metricsRounds: 6, metricsSec: 8, metricsCoreRounds: 8, metricsCoreCalls: 200_000 };
}

/** Node's ceiling for the ratios: the mean of the trivial responder's runs (one, or two in a full run). */
export function trivialRate(r: Results): number | null {
  const rows = r.http.filter((h) => h.server.startsWith('trivial'));
  return rows.length ? rows.reduce((sum, h) => sum + h.rps, 0) / rows.length : null;
}

/** The trivial responder's own CPU µs per request. */
export function trivialCpuUs(r: Results): number | null {
  const row = r.http.find((h) => h.server.startsWith('trivial'));
  return row?.cpuUs.server ?? null;
}

/** seedkeep's unpaced rows of one load kind (one per database). */
export function seedkeepRows(r: Results, kind?: HttpRow['loadKind']): HttpRow[] {
  return r.http.filter((h) => h.server.startsWith('seedkeep') && h.note !== 'paced' && (!kind || h.loadKind === kind));
}
