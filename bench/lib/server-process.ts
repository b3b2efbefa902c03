// The real server process (`node dist/server.js`, what the Docker image runs) for the long
// sections (stop, soak, scale): started with an environment, timed until its
// `seedkeep is ready` line, its RSS sampled from /proc, and stopped with SIGTERM, timed until
// the process has exited.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { httpGetFull } from './announce-url.js';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  udpPort: number;
  url: string;
  /** from spawn to the `seedkeep is ready` log line */
  readyMs: number;
  /** the log lines so far (the last 256 KB) */
  output(): string;
  /** how many log lines so far contained each of ServerEnv.countLines */
  counted: Map<string, number>;
  /** the largest `ms` of those lines (the debug timings of the database's background work) */
  longestMs: Map<string, number>;
  /** SIGTERM; resolves when the process has exited */
  stop(): Promise<StopResult>;
  kill(): void;
}

export interface StopResult {
  /** from SIGTERM to the process's exit */
  ms: number;
  code: number | null;
  /** the `tracker stopped with unflushed deltas` line's counts, when it logged one */
  leftPending: number | null;
  leftCounts: number | null;
}

export interface ServerEnv {
  dataDir: string;
  databaseUrl: string;
  port: number;
  udpPort: number;
  /** the rest of the environment (FLUSH_INTERVAL_MS, LOG_LEVEL, …) */
  extra?: Record<string, string>;
  /** log messages to count over the whole lifetime (the kept output is only its tail) */
  countLines?: string[];
}

/** VmRSS and VmHWM (the peak) of a live process, in bytes. */
export function memoryOf(pid: number): { rss: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string): number => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return { rss: 0, peak: 0 };
  }
}

function leftOf(log: string): { leftPending: number | null; leftCounts: number | null } {
  const line = log.split('\n').reverse().find((l) => l.includes('unflushed deltas'));
  if (!line) return { leftPending: null, leftCounts: null };
  try {
    const json = JSON.parse(line) as { pending?: number; countsPending?: number };
    return { leftPending: json.pending ?? null, leftCounts: json.countsPending ?? null };
  } catch {
    return { leftPending: null, leftCounts: null };
  }
}

export async function startServer(env: ServerEnv, readyTimeoutMs = 900_000): Promise<ServerProcess> {
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'server.js')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATA_DIR: env.dataDir,
      DATABASE_URL: env.databaseUrl,
      PORT: String(env.port),
      UDP_PORT: String(env.udpPort),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      MIN_INTERVAL: '0',
      ...env.extra,
    },
  });
  let log = '';
  let partial = '';
  // BENCH_SERVER_LOGS: a folder that keeps each server process's whole output (bench/README.md)
  const logFile = process.env.BENCH_SERVER_LOGS ? path.join(process.env.BENCH_SERVER_LOGS, `server-${Date.now()}-${env.port}.log`) : null;
  const counted = new Map((env.countLines ?? []).map((m) => [m, 0]));
  const longestMs = new Map((env.countLines ?? []).map((m) => [m, 0]));
  const msOf = (line: string): number => Number(/"ms":(\d+)/.exec(line)?.[1] ?? 0);
  const keep = (chunk: Buffer): void => {
    const text = chunk.toString();
    log = (log + text).slice(-262_144);
    if (logFile) appendFileSync(logFile, text);
    if (counted.size === 0) return;
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      for (const [m, n] of counted) {
        if (!line.includes(m)) continue;
        counted.set(m, n + 1);
        longestMs.set(m, Math.max(longestMs.get(m)!, msOf(line)));
      }
    }
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready within ${readyTimeoutMs} ms:\n${log.slice(-2000)}`)), readyTimeoutMs);
    const check = (): void => {
      if (!log.includes('seedkeep is ready')) return;
      clearTimeout(timer);
      child.stdout.off('data', check);
      resolve();
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before it was ready:\n${log.slice(-2000)}`));
    });
  });
  const readyMs = performance.now() - started;
  const pid = child.pid ?? -1;
  return {
    child, pid, port: env.port, udpPort: env.udpPort, url: `http://127.0.0.1:${env.port}`, readyMs,
    output: () => log,
    counted,
    longestMs,
    kill: () => void child.kill('SIGKILL'),
    async stop() {
      const t0 = performance.now();
      child.kill('SIGTERM');
      const code = await exited;
      return { ms: performance.now() - t0, code, ...leftOf(log) };
    },
  };
}

/** The tracker's pending deltas, from /healthz. */
export async function pendingOf(url: string): Promise<number> {
  const { body } = await httpGetFull(url, '/healthz', {}, 30_000);
  return (JSON.parse(body.toString()) as { tracker: { pendingDeltas: number } }).tracker.pendingDeltas;
}

/** Waits until every delta is written (the timer's flushes); returns how long that took. */
export async function waitWritten(url: string, timeoutMs = 1_800_000): Promise<number> {
  const t0 = performance.now();
  // on PGlite /healthz pings the database, which answers after the flush part under way
  while ((await pendingOf(url).catch(() => 1)) > 0) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`deltas still pending after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return performance.now() - t0;
}

/** A member's session cookie, its row written directly (sessions hold the SHA-256 of the token, src/web/session.ts). */
export async function insertSession(sql: { exec(sql: string): Promise<void> }, userId: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const id = createHash('sha256').update(token).digest('hex');
  await sql.exec(`INSERT INTO sessions (id, user_id, expires_at) VALUES ('${id}', ${Math.trunc(userId)}, now() + interval '7 days')`);
  return `sk_session=${token}`;
}

/**
 * Stops a server whose load has ended so that everything reported is in the books. /healthz
 * counts what waits for a flush, not a flush under way, so its last parts may still be running
 * when the stop's deadline comes. What a stop leaves is recovered as in production: the server
 * starts again and every peer repeats its last report (same counters: only the unwritten gap is
 * credited), until a stop leaves nothing.
 */
export async function stopSettled(server: ServerProcess, env: ServerEnv, repeat: (udpPort: number) => Promise<void>, rounds = 3): Promise<{ stop: StopResult; recoveries: number; stops: StopResult[] }> {
  let stop = await server.stop();
  const stops = [stop];
  let recoveries = 0;
  while ((stop.leftPending ?? 0) > 0 || stop.code !== 0) {
    if (recoveries++ >= rounds) break;
    const again = await startServer(env);
    await repeat(again.udpPort);
    await waitWritten(again.url);
    stop = await again.stop();
    stops.push(stop);
  }
  return { stop, recoveries, stops };
}

export function describeStops(stops: StopResult[]): string {
  return stops.map((s) => `exit ${s.code} after ${(s.ms / 1000).toFixed(1)} s, ${s.leftPending ?? 0} deltas left`).join('; ');
}
