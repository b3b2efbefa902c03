// One migrated template database per test run. scripts/test.mjs runs this file before the
// test runner starts (`create`, which prints the environment the specs need) and after it
// ends (`drop`); openTestDatabase (test/helpers/db.ts) copies the template for each file:
// PGlite by copying the closed template's data directory, PostgreSQL with
// CREATE DATABASE ... TEMPLATE. On PGlite there is also a blank cluster (initdb run, nothing
// migrated) for the specs that migrate themselves: copying it costs a fraction of an initdb.
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase } from '../../src/db/client.js';
import { adminQuery, postgresUrl } from './db.js';

/** PGlite: the template's data directory; PostgreSQL: the template database's name. */
const PGLITE_VAR = 'SEEDKEEP_TEST_PGLITE_TEMPLATE';
const POSTGRES_VAR = 'SEEDKEEP_TEST_POSTGRES_TEMPLATE';
/** PGlite: the blank cluster's data directory. */
const BLANK_VAR = 'SEEDKEEP_TEST_PGLITE_BLANK';

export interface Template {
  pglite?: string;
  postgres?: string;
}

export function templateFromEnv(): Template | undefined {
  const pglite = process.env[PGLITE_VAR];
  const postgres = process.env[POSTGRES_VAR];
  if (process.env.TEST_DATABASE_URL) return postgres ? { postgres } : undefined;
  return pglite && existsSync(pglite) ? { pglite } : undefined;
}

/** PGlite's blank cluster, when this run made one; without it PGlite runs initdb itself. */
export function blankFromEnv(): string | undefined {
  const blank = process.env[BLANK_VAR];
  return blank && existsSync(blank) ? blank : undefined;
}

/** Migrates a new template and returns the variables that point openTestDatabase at it. */
export async function createTemplate(): Promise<Record<string, string>> {
  if (process.env.TEST_DATABASE_URL) {
    // sk_test_ so .ci/run's clean-up also drops a template left by a killed run
    const name = `sk_test_template_${randomBytes(6).toString('hex')}`;
    await adminQuery(`CREATE DATABASE "${name}"`);
    const db = openDatabase({ dataDir: tmpdir(), databaseUrl: postgresUrl(name) });
    try {
      await db.migrate();
    } finally {
      await db.close();
    }
    return { [POSTGRES_VAR]: name };
  }
  const blankDir = mkdtempSync(path.join(tmpdir(), 'seedkeep-template-'));
  const blank = openDatabase({ dataDir: blankDir, databaseUrl: '' });
  await blank.sql.query('SELECT 1'); // PGlite runs initdb on its first statement's way
  await blank.close();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'seedkeep-template-'));
  cpSync(path.join(blankDir, 'pglite'), path.join(dataDir, 'pglite'), { recursive: true });
  const db = openDatabase({ dataDir, databaseUrl: '' });
  try {
    await db.migrate();
  } finally {
    await db.close();
  }
  return { [PGLITE_VAR]: path.join(dataDir, 'pglite'), [BLANK_VAR]: path.join(blankDir, 'pglite') };
}

/** Removes the template named by the environment. */
export async function dropTemplate(env: Record<string, string | undefined>): Promise<void> {
  for (const dir of [env[PGLITE_VAR], env[BLANK_VAR]]) {
    if (dir) rmSync(path.dirname(dir), { recursive: true, force: true });
  }
  const postgres = env[POSTGRES_VAR];
  if (postgres && process.env.TEST_DATABASE_URL) await adminQuery(`DROP DATABASE IF EXISTS "${postgres}" WITH (FORCE)`);
}

async function main(command: string | undefined): Promise<void> {
  if (command === 'create') process.stdout.write(`${JSON.stringify(await createTemplate())}\n`);
  else if (command === 'drop') await dropTemplate(process.env);
  else throw new Error('usage: template.ts create|drop');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv[2]).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
