// A stop with a million peers' deltas pending (docs/operations.md, "Stopping"): the real
// server process (dist/server.js) on a seeded database.
//  1. every peer of the population is a known peer with nothing reported yet (its row written
//     with SQL, as its answered `started` would have left it);
//  2. the server starts with the timer's flushes 10 minutes apart (so nothing is written
//     behind the load), every peer re-announces with higher counters (plain announces, never
//     held), and SIGTERM follows at once: the time to exit is the measurement;
//  3. it starts again, every peer announces once more with higher counters, everything is
//     written, it stops, and the books are compared with what the clients reported: what the
//     stop did not write must have been credited at the peer's next announce
//     (docs/accounting.md, "Crashes, outages and restarts").
import { checkBooks, describeBooks, ExpectedBooks, type BooksCheck } from '../lib/books.js';
import { loadAverage } from '../lib/machine.js';
import { everyPeer, prepareDatabase, reportOf, seedPeers, type Population } from '../lib/population.js';
import { freePort } from '../lib/proc.js';
import { memoryOf, pendingOf, startServer, stopSettled, waitWritten, type StopResult } from '../lib/server-process.js';
import { announceAll, describeErrors } from '../lib/udp-swarm.js';

export interface StopBench {
  database: string;
  peers: number;
  load: string;
  seedSeconds: number;
  /** UDP announces/s of each round (before the measured stop, after the restart) */
  rates: number[];
  errors: string[];
  /** the start that loaded the population's peers, and the start after the measured stop */
  readyMs: number[];
  pendingAtStop: number;
  rssAtStop: number;
  stop: StopResult;
  /** the measured stop's phases as the server logged them (sockets, app with the flush, database), ms */
  phases: string;
  /** the last stop, with nothing pending, for comparison */
  otherStops: StopResult[];
  books: BooksCheck;
}

function log(line: string): void {
  process.stdout.write(`  ${line}\n`);
}

export async function measureStop(options: { pgUrl: string; peers: number }): Promise<StopBench> {
  const pop: Population = { peers: options.peers, members: Math.max(1, Math.ceil(options.peers / 10)), releases: 10_000 };
  const prepared = await prepareDatabase({ pgUrl: options.pgUrl, name: 'seedkeep_bench_stop', members: pop.members, releases: pop.releases });
  const env = { dataDir: prepared.dataDir, databaseUrl: prepared.databaseUrl, port: freePort(), udpPort: freePort() };
  log(`${prepared.database}: ${pop.members} members and ${pop.releases} releases seeded in ${prepared.seedSeconds.toFixed(0)} s`);
  const rates: number[] = [];
  const errors: string[] = [];
  const round = async (port: number, n: number, label: string): Promise<void> => {
    const run = await announceAll(everyPeer(pop, n, ''), { port });
    rates.push(run.answered / (run.ms / 1000));
    errors.push(describeErrors(run));
    log(`${label}: ${run.answered} announces in ${(run.ms / 1000).toFixed(1)} s (${rates.at(-1)!.toFixed(0)}/s), ${run.resent} resent, ${describeErrors(run)}`);
  };
  try {
    const t0 = performance.now();
    await seedPeers(prepared, pop);
    log(`${pop.peers} peer rows written in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

    const second = await startServer({ ...env, extra: { FLUSH_INTERVAL_MS: '600000' } });
    log(`started with ${pop.peers} peers to load: ready in ${(second.readyMs / 1000).toFixed(1)} s`);
    await round(second.udpPort, 1, 'round 1, re-announce');
    const pendingAtStop = await pendingOf(second.url);
    const rssAtStop = memoryOf(second.pid).rss;
    const load = loadAverage();
    const stop = await second.stop();
    const phases = /"ms":(\{[^}]*\}),"msg":"stopped"/.exec(second.output())?.[1] ?? 'not logged';
    log(`SIGTERM with ${pendingAtStop} deltas pending (RSS ${(rssAtStop / 2 ** 20).toFixed(0)} MB, load ${load}): exit ${stop.code} after ${stop.ms.toFixed(0)} ms (phases ${phases}), ${stop.leftPending ?? 0} left unwritten`);

    const third = await startServer(env);
    await round(third.udpPort, 2, 'round 2, after the restart');
    await waitWritten(third.url);
    const repeat = async (udpPort: number): Promise<void> => void (await announceAll(everyPeer(pop, 2, ''), { port: udpPort }));
    const { stop: stop3 } = await stopSettled(third, env, repeat);
    const expected = new ExpectedBooks();
    for (let p = 0; p < pop.peers; p++) {
      const r = reportOf(pop, p, 2, '');
      expected.add(r.member, r.uploaded, r.downloaded);
    }
    const books = await checkBooks(prepared.databaseUrl, prepared.dataDir, expected);
    log(`books: ${describeBooks(books)}`);
    return {
      database: prepared.database, peers: pop.peers, load, seedSeconds: prepared.seedSeconds, rates, errors,
      readyMs: [second.readyMs, third.readyMs], pendingAtStop, rssAtStop, stop, phases, otherStops: [stop3], books,
    };
  } finally {
    await prepared.dispose();
  }
}

export function describeStop(s: StopBench): string {
  return `stop on ${s.database} with ${s.pendingAtStop} deltas of ${s.peers} peers pending (load ${s.load}): exit ${s.stop.code} in ` +
    `${(s.stop.ms / 1000).toFixed(1)} s (phases in ms: ${s.phases}), ${s.stop.leftPending ?? 0} deltas left for the next start; a stop with nothing pending took ` +
    `${s.otherStops.map((o) => (o.ms / 1000).toFixed(1)).join(' and ')} s; RSS at the stop ${(s.rssAtStop / 2 ** 20).toFixed(0)} MB; ` +
    `ready in ${s.readyMs.map((ms) => (ms / 1000).toFixed(1)).join(' s and ')} s (with the peers to load, then after the stop); ` +
    `UDP announces/s per round ${s.rates.map((r) => r.toFixed(0)).join(', ')}; books ${describeBooks(s.books)}.`;
}
