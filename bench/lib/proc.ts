// Child processes for the bench: servers pinned to core 0, load generators to core 1
// (taskset execs the command, so the pid we get is the server's own), CPU time read from
// /proc to show which side was saturated.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export const SERVER_CORE = '0';
export const LOAD_CORE = '1';
const CLOCK_TICKS = 100; // sysconf(_SC_CLK_TCK) on Linux

export interface Pinned {
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** Starts `command args` on one core; keeps the last 64 KB of its output for error messages. */
export function startPinned(core: string, command: string, args: string[], options: SpawnOptions = {}): Pinned {
  const child = spawn('taskset', ['-c', core, command, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let log = '';
  const keep = (chunk: Buffer): void => {
    log = (log + chunk.toString()).slice(-65536);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => log, stop: () => stopChild(child) };
}

/** SIGTERM, then SIGKILL after 10 s: seedkeep flushes its ledger on SIGTERM. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** user + system CPU seconds of a live process (all its threads), or null once it is gone. */
export function cpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** Busy and total jiffies of one CPU core, from /proc/stat (includes softirq work, which
 * loopback networking does outside any process's accounted time). */
export function coreTimes(core: string): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n').find((l) => l.startsWith(`cpu${core} `)) ?? '';
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: total - idle, total };
}

/** Measures how busy a core was between start() and the returned function's call (0..1). */
export function coreMeter(core: string): () => number {
  const start = coreTimes(core);
  return () => {
    const end = coreTimes(core);
    return end.total > start.total ? (end.busy - start.busy) / (end.total - start.total) : 0;
  };
}

/**
 * The machine is shared: before a measured run, wait (up to maxMs) for a second in which
 * both cores are mostly idle. Returns the busiest core's share over the last second.
 */
export async function waitForQuiet(maxMs: number, threshold = 0.15): Promise<number> {
  if (maxMs <= 0) return NaN;
  const deadline = Date.now() + maxMs;
  for (;;) {
    const a = coreMeter(SERVER_CORE);
    const b = coreMeter(LOAD_CORE);
    await sleep(1000);
    const busiest = Math.max(a(), b());
    if (busiest <= threshold || Date.now() >= deadline) return busiest;
  }
}

/** Resident set size in bytes, from /proc. */
export function rssBytes(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export async function waitForTcp(port: number, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`process exited with ${child.exitCode} before listening on ${port}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`nothing listened on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

/** Resolves with the first stdout line matching `pattern` (servers print READY lines). */
export function waitForLine(pinned: Pinned, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; output:\n${pinned.output()}`)), timeoutMs);
    const check = (): void => {
      const match = pattern.exec(pinned.output());
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    pinned.child.stdout?.on('data', check);
    pinned.child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}; output:\n${pinned.output()}`));
    });
    check();
  });
}

/**
 * A free TCP+UDP port number from a bench-only range, distinct per call; BENCH_PORT_BASE
 * pins the range (a machine shared by several people, each with ports of their own).
 */
let nextPort = Number(process.env.BENCH_PORT_BASE) || 20_000 + (process.pid % 5000) * 2;
export function freePort(): number {
  nextPort += 7;
  return nextPort;
}
