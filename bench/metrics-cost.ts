// `npx tsx bench/metrics-cost.ts [--quick]`: the metrics-cost section of `npm run bench` alone
// (sections/metrics-cost.ts): what the Prometheus metrics cost on the HTTP announce path.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeFixture, writeFixtureFile } from './lib/fixture.js';
import { STEADY_DEFAULTS } from './lib/load.js';
import { buildSeedkeep, ensureTools } from './lib/tools.js';
import { measureMetricsCost, metricsLine } from './sections/metrics-cost.js';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');

ensureTools();
buildSeedkeep(ROOT);
const work = mkdtempSync(path.join(tmpdir(), 'seedkeep-metrics-cost-'));
try {
  const fixtureFile = path.join(work, 'fixture.txt');
  writeFixtureFile(makeFixture(10_000, 10_000), fixtureFile);
  const m = await measureMetricsCost({ work, fixtureFile, members: 10_000, releases: 10_000, population: STEADY_DEFAULTS.population,
    rounds: quick ? 3 : 6, roundSec: quick ? 5 : 10, coreRounds: quick ? 3 : 8, coreCalls: quick ? 100_000 : 200_000 });
  process.stdout.write(`\n${metricsLine(m)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
