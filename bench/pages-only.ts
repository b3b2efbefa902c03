// Runs only the page-latency section (bench/sections/pages.ts) and prints its rows, without
// rewriting bench/results/latest.md. The first run generates the 1M-release database.
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx bench/pages-only.ts [samples]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSeedkeep } from './lib/tools.js';
import { measurePages } from './sections/pages.js';

const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) throw new Error('Set DATABASE_URL to a PostgreSQL server (the bench creates seedkeep_bench_pages next to it).');
const samples = Number(process.argv[2] ?? 100);

buildSeedkeep(path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
const result = await measurePages({ baseUrl, releases: 1_000_000, members: 100_000, samples, mayGenerate: true });
if (result.seededNow) console.log(`generated the data in ${result.seedSeconds.toFixed(0)} s`);
if (result.skipped) console.log(`skipped: ${result.skipped}`);
console.log('page                          p50 ms   p95 ms   max ms  status');
for (const row of result.rows) {
  console.log(`${row.page.padEnd(28)} ${row.p50.toFixed(1).padStart(7)} ${row.p95.toFixed(1).padStart(8)} ${row.max.toFixed(1).padStart(8)}  ${row.status}`);
}
