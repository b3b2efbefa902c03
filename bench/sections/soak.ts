// A soak of the embedded database (docs/operations.md, "The embedded database"): one server
// process (dist/server.js) on PGlite takes `announces` UDP announces, in rounds over a fixed
// population of known peers (rising counters: each round's deltas go through the real flush
// path and its write-ahead log), with new peers announcing `started` every round and joining
// the population. Meanwhile /healthz and /releases (a member's browse page) are fetched every
// second. Reported: announces done, checkpoints, the largest pg_wal seen, the slowest page,
// RSS over time, the longest of each kind of the database's background work (the server's
// debug timings: PGlite checkpoints, journal checkpoint parts, ledger flush parts, release
// counts; pages wait behind the one under way), and the books against the last report of each peer that got an answer: once
// the load has ended and the server is stopped, then again after a restart (the books and
// baselines loaded back) and one more round of every peer.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../src/db/client.js';
import { httpGetFull } from '../lib/announce-url.js';
import { AnsweredReports, checkBooks, describeBooks, type BooksCheck } from '../lib/books.js';
import { loadAverage } from '../lib/machine.js';
import { prepareDatabase, reportOf, seedPeers, type Population } from '../lib/population.js';
import { freePort } from '../lib/proc.js';
import { describeStops, insertSession, memoryOf, startServer, stopSettled, waitWritten } from '../lib/server-process.js';
import { announceAll, type PeerReport } from '../lib/udp-swarm.js';

const CHECKPOINT_LINE = 'database checkpoint';
/** the server's debug timings of what holds PGlite's one connection in the background */
const TIMED_LINES = [CHECKPOINT_LINE, 'journal checkpoint part', 'ledger flush part', 'release counts written'];

export interface SoakResult {
  announces: number;
  seconds: number;
  peersAtEnd: number;
  resent: number;
  errorPackets: number;
  checkpoints: number;
  /** each of TIMED_LINES: how many, the longest */
  background: { line: string; count: number; maxMs: number }[];
  walMaxBytes: number;
  pages: { path: string; fetched: number; failed: number; p50Ms: number; maxMs: number }[];
  /** [seconds since start, RSS bytes] about every tenth of the run */
  rss: [number, number][];
  peakRss: number;
  loads: string[];
  books: BooksCheck;
  /** restarts stopSettled needed because a stop left deltas (first stop, stop after the restart) */
  recoveries: [number, number];
  /** the restart: ready after, and the books after one more round and a stop */
  restartReadyMs: number;
  booksAfterRestart: BooksCheck;
}

function log(line: string): void {
  process.stdout.write(`  ${line}\n`);
}

function folderBytes(dir: string): number {
  try {
    return readdirSync(dir).reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0);
  } catch {
    return 0;
  }
}

/** Fetches each page every second until stopped; keeps every latency and failure. */
function pollPages(url: string, cookie: string, paths: string[]): { stop(): Promise<SoakResult['pages']> } {
  const times = new Map(paths.map((p) => [p, [] as number[]]));
  const failed = new Map(paths.map((p) => [p, 0]));
  let running = true;
  const loop = (async () => {
    while (running) {
      const next = performance.now() + 1000;
      for (const p of paths) {
        const t0 = performance.now();
        const ok = await httpGetFull(url, p, { Cookie: cookie }, 60_000).then((r) => r.status === 200, () => false);
        times.get(p)!.push(performance.now() - t0);
        if (!ok) failed.set(p, failed.get(p)! + 1);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return paths.map((p) => {
        const sorted = [...times.get(p)!].sort((a, b) => a - b);
        return { path: p, fetched: sorted.length, failed: failed.get(p)!, p50Ms: sorted[Math.floor(sorted.length / 2)] ?? 0, maxMs: sorted.at(-1) ?? 0 };
      });
    },
  };
}

/** Round r: every peer of the population at its own round (r minus the round it joined), then the newcomers' `started`. */
function* roundReports(pop: Population, joined: number[], r: number, newcomers: number): Generator<PeerReport> {
  for (let p = 0; p < joined.length; p++) yield reportOf(pop, p, r - joined[p], '');
  for (let i = 0; i < newcomers; i++) {
    joined.push(r);
    yield reportOf(pop, joined.length - 1, 0, 'started');
  }
}

/** stopAtOnce: SIGTERM as soon as the load ends, with its last deltas pending or being written (what the stop leaves is recovered) */
export async function measureSoak(options: { announces: number; peers: number; stopAtOnce?: boolean }): Promise<SoakResult> {
  const pop: Population = { peers: options.peers, members: Math.max(1, Math.ceil(options.peers / 10)), releases: 10_000 };
  const prepared = await prepareDatabase({ pgUrl: '', name: 'seedkeep_bench_soak', members: pop.members, releases: pop.releases });
  try {
    await seedPeers(prepared, pop);
    const db = openDatabase({ dataDir: prepared.dataDir, databaseUrl: '' });
    const cookie = await insertSession(db.sql, 1).finally(() => db.close());
    const env = { dataDir: prepared.dataDir, databaseUrl: '', port: freePort(), udpPort: freePort() };
    const server = await startServer({ ...env, extra: { LOG_LEVEL: 'debug' }, countLines: TIMED_LINES });
    log(`PGlite: ${pop.members} members, ${pop.releases} releases, ${pop.peers} peers; ready in ${(server.readyMs / 1000).toFixed(1)} s`);
    const wal = path.join(prepared.dataDir, 'pglite', 'pg_wal');
    const joined: number[] = Array.from({ length: pop.peers }, () => 0);
    const newcomers = Math.max(1, Math.round(pop.peers / 100));
    const pages = pollPages(server.url, cookie, ['/healthz', '/releases']);
    const answered = new AnsweredReports();
    const started = performance.now();
    const rss: [number, number][] = [];
    const loads: string[] = [];
    let walMaxBytes = 0;
    let done = 0;
    let resent = 0;
    let errorPackets = 0;
    let lastRound = 0;
    for (let r = 1; done < options.announces; r++) {
      const run = await announceAll(roundReports(pop, joined, r, newcomers), { port: server.udpPort, numwant: 50, resendMs: 3000, onAnswer: answered.record });
      done += run.answered;
      resent += run.resent;
      errorPackets += [...run.errors.values()].reduce((a, b) => a + b, 0);
      lastRound = r;
      walMaxBytes = Math.max(walMaxBytes, folderBytes(wal));
      const seconds = (performance.now() - started) / 1000;
      if (rss.length === 0 || done >= (rss.length * options.announces) / 10) {
        rss.push([Math.round(seconds), memoryOf(server.pid).rss]);
        loads.push(loadAverage());
        log(`${done} announces after ${seconds.toFixed(0)} s (round ${r}, ${run.answered / (run.ms / 1000) | 0}/s): RSS ${(rss.at(-1)![1] / 2 ** 20).toFixed(0)} MB, ` +
          `pg_wal ${(folderBytes(wal) / 2 ** 20).toFixed(0)} MB, ${server.counted.get(CHECKPOINT_LINE)} checkpoints, load ${loads.at(-1)}`);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    if (!options.stopAtOnce) await waitWritten(server.url);
    const pageRows = await pages.stop();
    const peakRss = memoryOf(server.pid).peak;
    const checkpoints = server.counted.get(CHECKPOINT_LINE) ?? 0;
    const background = TIMED_LINES.map((line) => ({ line, count: server.counted.get(line) ?? 0, maxMs: server.longestMs.get(line) ?? 0 }));
    // what a stop left is recovered as in production: a restart, and every peer repeats its last answered report
    const last = (): Generator<PeerReport> => (function* () {
      for (let p = 0; p < joined.length; p++) {
        const report = answered.get(p);
        if (report) yield { ...report, event: '' };
      }
    })();
    const repeat = async (udpPort: number): Promise<void> => void (await announceAll(last(), { port: udpPort, onAnswer: answered.record }));
    const first = await stopSettled(server, env, repeat);
    log(`stops: ${describeStops(first.stops)}`);
    if (first.recoveries > 0) log(`the last stop left deltas unwritten: ${first.recoveries} restart(s) with every peer repeating its last report`);
    const books = await checkBooks('', prepared.dataDir, answered.expected(), answered);
    log(`books: ${describeBooks(books)}`);
    // a stop and a restart: the books and baselines loaded back, every peer one round further
    const again = await startServer(env);
    log(`restarted: ready in ${(again.readyMs / 1000).toFixed(1)} s`);
    await announceAll(roundReports(pop, joined, lastRound + 1, 0), { port: again.udpPort, onAnswer: answered.record });
    await waitWritten(again.url);
    const second = await stopSettled(again, env, repeat);
    log(`stops: ${describeStops(second.stops)}`);
    const booksAfterRestart = await checkBooks('', prepared.dataDir, answered.expected(), answered);
    log(`books after the restart: ${describeBooks(booksAfterRestart)}`);
    return {
      announces: done, seconds, peersAtEnd: joined.length, resent, errorPackets, checkpoints, background, walMaxBytes, pages: pageRows, rss, peakRss, loads, books,
      recoveries: [first.recoveries, second.recoveries], restartReadyMs: again.readyMs, booksAfterRestart,
    };
  } finally {
    await prepared.dispose();
  }
}

export function describeSoak(s: SoakResult): string {
  const mb = (v: number): string => `${(v / 2 ** 20).toFixed(0)} MB`;
  const pages = s.pages.map((p) => `${p.path} ${p.fetched} fetches, ${p.failed} failed, p50 ${p.p50Ms.toFixed(0)} ms, max ${p.maxMs.toFixed(0)} ms`).join('; ');
  return `soak on PGlite: ${s.announces} UDP announces in ${s.seconds.toFixed(0)} s (${(s.announces / s.seconds).toFixed(0)}/s) into one process, ` +
    `${s.peersAtEnd} peers at the end, ${s.errorPackets} error packets, ${s.resent} resent; ${s.checkpoints} checkpoints, pg_wal at most ${mb(s.walMaxBytes)}; ` +
    `background work (count, longest): ${s.background.map((b) => `${b.line} ${b.count}, ${b.maxMs} ms`).join('; ')}; ` +
    `pages: ${pages}; RSS ${s.rss.map(([t, v]) => `${t} s ${mb(v)}`).join(', ')} (peak ${mb(s.peakRss)}); load averages ${s.loads.join(' | ')}; ` +
    `books ${describeBooks(s.books)}; restarts to recover what a stop left: ${s.recoveries[0]}; ` +
    `after a stop, a restart (ready in ${(s.restartReadyMs / 1000).toFixed(1)} s), one more round of every peer and a stop (${s.recoveries[1]} restarts to recover): books ${describeBooks(s.booksAfterRestart)}.`;
}
