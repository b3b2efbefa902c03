// `npx tsx bench/metrics-cost.ts [--quick]`: what the Prometheus metrics cost on the HTTP
// announce path. Two seedkeep servers on the same fixture (embedded database), one with
// METRICS_TOKEN set (the core wrapped by the tally, the request hook on, /metrics scraped
// every 5 s during the rounds as Prometheus would) and one without, measured with the bench's
// wrk announce load in alternating rounds (off, on, off, on, ...); each "on" round is compared
// with the "off" rounds on either side, and the median of those ratios is the cost.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { httpGet } from './lib/announce-url.js';
import { makeFixture, writeFixtureFile } from './lib/fixture.js';
import { freePort } from './lib/proc.js';
import { median } from './lib/stats.js';
import { buildSeedkeep, ensureTools } from './lib/tools.js';
import { runWrk } from './lib/wrk.js';
import { startSeedkeep } from './servers/start.js';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 3 : 6;
const ROUND_SEC = quick ? 8 : 15;
const TOKEN = 'b'.repeat(40);

async function main(): Promise<void> {
  ensureTools();
  buildSeedkeep(ROOT);
  const work = mkdtempSync(path.join(tmpdir(), 'seedkeep-metrics-cost-'));
  const fixture = makeFixture(10_000, 10_000);
  const fixtureFile = path.join(work, 'fixture.txt');
  writeFixtureFile(fixture, fixtureFile);
  const common = { databaseUrl: '', members: 10_000, releases: 10_000 };
  const off = await startSeedkeep('metrics off', { ...common, dataDir: mkdtempSync(path.join(work, 'off-')), port: freePort(), udpPort: freePort() });
  const on = await startSeedkeep('metrics on', { ...common, dataDir: mkdtempSync(path.join(work, 'on-')), port: freePort(), udpPort: freePort(), metricsToken: TOKEN });
  const scraper = setInterval(() => void fetch(`${on.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } }).then((r) => r.text()).catch(() => {}), 5000);
  try {
    const round = async (url: string) => (await runWrk({ url, fixtureFile, mode: 'passkey', connections: 50, durationSec: ROUND_SEC })).rps;
    await round(off.url);
    await round(on.url); // warm-up of both
    const offRps = [await round(off.url)];
    const onRps: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      onRps.push(await round(on.url));
      offRps.push(await round(off.url));
      process.stdout.write(`  round ${i + 1}: off ${offRps[i].toFixed(0)}, on ${onRps[i].toFixed(0)}, off ${offRps[i + 1].toFixed(0)} req/s\n`);
    }
    const ratios = onRps.map((rps, i) => rps / ((offRps[i] + offRps[i + 1]) / 2));
    const health = (await httpGet(on.url, '/healthz', 10_000)).toString();
    process.stdout.write(`\nmetrics on / off, median of ${ROUNDS} alternating ${ROUND_SEC} s rounds: ${median(ratios).toFixed(3)} (cost ${((1 - median(ratios)) * 100).toFixed(1)} %)\n`);
    process.stdout.write(`ratios: ${ratios.map((r) => r.toFixed(3)).join(' ')}\noff: ${offRps.map((r) => r.toFixed(0)).join(' ')}\non: ${onRps.map((r) => r.toFixed(0)).join(' ')}\nhealth (on): ${health}\n`);
  } finally {
    clearInterval(scraper);
    await on.stop();
    await off.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
