// The same HTTP announce load against each server, one at a time.
import type { Running } from '../servers/start.js';
import { describeLoad, type Load } from '../lib/load.js';
import { loadAverage } from '../lib/machine.js';
import { waitForQuiet } from '../lib/proc.js';
import { runWrk, type WrkResult } from '../lib/wrk.js';

export interface HttpRow extends WrkResult {
  server: string;
  /** the load's kind: steady, all-new (stress) or open */
  loadKind: Load['kind'];
  load: string;
  note: string;
  /** busiest core's utilisation in the second before the run (other people's work) */
  busyBefore: number;
  /** CPU µs per answered request of each process group (server, postgres) */
  cpuUs: Record<string, number>;
}

export interface HttpRunOptions {
  fixtureFile: string;
  load: Load;
  durationSec: number;
  warmupSec: number;
  connections: number;
  rate?: number;
  /** how long to wait for idle cores before measuring */
  quietMs: number;
}

/** A short unmeasured run first, so every server is measured warm (JIT, caches, swarms). */
export async function measureHttp(server: Running, options: HttpRunOptions, note = '', beforeRun?: () => Promise<unknown>): Promise<HttpRow> {
  const base = { url: server.url, fixtureFile: options.fixtureFile, load: options.load, connections: options.connections };
  if (options.warmupSec > 0) await runWrk({ ...base, durationSec: options.warmupSec, rate: options.rate });
  const busyBefore = await waitForQuiet(options.quietMs);
  await beforeRun?.();
  const load = loadAverage();
  const result = await runWrk({ ...base, durationSec: options.durationSec, rate: options.rate, cpu: server.cpu });
  const cpuUs = Object.fromEntries(Object.entries(result.cpuSec).map(([name, sec]) => [name, (sec * 1e6) / Math.max(1, result.requests)]));
  const row = { server: server.name, loadKind: options.load.kind, load, note, busyBefore, cpuUs, ...result };
  printRow(row);
  return row;
}

export function printRow(row: HttpRow): void {
  const cpu = (v: number | null): string => (v === null ? '?' : `${Math.round(v * 100)}%`);
  const us = Object.entries(row.cpuUs).map(([name, v]) => `${name} ${v.toFixed(1)} µs/req`).join(' ');
  process.stdout.write(`  ${`${row.server} [${row.loadKind}]`.padEnd(36)} ${row.rps.toFixed(0).padStart(7)} req/s  p50 ${row.p50Ms.toFixed(2)} ms  p99 ${row.p99Ms.toFixed(2)} ms  ` +
    `errors: status ${row.statusErrors} socket ${row.socketErrors} failure ${row.failures}  core0 ${cpu(row.serverCpu)} core1 ${cpu(row.loadCpu)} wrk ${cpu(row.generatorCpu)}  ${us}\n`);
}

/**
 * Announces every peer of a steady population once (event=started), in short runs until all
 * are in: the measured runs then see re-announces of known peers.
 */
export async function warmPopulation(server: Running, fixtureFile: string, load: Load): Promise<void> {
  if (load.kind !== 'steady') return;
  for (let i = 0; i < 200; i++) {
    const r = await runWrk({ url: server.url, fixtureFile, load, connections: 50, durationSec: 3 });
    if (r.warm >= load.population) return;
  }
  throw new Error(`${server.name}: the steady population of ${load.population} peers was not warmed in 200 runs of 3 s`);
}

export { describeLoad };
