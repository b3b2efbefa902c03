// `npm test`: every spec under test/ on the embedded database (node's test runner + tsx).
// `npm run test:db`: only the database specs (*.db.test.ts), against TEST_DATABASE_URL.
// Extra arguments are file paths or globs to run instead of the whole suite.
// When database specs are among them, one template database is migrated first and each
// spec file gets a copy of it (test/helpers/template.ts), then it is removed.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const dbOnly = args.includes('--db');
const explicit = args.filter((a) => !a.startsWith('--'));
const TEMPLATE = 'test/helpers/template.ts';

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

let files = explicit.length > 0 ? explicit : findTests('test');
if (dbOnly) {
  if (!process.env.TEST_DATABASE_URL) {
    console.error('npm run test:db needs TEST_DATABASE_URL=postgres://... (see .ci/run)');
    process.exit(2);
  }
  files = files.filter((f) => f.endsWith('.db.test.ts'));
}
files.sort();

let env = { ...process.env, NODE_ENV: 'test' };
const needsDatabase = files.some((f) => f.endsWith('.db.test.ts'));
if (needsDatabase) env = { ...env, ...createTemplate(env) };
// Files run in child processes; most wait on sockets, timers and the database worker rather
// than the CPU, so one more than the cores keeps both cores busy.
const concurrency = process.env.TEST_CONCURRENCY ?? String(availableParallelism() + 1);
const result = tsx(['--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files], { env });
if (needsDatabase) tsx([TEMPLATE, 'drop'], { env });
process.exit(result.status ?? 1);
