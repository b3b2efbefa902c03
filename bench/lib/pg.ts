// Scratch PostgreSQL databases for the bench, next to the one DATABASE_URL names.
import pg from 'pg';

export function databaseUrlFor(baseUrl: string, name: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(baseUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Drops (if present) and creates an empty database; returns its URL. */
export async function freshDatabase(baseUrl: string, name: string): Promise<string> {
  await withAdmin(baseUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  });
  return databaseUrlFor(baseUrl, name);
}

export async function databaseExists(baseUrl: string, name: string): Promise<boolean> {
  return withAdmin(baseUrl, async (client) => (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);
}

export async function dropDatabase(baseUrl: string, name: string): Promise<void> {
  await withAdmin(baseUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).catch(() => {});
}

export async function serverVersion(baseUrl: string): Promise<string> {
  return withAdmin(baseUrl, async (client) => String((await client.query('SHOW server_version')).rows[0].server_version));
}

export async function queryOne<T>(url: string, sql: string, params: unknown[] = []): Promise<T | undefined> {
  return withAdmin(url, async (client) => (await client.query(sql, params)).rows[0] as T | undefined);
}

/** pids of the client backends connected to `database` (the server runs on this machine). */
export async function backendPids(baseUrl: string, database: string): Promise<number[]> {
  return withAdmin(baseUrl, async (client) =>
    (await client.query("SELECT pid FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'", [database])).rows.map((r) => Number(r.pid)));
}
