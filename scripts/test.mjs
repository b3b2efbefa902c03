// `npm test`: every spec under test/ on the embedded database (node's test runner + tsx).
// `npm run test:db`: only the database specs (*.db.test.ts), against TEST_DATABASE_URL.
// Extra arguments are file paths or globs to run instead of the whole suite.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const dbOnly = args.includes('--db');
const explicit = args.filter((a) => !a.startsWith('--'));

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...findTests(full));
    else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out;
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
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(result.status ?? 1);
