// A fresh, migrated database for one test file: embedded PGlite in a temp dir by default, or a
// new PostgreSQL database when TEST_DATABASE_URL is set (`npm run test:db`, .ci/run).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/client.js';

export interface TestDatabase extends Database {
  /** the data dir (PGlite files, secrets) */
  dataDir: string;
  /** postgres URL of this database, '' on PGlite */
  url: string;
  /** closes and removes the database */
  destroy(): Promise<void>;
}

export const usingPostgres = (): boolean => Boolean(process.env.TEST_DATABASE_URL);

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates an empty Postgres database next to TEST_DATABASE_URL's and returns its URL. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sk_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

export async function openTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'seedkeep-test-'));
  let url = '';
  let drop = async (): Promise<void> => {};
  if (usingPostgres()) {
    const created = await createPostgresDatabase();
    url = created.url;
    drop = created.drop;
  }
  const db = openDatabase({ dataDir, databaseUrl: url });
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
