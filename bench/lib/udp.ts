// Runs bench/load/udp-load.ts as several worker processes on the load core and sums them.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SteadyLoad } from './load.js';
import { LOAD_CORE } from './proc.js';
import { meterMiddle } from './wrk.js';

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'load', 'udp-load.ts');

export interface UdpLoadOptions {
  port: number;
  fixtureFile: string;
  durationSec: number;
  workers: number;
  /** in-flight clients per worker */
  inflight: number;
  /** paced announces/s over all workers (0: unpaced) */
  rate?: number;
  serverPid?: number;
  /** the HTTP steady population continued (seedkeep); without it a random member and release each time */
  steady?: SteadyLoad;
}

export interface UdpLoadResult {
  announces: number;
  /** connects sent (a client reuses its connection id for a minute) */
  connects: number;
  rps: number;
  errors: number;
  retries: number;
  p50Ms: number;
  p99Ms: number;
  serverCpu: number | null;
  loadCpu: number | null;
  /** the workers' own CPU time per second (1 = a whole core) */
  generatorCpu: number | null;
  firstError: string;
}

interface WorkerJson { announces: number; connects: number; errors: number; retries: number; seconds: number; p50Ms: number; p99Ms: number }

function steadyArgs(load: SteadyLoad, workers: number): object {
  return { stateFile: load.stateFile, population: load.population, newShare: load.newShare, sessionShare: load.sessionShare, workers };
}

function runWorker(options: UdpLoadOptions, worker: number, pids: number[]): Promise<{ json: WorkerJson; stderr: string }> {
  const args = JSON.stringify({ port: options.port, fixtureFile: options.fixtureFile, durationSec: options.durationSec,
    inflight: options.inflight, worker, rate: options.rate ? options.rate / options.workers : 0, steady: options.steady && steadyArgs(options.steady, options.workers) });
  const child = spawn('taskset', ['-c', LOAD_CORE, process.execPath, '--import', 'tsx', WORKER, args], { stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid) pids.push(child.pid);
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const line = /UDPJSON (\{.*\})/.exec(out);
      if (code !== 0 || !line) reject(new Error(`UDP load worker failed (${code}): ${err}`));
      else resolve({ json: JSON.parse(line[1]) as WorkerJson, stderr: err });
    });
  });
}

export async function runUdpLoad(options: UdpLoadOptions): Promise<UdpLoadResult> {
  const running = { exitCode: null as number | null };
  const pids: number[] = [];
  const all = Promise.all(Array.from({ length: options.workers }, (_, i) => runWorker(options, i, pids)));
  all.finally(() => (running.exitCode = 0)).catch(() => {});
  const meters = await meterMiddle(options.durationSec, running, () => pids);
  const results = await all;
  const announces = results.reduce((sum, r) => sum + r.json.announces, 0);
  const seconds = Math.max(...results.map((r) => r.json.seconds));
  return {
    announces,
    connects: results.reduce((sum, r) => sum + r.json.connects, 0),
    rps: announces / seconds,
    errors: results.reduce((sum, r) => sum + r.json.errors, 0),
    retries: results.reduce((sum, r) => sum + r.json.retries, 0),
    // the workers' medians/p99s are close; report the worst
    p50Ms: Math.max(...results.map((r) => r.json.p50Ms)),
    p99Ms: Math.max(...results.map((r) => r.json.p99Ms)),
    serverCpu: meters?.server ?? null,
    loadCpu: meters?.load ?? null,
    generatorCpu: meters?.generator ?? null,
    firstError: results.map((r) => r.stderr.trim()).find(Boolean) ?? '',
  };
}
