// The same HTTP announce load against each server, one at a time.
import type { Running } from '../servers/start.js';
import { loadAverage } from '../lib/machine.js';
import { waitForQuiet } from '../lib/proc.js';
import { runWrk, type WrkResult } from '../lib/wrk.js';

export interface HttpRow extends WrkResult {
  server: string;
  load: string;
  note: string;
  /** busiest core's utilisation in the second before the run (other people's work) */
  busyBefore: number;
}

export interface HttpRunOptions {
  fixtureFile: string;
  mode: 'open' | 'passkey';
  durationSec: number;
  warmupSec: number;
  connections: number;
  rate?: number;
  /** how long to wait for idle cores before measuring */
  quietMs: number;
}

/** A short unmeasured run first, so every server is measured warm (JIT, caches, swarms). */
export async function measureHttp(server: Running, options: HttpRunOptions, note = '', beforeRun?: () => Promise<unknown>): Promise<HttpRow> {
  const base = { url: server.url, fixtureFile: options.fixtureFile, mode: options.mode, connections: options.connections, serverPid: server.pid };
  if (options.warmupSec > 0) await runWrk({ ...base, durationSec: options.warmupSec, rate: options.rate });
  const busyBefore = await waitForQuiet(options.quietMs);
  await beforeRun?.();
  const load = loadAverage();
  const result = await runWrk({ ...base, durationSec: options.durationSec, rate: options.rate });
  const row = { server: server.name, load, note, busyBefore, ...result };
  printRow(row);
  return row;
}

export function printRow(row: HttpRow): void {
  const cpu = (v: number | null): string => (v === null ? '?' : `${Math.round(v * 100)}%`);
  process.stdout.write(`  ${row.server.padEnd(28)} ${row.rps.toFixed(0).padStart(7)} req/s  p50 ${row.p50Ms.toFixed(2)} ms  p99 ${row.p99Ms.toFixed(2)} ms  ` +
    `errors: status ${row.statusErrors} socket ${row.socketErrors} failure ${row.failures}  core0 ${cpu(row.serverCpu)} core1 ${cpu(row.loadCpu)} wrk ${cpu(row.generatorCpu)}\n`);
}
