// `npm run bench` (method: bench/README.md): HTTP announce throughput, latency and CPU per
// announce by process of seedkeep on a steady and an all-new load, side by side with a trivial
// node:http responder, bittorrent-tracker and opentracker; UDP; latency at half of peak; the
// cost of the metrics; memory per peer; the ledger flush at peak; page latency at 1M releases.
// Writes bench/results/latest.md and prints the tables. `--quick`: shorter runs.
// DATABASE_URL (optional): also run seedkeep on PostgreSQL (scratch databases next to it),
// measure the flush there and the pages.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { httpOptions, log, MEMBERS, RELEASES, section, TRACKER_DB, withServer, type Context } from './lib/context.js';
import { makeFixture, writeFixtureFile, writeWhitelist } from './lib/fixture.js';
import { ALL_NEW, OPEN } from './lib/load.js';
import { describeMachine } from './lib/machine.js';
import { dropDatabase, freshDatabase, serverVersion } from './lib/pg.js';
import { freePort } from './lib/proc.js';
import { httpTable, renderMarkdown } from './lib/report.js';
import { httpTarget, targetsTable } from './lib/report-targets.js';
import { durationsFor, seedkeepRows, trivialRate } from './lib/results.js';
import { buildSeedkeep, ensureTools } from './lib/tools.js';
import { isLongSection, runLongSections } from './long-runs.js';
import { describeRounds, measureBoundaries } from './sections/boundaries.js';
import { burstLine, measureBurst } from './sections/burst.js';
import { measureHttp } from './sections/http.js';
import { heapBreakdown, measureMemory } from './sections/memory.js';
import { measureMetricsCost, metricsLine } from './sections/metrics-cost.js';
import { measurePages } from './sections/pages.js';
import { profileSeedkeep, profileTrivial } from './sections/profile.js';
import { seedkeepSuite } from './sections/seedkeep-suite.js';
import { measureUdp } from './sections/udp.js';
import { startBtTracker, startFixedAnswer, startOpentracker, startTrivial } from './servers/start.js';

const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'latest.md');
const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

async function baselines(ctx: Context): Promise<void> {
  const open = httpOptions(ctx, OPEN);
  await section(ctx, 'trivial node:http', () => withServer(() => startTrivial(freePort()), async (s) => void ctx.results.http.push(await measureHttp(s, open))));
  // seedkeep's requests (passkey paths, the longer query) through its transport alone
  await section(ctx, 'fixed answer through seedkeep\'s fast path', () => withServer(() => startFixedAnswer(freePort()), async (s) => void ctx.results.http.push(await measureHttp(s, httpOptions(ctx, ALL_NEW)))));
  await section(ctx, 'bittorrent-tracker', () => withServer(() => startBtTracker(freePort()), async (s) => void ctx.results.http.push(await measureHttp(s, open))));
  if (!ctx.tools.opentracker) {
    ctx.results.notes.push('opentracker rows skipped: the `opentracker` Debian package is not installed (run the bench as root to install it, or `apt-get install -y opentracker`).');
    return;
  }
  await section(ctx, 'opentracker', () => withServer(() => startOpentracker(freePort(), ctx.whitelist), async (s) => {
    ctx.results.http.push(await measureHttp(s, open, 'closes each connection after its reply: wrk counts that as a read error'));
    ctx.results.udp.push(await measureUdp(s, ctx.fixtureFile, ctx.results.durations.udpSec, ctx.results.durations.warmupSec, ctx.results.durations.quietMs));
  }));
}

async function seedkeepPglite(ctx: Context): Promise<void> {
  await section(ctx, 'seedkeep (PGlite)', () => seedkeepSuite(ctx, 'seedkeep (PGlite)', '', !ctx.pgUrl));
}

async function seedkeepPostgres(ctx: Context): Promise<void> {
  if (!ctx.pgUrl) {
    ctx.results.notes.push('seedkeep on PostgreSQL, the flush on PostgreSQL and the page latency need DATABASE_URL (e.g. `DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench`); the flush was measured on PGlite.');
    return;
  }
  await section(ctx, 'seedkeep (Postgres)', async () => {
    const url = await freshDatabase(ctx.pgUrl, TRACKER_DB);
    try {
      await seedkeepSuite(ctx, 'seedkeep (Postgres)', url, true, ctx.results.quick);
    } finally {
      await dropDatabase(ctx.pgUrl, TRACKER_DB);
    }
  });
}

/** What holding session-boundary replies until their flush costs: alternating rounds, hold on and off. */
async function boundaries(ctx: Context): Promise<void> {
  const databases: [string, string][] = [['PGlite', '']];
  if (ctx.pgUrl) databases.push(['Postgres', ctx.pgUrl]);
  for (const [name, url] of databases) {
    await section(ctx, `session-boundary replies (${name})`, async () => {
      const quick = ctx.results.quick;
      const rounds = await measureBoundaries({ databaseUrl: url, clients: 20, roundSec: quick ? 2 : 5, rounds: quick ? 1 : 3 });
      const text = describeRounds(name, 20, rounds);
      ctx.results.notes.push(text);
      log(`  ${text}`);
    });
  }
}

/** Profiles seedkeep's announce path on the steady load for every database it missed the HTTP target on. */
async function profiles(ctx: Context): Promise<void> {
  const trivial = trivialRate(ctx.results);
  if (!trivial) return;
  const missed = seedkeepRows(ctx.results, 'steady').filter((h) => (ctx.results.paired.find((p) => p.server === h.server)?.median ?? h.rps / trivial) < httpTarget(h.server));
  if (!ctx.results.durations.profile) {
    if (missed.length) ctx.results.notes.push('seedkeep missed the HTTP target: the full run (without --quick) adds CPU profiles of its announce path.');
    return;
  }
  if (missed.length === 0) return;
  await section(ctx, 'CPU profile of trivial node:http', async () => {
    ctx.results.trivialProfile = await profileTrivial({ work: ctx.work, fixtureFile: ctx.fixtureFile, durationSec: 8 });
  });
  for (const row of missed) {
    const onPostgres = row.server.includes('Postgres');
    await section(ctx, `CPU profile of ${row.server}`, async () => {
      const databaseUrl = onPostgres ? await freshDatabase(ctx.pgUrl, TRACKER_DB) : '';
      try {
        const p = await profileSeedkeep({ label: row.server, work: ctx.work, databaseUrl, fixtureFile: ctx.fixtureFile,
          durationSec: 8, members: MEMBERS, releases: RELEASES });
        ctx.results.profiles.push(p);
        for (const a of p.summary.byArea.slice(0, 8)) log(`  ${(a.share * 100).toFixed(1).padStart(5)}%  ${a.name}`);
      } finally {
        if (onPostgres) await dropDatabase(ctx.pgUrl, TRACKER_DB);
      }
    });
  }
}

/** A burst of new peers with the database healthy: pending entries and flush lag (sections/burst.ts). */
async function burst(ctx: Context): Promise<void> {
  await section(ctx, 'burst of new peers', async () => {
    const b = await measureBurst({ pgUrl: ctx.pgUrl, ratePerSec: 19_000, seconds: ctx.results.quick ? 3 : 10 });
    ctx.results.notes.push(burstLine(b));
    log(`  ${burstLine(b)}`);
  });
}

async function metricsCost(ctx: Context): Promise<void> {
  const d = ctx.results.durations;
  await section(ctx, 'cost of the Prometheus metrics', async () => {
    const m = await measureMetricsCost({ work: ctx.work, fixtureFile: ctx.fixtureFile, members: MEMBERS, releases: RELEASES, population: d.population,
      rounds: d.metricsRounds, roundSec: d.metricsSec, coreRounds: d.metricsCoreRounds, coreCalls: d.metricsCoreCalls });
    ctx.results.metrics = m;
    log(`  ${metricsLine(m)}`);
  });
}

async function memory(ctx: Context): Promise<void> {
  const d = ctx.results.durations;
  await section(ctx, `memory: ${d.memoryPeers} peers`, async () => {
    const m = await measureMemory(d.memoryPeers, d.memoryReleases, d.memoryMembers);
    ctx.results.memory = m;
    log(`  ${m.peers} peers: heap ${(m.heapPerPeer).toFixed(0)} B/peer, RSS ${(m.rssPerPeer).toFixed(0)} B/peer`);
    if (ctx.results.quick) return;
    // where those bytes go: a heap snapshot of a tenth of the population, same peers per release
    const h = await heapBreakdown(ctx.work, d.memoryPeers / 10, d.memoryReleases / 10, d.memoryMembers / 10);
    ctx.results.heap = h;
    for (const row of h.rows.slice(0, 6)) log(`  ${row.perPeer.toFixed(0).padStart(5)} B/peer  ${row.kind}`);
  });
}

async function pages(ctx: Context): Promise<void> {
  if (!ctx.pgUrl) return;
  if (ctx.results.quick) {
    ctx.results.notes.push('pages are measured by the full run only (loading 1M releases does not fit in --quick).');
    return;
  }
  await section(ctx, 'pages at 1M releases', async () => {
    const p = await measurePages({ baseUrl: ctx.pgUrl, releases: 1_000_000, members: 100_000, samples: ctx.results.durations.pageSamples, mayGenerate: !ctx.results.quick });
    ctx.results.pages = p;
    if (p.skipped) log(`  skipped: ${p.skipped}`);
    for (const row of p.rows) log(`  ${row.page.padEnd(26)} p50 ${row.p50.toFixed(1)} ms  p95 ${row.p95.toFixed(1)} ms  status ${row.status}`);
  });
}

async function main(): Promise<void> {
  const named = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if (named.length > 0) {
    const unknown = named.filter((n) => !isLongSection(n));
    if (unknown.length > 0) throw new Error(`unknown bench section ${unknown.join(', ')}: stop, soak, scale, memory or metrics-cost (bench/README.md)`);
    return runLongSections(named, process.argv.slice(2).filter((a) => a.startsWith('--')), ROOT);
  }
  const quick = process.argv.includes('--quick');
  const started = Date.now();
  const tools = ensureTools();
  if (!tools.wrk || !tools.taskset) {
    log(`The bench needs ${tools.missing.join(', ')}: install them (apt-get install -y wrk util-linux) and run it again.`);
    process.exit(2);
  }
  buildSeedkeep(ROOT);
  const work = mkdtempSync(path.join(tmpdir(), 'seedkeep-bench-'));
  // opentracker drops root privileges to nobody before it reads its whitelist
  chmodSync(work, 0o755);
  const fixture = makeFixture(MEMBERS, RELEASES);
  const ctx: Context = {
    results: { quick, machine: describeMachine(), durations: durationsFor(quick), http: [], samples: {}, latency: [], udp: [], paired: [], profiles: [], notes: [], errors: [] },
    fixture, fixtureFile: path.join(work, 'fixture.txt'), whitelist: path.join(work, 'whitelist.txt'), work,
    pgUrl: process.env.DATABASE_URL ?? '', tools,
  };
  writeFixtureFile(fixture, ctx.fixtureFile);
  writeWhitelist(fixture, ctx.whitelist);
  if (ctx.pgUrl) ctx.results.machine.postgres = await serverVersion(ctx.pgUrl).catch(() => 'unreachable');
  for (const missing of tools.missing) ctx.results.notes.push(`missing tool: ${missing}`);
  try {
    await baselines(ctx);
    await seedkeepPglite(ctx);
    await seedkeepPostgres(ctx);
    await boundaries(ctx);
    await burst(ctx);
    await metricsCost(ctx);
    await profiles(ctx);
    await memory(ctx);
    await pages(ctx);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  ctx.results.notes.push(`whole run took ${Math.round((Date.now() - started) / 1000)} s.`);
  mkdirSync(path.dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, renderMarkdown(ctx.results));
  log(`\n${httpTable(ctx.results)}\n\n${targetsTable(ctx.results)}\n\nwritten to ${path.relative(process.cwd(), RESULTS)}`);
}

await main();
