// seedkeep on one database: the steady load's peak (with CPU per announce by process), the
// latency at half of it, the alternating ratio rounds against the trivial responder and UDP;
// then the all-new stress row and, where asked, the flush under peak load.
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { httpGet, sampleFailures } from '../lib/announce-url.js';
import { log, httpOptions, MEMBERS, RELEASES, withServer, type Context } from '../lib/context.js';
import { passkeyOf } from '../lib/fixture.js';
import { ALL_NEW, steadyLoad, type SteadyLoad } from '../lib/load.js';
import { freePort } from '../lib/proc.js';
import type { Pauses } from '../lib/results.js';
import { startSeedkeep, startTrivial, type Running } from '../servers/start.js';
import { measureFlush } from './flush.js';
import { measureHttp, warmPopulation, type HttpRow } from './http.js';
import { pairedRatio } from './paired.js';
import { measureUdp } from './udp.js';

async function sampleBeforeRun(ctx: Context, server: Running): Promise<void> {
  const failures = await sampleFailures(server.url, ctx.fixture.passkeys, ctx.fixture.hashes);
  ctx.results.samples[server.name] = failures;
  log(failures.length === 0 ? '  sample announces: all succeeded' : `  sample announces FAILED: ${failures.join(' | ')}`);
}

/** `peakOnly` (--quick on the second database): the two peak rows and the flush. */
export async function seedkeepSuite(ctx: Context, label: string, databaseUrl: string, flushHere: boolean, peakOnly = false): Promise<void> {
  await withServer(
    () => startSeedkeep(label, { dataDir: mkdtempSync(path.join(ctx.work, 'sk-')), port: freePort(), udpPort: freePort(), databaseUrl, members: MEMBERS, releases: RELEASES }),
    async (s) => {
      await sampleBeforeRun(ctx, s);
      const steady = steadyLoad(path.join(ctx.work, `population-${s.pid}.txt`), { population: ctx.results.durations.population });
      log(`  warming ${steady.population} peers...`);
      await warmPopulation(s, ctx.fixtureFile, steady);
      const peak = await measureHttp(s, httpOptions(ctx, steady));
      ctx.results.http.push(peak);
      if (!peakOnly) await halfLoadRoundsAndUdp(ctx, s, peak, steady);
      ctx.results.http.push(await measureHttp(s, httpOptions(ctx, ALL_NEW)));
      if (flushHere) await flushOn(ctx, s, databaseUrl ? 'Postgres' : 'PGlite');
    },
  );
}

/** GC pauses and event-loop delay of seedkeep's main thread: `/start` begins, the read ends. */
async function pausesCall(s: Running, path: '/bench/pauses/start' | '/bench/pauses'): Promise<Pauses | undefined> {
  try {
    return JSON.parse((await httpGet(s.url, path, 10_000)).toString()) as Pauses;
  } catch {
    return undefined; // a measurement aid: the row stands without it
  }
}

async function halfLoadRoundsAndUdp(ctx: Context, s: Running, peak: HttpRow, steady: SteadyLoad): Promise<void> {
  const d = ctx.results.durations;
  const targetRate = Math.max(100, Math.round(peak.rps / 2));
  log(`  latency at 50% of peak (${targetRate} req/s):`);
  // One run's p99 rests on a few hundred requests: another tenant's burst on a shared machine
  // moves it. Several rounds, the median one counts; every round is reported.
  const rounds: (HttpRow & { pauses?: Pauses })[] = [];
  for (let i = 0; i < d.latencyRounds; i++) {
    const options = { ...httpOptions(ctx, steady), durationSec: d.latencySec, warmupSec: i === 0 ? d.warmupSec : 0, rate: targetRate };
    // watched from after the warm-up and the quiet wait: this round's pauses only
    const round = await measureHttp(s, options, 'paced', () => pausesCall(s, '/bench/pauses/start'));
    const pauses = await pausesCall(s, '/bench/pauses');
    if (pauses) log(`    main thread: ${pauses.gcCount} GC pauses, median ${pauses.gcMedianMs.toFixed(1)} ms, max ${pauses.gcMaxMs.toFixed(1)} ms; event-loop delay max ${pauses.loopMaxMs.toFixed(1)} ms`);
    rounds.push({ ...round, pauses });
  }
  const median = [...rounds].sort((a, b) => a.p99Ms - b.p99Ms)[Math.floor(rounds.length / 2)];
  ctx.results.latency.push({ ...median, targetRate, peak: peak.rps, roundP99s: rounds.map((r) => r.p99Ms) });
  await withServer(() => startTrivial(freePort()), async (trivial) => {
    const p = await pairedRatio(s, trivial, ctx.fixtureFile, steady, d.pairedRounds, d.pairedSec);
    ctx.results.paired.push(p);
    log(`  alternating rounds: seedkeep ÷ trivial = ${p.ratios.map((r) => r.toFixed(2)).join(', ')} (median ${p.median.toFixed(2)})`);
  });
  ctx.results.udp.push(await measureUdp(s, ctx.fixtureFile, d.udpSec, d.warmupSec, d.quietMs, steady));
}

async function flushOn(ctx: Context, server: Running, database: string): Promise<void> {
  log(`  flush at peak, ${ctx.results.durations.flushSec} s on ${database}...`);
  const probe = { userId: MEMBERS + 1, passkey: passkeyOf(MEMBERS + 1), infoHash: ctx.fixture.hashes[0] };
  const f = await measureFlush(server, database, ctx.fixtureFile, probe, ctx.results.durations.flushSec);
  ctx.results.flush = f;
  log(`  flush: ${f.flushCount} flushes, p95 ${f.flushP95.toFixed(1)} ms; lag p50 ${f.lagP50.toFixed(0)} ms p95 ${f.lagP95.toFixed(0)} ms (first third ${f.lagEarly.toFixed(0)}, last ${f.lagLate.toFixed(0)}); ${Math.round(f.wrk.rps)} req/s`);
}
