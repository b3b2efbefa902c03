// `npm test`: every spec under test/ on the embedded database (node's test runner + tsx).
// `npm run test:db`: only the database specs (*.db.test.ts), against TEST_DATABASE_URL.
// Extra arguments are file paths or globs to run instead of the whole suite.
// When database specs are among them, one template database is migrated first and each
// spec file gets a copy of it (test/helpers/template.ts), then it is removed.
// Files start longest first, by the seconds test/costs.json records for each (a file it does
// not know counts as an average one), so the slow ones do not start last and the parallel run
// ends together. `npm test -- --record-costs` runs each file alone and rewrites that table.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const dbOnly = args.includes('--db');
const explicit = args.filter((a) => !a.startsWith('--'));
const TEMPLATE = 'test/helpers/template.ts';
const COSTS = 'test/costs.json';

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...findTests(full));
    else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

function tsx(argv, options = {}) {
  return spawnSync(process.execPath, ['--import', 'tsx', ...argv], { stdio: 'inherit', ...options });
}

function createTemplate(env) {
  const made = tsx([TEMPLATE, 'create'], { env, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (made.status !== 0) {
    console.error('could not migrate the template test database');
    process.exit(made.status ?? 1);
  }
  return JSON.parse(made.stdout.trim().split('\n').pop());
}

const readCosts = () => (existsSync(COSTS) ? JSON.parse(readFileSync(COSTS, 'utf8')) : {});

/** Longest first; ties and unknown files by name, so the order is the same on every run. */
function byCost(files) {
  const costs = readCosts();
  const guess = (f) => (f.endsWith('.db.test.ts') ? 5 : 1);
  const cost = (f) => costs[f] ?? guess(f);
  return [...files].sort((a, b) => cost(b) - cost(a) || a.localeCompare(b));
}

/** Runs each file alone and records its wall seconds (run it on an otherwise idle machine). */
function recordCosts(files, env) {
  const costs = readCosts();
  for (const file of [...files].sort()) {
    const started = performance.now();
    const run = tsx(['--test', '--test-reporter=dot', file], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    costs[file] = Math.round((performance.now() - started) / 100) / 10;
    console.log(`${file} ${costs[file]} s${run.status === 0 ? '' : ' (failed)'}`);
  }
  const sorted = Object.fromEntries(Object.entries(costs).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(COSTS, `${JSON.stringify(sorted, null, 2)}\n`);
}

let files = (explicit.length > 0 ? explicit : findTests('test')).map((f) => path.normalize(f));
if (dbOnly) {
  if (!process.env.TEST_DATABASE_URL) {
    console.error('npm run test:db needs TEST_DATABASE_URL=postgres://... (see .ci/run)');
    process.exit(2);
  }
  files = files.filter((f) => f.endsWith('.db.test.ts'));
}
files = byCost(files);

// Every spec file, server and CLI the specs start is a new Node process loading the same
// modules: V8's compile cache lets them skip compiling what an earlier one compiled.
let env = { NODE_COMPILE_CACHE: path.join(tmpdir(), 'seedkeep-node-compile-cache'), ...process.env, NODE_ENV: 'test' };
const needsDatabase = files.some((f) => f.endsWith('.db.test.ts'));
if (needsDatabase) env = { ...env, ...createTemplate(env) };
// Files run in child processes; most wait on sockets, timers and the database worker rather
// than the CPU, so one more than the cores keeps both cores busy.
const concurrency = process.env.TEST_CONCURRENCY ?? String(availableParallelism() + 1);
let status = 0;
if (args.includes('--record-costs')) recordCosts(files, env);
else status = tsx(['--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files], { env }).status ?? 1;
if (needsDatabase) tsx([TEMPLATE, 'drop'], { env });
process.exit(status);
