// Runs wrk (pinned to the load core) with bench/load/announce.lua and parses its JSON line;
// samples the server's and wrk's CPU time so the table can show which side was saturated, and
// the CPU time each process group (the server, PostgreSQL's backends) used over the whole run.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSnapshot, cpuUsed, type CpuGroup } from './cpu.js';
import { luaArgs, type Load } from './load.js';
import { coreMeter, cpuSeconds, LOAD_CORE, SERVER_CORE } from './proc.js';

const LUA = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'load', 'announce.lua');

export interface WrkOptions {
  url: string;
  fixtureFile: string;
  load: Load;
  /** announce path for the open load */
  announcePath?: string;
  connections: number;
  durationSec: number;
  /** paced requests/s (0: as fast as possible) */
  rate?: number;
  /** process groups whose CPU time over the run is reported (server, database) */
  cpu?: CpuGroup[];
}

export interface WrkResult {
  requests: number;
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** non-2xx/3xx statuses */
  statusErrors: number;
  /** connect/read/write/timeout errors */
  socketErrors: number;
  /** replies carrying `failure reason` (bencoded refusals sent with HTTP 200) */
  failures: number;
  warnings: number;
  /** how busy the server's core and the load core were (0..1, /proc/stat, whatever ran there) */
  serverCpu: number | null;
  loadCpu: number | null;
  /** wrk's own CPU time per second (1 = a whole core) */
  generatorCpu: number | null;
  /** CPU seconds of each asked-for process group from wrk's start to its exit */
  cpuSec: Record<string, number>;
  /** processes of those groups that ended during the run (their time is missing) */
  cpuLost: number;
  /** steady load: peers of the population announced so far */
  warm: number;
}

interface WrkJson {
  requests: number; duration_us: number; connect: number; read: number; write: number; status: number;
  timeout: number; p50_us: number; p90_us: number; p99_us: number; max_us: number; failures: number; warnings: number; warm: number;
}

export async function runWrk(options: WrkOptions): Promise<WrkResult> {
  const args = ['-c', LOAD_CORE, 'wrk', '-t1', `-c${options.connections}`, `-d${options.durationSec}s`, '--timeout', '5s',
    '-s', LUA, options.url, '--', options.fixtureFile, ...luaArgs(options.load, options.rate ?? 0, options.announcePath)];
  const before = await cpuSnapshot(options.cpu ?? []);
  const child = spawn('taskset', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  // wrk spends its first moments loading the fixture: meter the cores over the middle of the run
  const meters = await meterMiddle(options.durationSec, child, () => (child.pid ? [child.pid] : []));
  const code = await new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve)));
  const used = cpuUsed(before, await cpuSnapshot(options.cpu ?? []));
  const line = /WRKJSON (\{.*\})/.exec(out);
  if (code !== 0 || !line) throw new Error(`wrk failed (${code}):\n${out}`);
  const j = JSON.parse(line[1]) as WrkJson;
  const seconds = j.duration_us / 1e6;
  return {
    requests: j.requests,
    rps: j.requests / seconds,
    p50Ms: j.p50_us / 1000,
    p90Ms: j.p90_us / 1000,
    p99Ms: j.p99_us / 1000,
    maxMs: j.max_us / 1000,
    statusErrors: j.status,
    socketErrors: j.connect + j.read + j.write + j.timeout,
    failures: j.failures,
    warnings: j.warnings,
    serverCpu: meters?.server ?? null,
    loadCpu: meters?.load ?? null,
    generatorCpu: meters?.generator ?? null,
    cpuSec: used.seconds,
    cpuLost: used.lost,
    warm: j.warm,
  };
}

export interface Meters {
  /** how busy core 0 and core 1 were (whatever ran there) */
  server: number;
  load: number;
  /** CPU used by the load generator's own processes, in cores */
  generator: number;
}

/** Core utilisation from 20% to 90% of the run; null when the processes ended before. */
export async function meterMiddle(durationSec: number, child: { exitCode: number | null }, pids: () => number[]): Promise<Meters | null> {
  await sleep(durationSec * 200);
  const server = coreMeter(SERVER_CORE);
  const load = coreMeter(LOAD_CORE);
  const cpu = (): number => pids().reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), 0);
  const cpuStart = cpu();
  const t0 = performance.now();
  await sleep(durationSec * 700);
  if (child.exitCode !== null) return null;
  return { server: server(), load: load(), generator: (cpu() - cpuStart) / ((performance.now() - t0) / 1000) };
}
