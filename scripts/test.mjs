// `npm test`: every spec under test/ on the embedded database (node's test runner, the sources
// run on Node's own type stripping through scripts/ts-hooks.mjs).
// `npm run test:db`: only the database specs (*.db.test.ts), against TEST_DATABASE_URL.
// Extra arguments are file paths or globs to run instead of the whole suite.
// When database specs are among them, one template database is migrated first and each
// spec file gets a copy of it (test/helpers/template.ts), then it is removed.
// Files start longest first, by the seconds test/costs.json records for each (a file it does
// not know counts as an average one), so the slow ones do not start last and the parallel run
// ends together. `npm test -- --record-costs` runs as usual and rewrites that table from what
// each file cost in the run (scripts/test-cost-probe.mjs); `--record-costs=alone` runs each
// file by itself instead (slow; on an otherwise idle machine).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

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

const HOOKS = pathToFileURL(path.resolve('scripts/ts-hooks.mjs')).href;

function runTs(argv, options = {}) {
  return spawnSync(process.execPath, ['--import', HOOKS, ...argv], { stdio: 'inherit', ...options });
}

function createTemplate(env) {
  const made = runTs([TEMPLATE, 'create'], { env, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
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

/** The table with `measured` merged in; files that no longer exist are dropped. */
function writeCosts(measured) {
  const costs = { ...readCosts(), ...measured };
  const kept = Object.entries(costs).filter(([file]) => existsSync(file));
  const sorted = Object.fromEntries(kept.sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(COSTS, `${JSON.stringify(sorted, null, 2)}\n`);
}

const tenths = (seconds) => Math.round(seconds * 10) / 10;

/** Runs each file alone and records its wall seconds (run it on an otherwise idle machine). */
function recordCostsAlone(files, env) {
  const measured = {};
  for (const file of [...files].sort()) {
    const started = performance.now();
    const run = runTs(['--test', '--test-reporter=dot', file], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    measured[file] = tenths((performance.now() - started) / 1000);
    console.log(`${file} ${measured[file]} s${run.status === 0 ? '' : ' (failed)'}`);
  }
  writeCosts(measured);
}

/**
 * Costs from a parallel run's probe log. A file's wall time there is stretched by the files
 * running beside it, and its CPU time misses what it spent waiting (sockets, real clients'
 * transfers): the cost is the larger of its CPU seconds and its wall seconds scaled by the
 * run's CPU-to-wall ratio, which is roughly what it takes alone.
 */
function costsFromProbe(logFile) {
  const lines = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').filter(Boolean) : [];
  const rows = lines.map((line) => JSON.parse(line));
  const wall = rows.reduce((sum, r) => sum + r.wall, 0);
  const scale = wall > 0 ? rows.reduce((sum, r) => sum + r.cpu, 0) / wall : 1;
  const measured = Object.fromEntries(rows.map((r) => [path.normalize(r.file), tenths(Math.max(r.cpu, r.wall * scale))]));
  const cpu = rows.reduce((sum, r) => sum + r.cpu, 0);
  console.log(`recorded ${rows.length} files in ${COSTS}: ${Math.round(cpu)} CPU seconds in all`);
  return measured;
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
const record = args.find((a) => a.startsWith('--record-costs'));
if (record === '--record-costs=alone') recordCostsAlone(files, env);
else {
  const probeDir = record ? mkdtempSync(path.join(tmpdir(), 'seedkeep-costs-')) : undefined;
  const probeLog = probeDir && path.join(probeDir, 'costs.jsonl');
  // NODE_OPTIONS reaches every spec file's process; the probe records only those
  const probe = probeLog ? { SEEDKEEP_TEST_COSTS_LOG: probeLog, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --import=${pathToFileURL(path.resolve('scripts/test-cost-probe.mjs')).href}`.trim() } : {};
  status = runTs(['--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files], { env: { ...env, ...probe } }).status ?? 1;
  if (probeLog) writeCosts(costsFromProbe(probeLog));
  if (probeDir) rmSync(probeDir, { recursive: true, force: true });
}
if (needsDatabase) runTs([TEMPLATE, 'drop'], { env });
process.exit(status);
