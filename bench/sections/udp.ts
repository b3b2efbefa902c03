// UDP announces (BEP 15, connection ids reused for their minute, BEP 41 passkey option)
// against seedkeep (the steady population the HTTP rows warmed) and opentracker, generator
// workers on the load core.
import type { SteadyLoad } from '../lib/load.js';
import { loadAverage } from '../lib/machine.js';
import { waitForQuiet } from '../lib/proc.js';
import { runUdpLoad, type UdpLoadResult } from '../lib/udp.js';
import type { Running } from '../servers/start.js';

export interface UdpRow extends UdpLoadResult { server: string; load: string; steady: boolean }

export async function measureUdp(server: Running, fixtureFile: string, durationSec: number, warmupSec: number, quietMs: number, steady?: SteadyLoad): Promise<UdpRow> {
  const base = { port: server.udpPort, fixtureFile, workers: 2, inflight: 64, serverPid: server.pid, steady };
  if (warmupSec > 0) await runUdpLoad({ ...base, durationSec: 1 });
  await waitForQuiet(quietMs);
  const load = loadAverage();
  const result = await runUdpLoad({ ...base, durationSec });
  const cpu = (v: number | null): string => (v === null ? '?' : `${Math.round(v * 100)}%`);
  process.stdout.write(`  ${`${server.name} UDP`.padEnd(28)} ${result.rps.toFixed(0).padStart(7)} ann/s  p50 ${result.p50Ms.toFixed(2)} ms  p99 ${result.p99Ms.toFixed(2)} ms  ` +
    `error packets ${result.errors} retries ${result.retries}  core0 ${cpu(result.serverCpu)} core1 ${cpu(result.loadCpu)} generator ${cpu(result.generatorCpu)}${result.firstError ? `  (${result.firstError.slice(0, 120)})` : ''}\n`);
  return { server: server.name, load, steady: steady !== undefined, ...result };
}
