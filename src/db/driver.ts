// The raw SQL connection under the one Prisma client: PGlite (embedded, in the data dir) or a
// pg Pool. The migrator needs multi-statement SQL, which Prisma's raw queries cannot run, so
// both sides expose the same small interface.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { PGliteProxy } from './pglite-proxy.js';

/**
 * Which lane of PGlite's one connection a statement or transaction takes (pglite-lanes.ts):
 * `background` lets pages go first (the tracker's flush and checkpoints). PostgreSQL has a
 * pool of connections and ignores it.
 */
export interface SqlLane {
  background?: boolean;
}

export interface SqlDriver {
  readonly kind: 'pglite' | 'postgres';
  /** one or more statements, no parameters */
  exec(sql: string, lane?: SqlLane): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** runs fn on one connection inside BEGIN/COMMIT, rolling back when it throws */
  transaction<T>(fn: (tx: SqlTx) => Promise<T>, lane?: SqlLane): Promise<T>;
  /** a page is being answered (background work waits for it on PGlite) until the returned function is called */
  beginPage(): () => void;
  close(): Promise<void>;
}

const noPage = (): void => {};

export interface SqlTx {
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** PGlite runs in a worker thread (see pglite-proxy.ts); `pglite` is the main thread's stand-in. */
export function openPglite(dataDir: string): { driver: SqlDriver; pglite: PGliteProxy } {
  const dir = path.join(dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  const pglite = new PGliteProxy(dir);
  const driver: SqlDriver = {
    kind: 'pglite',
    async exec(sql, lane) {
      if (lane?.background) await pglite.execBackground(sql);
      else await pglite.exec(sql);
    },
    async query<T>(sql: string, params?: unknown[]) {
      return (await pglite.query<T>(sql, params)).rows;
    },
    async transaction(fn, lane) {
      return pglite.transaction(async (tx) =>
        fn({
          async exec(sql) {
            await tx.exec(sql);
          },
          async query<T>(sql: string, params?: unknown[]) {
            return (await tx.query<T>(sql, params)).rows;
          },
        }),
        lane,
      );
    },
    beginPage: () => pglite.beginPage(),
    async close() {
      if (!pglite.closed) await pglite.close();
    },
  };
  return { driver, pglite };
}

// BIGINT (int8) as JS BigInt: byte counters exceed 2^53. Per query, not pg.types.setTypeParser:
// the global parser would also reach Prisma's adapter on the same pool, which then fails
// on count() ("Expected an integer ... got bigint").
const BIGINT_TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 && format !== 'binary' ? (value: string) => BigInt(value) : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};
const pgQuery = (text: string, values?: unknown[]): pg.QueryConfig => ({ text, values, types: BIGINT_TYPES });

const ignoreClientError = (): void => {};

export function openPostgres(url: string, max = 10): { driver: SqlDriver; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle client's error (the server went away) must not crash the process; the next
  // query reports it to its caller instead.
  pool.on('error', () => {});
  const driver: SqlDriver = {
    kind: 'postgres',
    async exec(sql) {
      await pool.query(pgQuery(sql));
    },
    async query<T>(sql: string, params?: unknown[]) {
      return (await pool.query(pgQuery(sql, params))).rows as T[];
    },
    async transaction(fn) {
      const client = await pool.connect();
      // A checked-out client's connection error (server restart, terminated backend) is also
      // emitted as an 'error' event, which the pool only listens to while the client is idle:
      // unheard, it would crash the process. The failing query rejects and the flush keeps its
      // deltas; the pool drops the broken client on release.
      client.on('error', ignoreClientError);
      try {
        await client.query('BEGIN');
        const result = await fn({
          async exec(sql) {
            await client.query(pgQuery(sql));
          },
          async query<T>(sql: string, params?: unknown[]) {
            return (await client.query(pgQuery(sql, params))).rows as T[];
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.removeListener('error', ignoreClientError);
        client.release();
      }
    },
    beginPage: () => noPage,
    async close() {
      if (!(pool as unknown as { ended: boolean }).ended) await pool.end();
    },
  };
  return { driver, pool };
}
