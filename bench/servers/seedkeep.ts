// seedkeep as the bench runs it: a fresh data dir (and a fresh Postgres database when a
// DATABASE_URL is given), 10k members and 10k releases seeded with SQL before the tracker
// loads its state, then buildApp + the UDP tracker exactly as src/server.ts wires them.
// Bench-only: MIN_INTERVAL=0 (every re-announce gets peers, as from the other trackers),
// LOG_LEVEL=warn, GET /bench/credit/:id, which the flush probe polls to see when an
// announce's bytes are committed, GET /bench/flushes: the durations of the database
// transactions (the ledger flush is one transaction; nothing else runs one during the bench),
// GET /bench/flush-now: a flush with the release counts, timed, and GET /bench/pauses/start
// then GET /bench/pauses: the main thread's GC pauses and event-loop delay in between (what a
// latency row's p99 waits behind).
// It runs dist/ (`npm run build` first; bench/run.ts does) or, with SEEDKEEP_CODE=src, the sources:
//   node --import tsx bench/servers/seedkeep.ts '{"dataDir":...,"port":...,"udpPort":...,"databaseUrl":""}'
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import type { SqlDriver } from '../../src/db/driver.js';
import type { Pauses } from '../lib/results.js';
import { seedCategory, seedMembers, seedReleases } from '../lib/seed-sql.js';

interface HarnessOptions {
  dataDir: string;
  port: number;
  udpPort: number;
  databaseUrl: string;
  members: number;
  releases: number;
  flushIntervalMs?: number;
  /** the database is already populated (the page run reuses its 1M releases) */
  skipSeed?: boolean;
  /** SIGUSR2 starts V8's CPU profiler (what node --cpu-prof runs), the next SIGUSR2 writes it here */
  profileFile?: string;
  /** Prometheus metrics on (METRICS_TOKEN: /metrics on the same port), for bench/metrics-cost.ts */
  metricsToken?: string;
}

/**
 * GC pauses (V8's 'gc' performance entries) and event-loop delay between `start` and `read`,
 * watched only then: the 1 ms delay timer and the observer stay off during the other rows.
 */
function pauseWatch(): { start(): void; read(): Pauses } {
  const gc: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gc.push(entry.duration);
  });
  const loop = monitorEventLoopDelay({ resolution: 1 });
  return {
    start() {
      gc.length = 0;
      loop.reset();
      observer.observe({ entryTypes: ['gc'] });
      loop.enable();
    },
    read() {
      observer.disconnect();
      loop.disable();
      const sorted = [...gc].sort((a, b) => a - b);
      return { gcCount: gc.length, gcMedianMs: sorted[Math.floor(sorted.length / 2)] ?? 0, gcMaxMs: sorted.at(-1) ?? 0, loopMaxMs: loop.count > 0 ? loop.max / 1e6 : 0 };
    },
  };
}

/** Profiles only the load window, not the seeding and state loading before it. */
function profileOnSignal(file: string): void {
  const session = new Session();
  session.connect();
  let profiling = false;
  process.on('SIGUSR2', () => {
    if (!profiling) {
      profiling = true;
      session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 200 }, () => session.post('Profiler.start')));
      return;
    }
    profiling = false;
    session.post('Profiler.stop', (error, result) => {
      writeFileSync(file, error ? '{}' : JSON.stringify(result.profile));
      process.stdout.write(`PROFILED ${file}\n`);
    });
  });
}

interface FlushLog {
  count: number;
  maxMs: number;
  /** [start ms since epoch, duration ms] of the last 500 */
  recent: [number, number][];
}

/** Wraps sql.transaction to time every flush from the bench, without touching src/. */
function timeTransactions(sql: SqlDriver): FlushLog {
  const log: FlushLog = { count: 0, maxMs: 0, recent: [] };
  const original = sql.transaction.bind(sql);
  sql.transaction = async (fn) => {
    const startedAt = Date.now();
    const t0 = performance.now();
    try {
      return await original(fn);
    } finally {
      const ms = performance.now() - t0;
      log.count++;
      log.maxMs = Math.max(log.maxMs, ms);
      log.recent.push([startedAt, ms]);
      if (log.recent.length > 500) log.recent.shift();
    }
  };
  return log;
}

const options = JSON.parse(process.argv[2]) as HarnessOptions;

// The code under test: the compiled build (`npm run build`, what the Docker image runs) unless
// SEEDKEEP_CODE=src asks for the TypeScript sources through tsx.
const code = process.env.SEEDKEEP_CODE === 'src' ? '../../src' : '../../dist';
const { buildApp } = (await import(`${code}/app.js`)) as typeof import('../../src/app.js');
const { loadConfig } = (await import(`${code}/config.js`)) as typeof import('../../src/config.js');
const { openDatabase } = (await import(`${code}/db/client.js`)) as typeof import('../../src/db/client.js');
const { committedUpload } = (await import(`${code}/db/member-journal.js`)) as typeof import('../../src/db/member-journal.js');
const { startUdpTracker } = (await import(`${code}/tracker/udp/socket.js`)) as typeof import('../../src/tracker/udp/socket.js');

if (options.profileFile) profileOnSignal(options.profileFile);

const config = loadConfig({
  DATA_DIR: options.dataDir,
  DATABASE_URL: options.databaseUrl,
  PORT: String(options.port),
  UDP_PORT: String(options.udpPort),
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  MIN_INTERVAL: '0',
  // the configured default unless a section asks for another
  ...(options.flushIntervalMs ? { FLUSH_INTERVAL_MS: String(options.flushIntervalMs) } : {}),
  ...(options.metricsToken ? { METRICS_TOKEN: options.metricsToken } : {}),
});
const db = openDatabase(config);
await db.migrate();
if (!options.skipSeed) {
  const categoryId = await seedCategory(db.sql);
  await seedMembers(db.sql, options.members);
  await seedReleases(db.sql, options.releases, categoryId, 1);
}

const flushes = timeTransactions(db.sql);
const app = await buildApp(config, { db });
app.get<{ Params: { id: string } }>('/bench/credit/:id', async (request) => {
  // committed credit: the member row plus the member journal (applied later, on its own cadence)
  const credit = await committedUpload(db.sql, Number(request.params.id));
  return { uploaded: credit ? String(credit.uploaded) : null };
});
app.get('/bench/flushes', async () => flushes);
const pauses = pauseWatch();
app.get('/bench/pauses/start', async () => {
  pauses.start();
  return {};
});
app.get('/bench/pauses', async () => pauses.read());
// an asked-for flush writes the release counts too, which the timer leaves for their cadence
app.get('/bench/flush-now', async () => {
  const t0 = performance.now();
  await app.tracker.flush();
  return { ms: performance.now() - t0, countsIntervalMs: config.countsIntervalMs };
});
await app.listen({ port: config.port, host: config.host });
const udp = await startUdpTracker(app.tracker.core, {
  port: config.udpPort,
  host: config.host,
  secret: config.trackerSecret,
  clock: app.clock,
  onError: (err: unknown) => app.log.error({ err }, 'UDP tracker error'),
});
process.stdout.write(`READY ${config.port} ${udp.ports.udp4} ${db.sql.kind} users=${app.tracker.catalog.userCount} releases=${app.tracker.catalog.releaseCount}\n`);

let closing = false;
process.on('SIGTERM', () => {
  if (closing) return;
  closing = true;
  void (async () => {
    await udp.close();
    await app.close(); // flushes the ledger
    await db.close();
    process.exit(0);
  })();
});
