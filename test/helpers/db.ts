// A fresh, migrated database for one test file: embedded PGlite in a temp dir by default, or a
// new PostgreSQL database when TEST_DATABASE_URL is set (`npm run test:db`, .ci/run).
// Migrating costs seconds per database, so scripts/test.mjs migrates one template per run
// (test/helpers/template.ts) and each file gets a copy of it; without a template (a spec run
// by hand with `node --test`) the database is migrated here. A spec that migrates itself
// (`migrate: false`) gets a copy of the run's blank PGlite cluster instead of an initdb.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/client.js';
import { blankFromEnv, templateFromEnv } from './template.js';

export interface TestDatabase extends Database {
  /** the data dir (PGlite files, secrets) */
  dataDir: string;
  /** postgres URL of this database, '' on PGlite */
  url: string;
  /** closes and removes the database */
  destroy(): Promise<void>;
}

export const usingPostgres = (): boolean => Boolean(process.env.TEST_DATABASE_URL);

/** Runs one statement on TEST_DATABASE_URL's database (CREATE/DROP DATABASE). */
export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The URL of database `name` on TEST_DATABASE_URL's server. */
export function postgresUrl(name: string): string {
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates a Postgres database next to TEST_DATABASE_URL's (empty, or a copy of `template`). */
export async function createPostgresDatabase(template?: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sk_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
  return {
    url: postgresUrl(name),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/** A directory to open PGlite on: a copy of the run's blank cluster, or empty (PGlite runs initdb). */
export function pgliteDataDir(dir = mkdtempSync(path.join(tmpdir(), 'seedkeep-pglite-'))): string {
  const blank = blankFromEnv();
  if (blank) cpSync(blank, dir, { recursive: true });
  return dir;
}

export async function openTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'seedkeep-test-'));
  const template = options.migrate === false ? undefined : templateFromEnv();
  let url = '';
  let drop = async (): Promise<void> => {};
  if (usingPostgres()) {
    const created = await createPostgresDatabase(template?.postgres);
    url = created.url;
    drop = created.drop;
  } else {
    // a closed PGlite's files are a complete Postgres data directory
    const copied = template?.pglite ?? (options.migrate === false ? blankFromEnv() : undefined);
    if (copied) cpSync(copied, path.join(dataDir, 'pglite'), { recursive: true });
  }
  const db = openDatabase({ dataDir, databaseUrl: url });
  // on a copy of the template this finds every migration applied and does nothing
  if (options.migrate !== false) await db.migrate();
  return {
    ...db,
    dataDir,
    url,
    async destroy() {
      await db.close();
      await drop().catch(() => {});
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
