// The one Prisma client of the process, on PGlite (DATABASE_URL empty) or PostgreSQL.
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { Config } from '../config.js';
import { PrismaClient } from '../generated/prisma/client.js';
import { openPglite, openPostgres, type SqlDriver } from './driver.js';
import { migrate, type MigrationResult } from './migrate.js';

export type Prisma = PrismaClient;

export interface Database {
  prisma: PrismaClient;
  sql: SqlDriver;
  /** applies pending migrations; start-up calls it before anything else touches tables */
  migrate(): Promise<MigrationResult>;
  /** true when a trivial query answers */
  ping(): Promise<boolean>;
  /** the PostgreSQL pool's connections (the metrics read them); null on PGlite */
  poolStats(): { total: number; idle: number; waiting: number } | null;
  close(): Promise<void>;
}

export function openDatabase(config: Pick<Config, 'dataDir' | 'databaseUrl'>): Database {
  let sql: SqlDriver;
  let prisma: PrismaClient;
  let pgPool: import('pg').Pool | null = null;
  if (config.databaseUrl) {
    const { driver, pool } = openPostgres(config.databaseUrl);
    pgPool = pool;
    sql = driver;
    prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  } else {
    const { driver, pglite } = openPglite(config.dataDir);
    sql = driver;
    // The adapter uses only query/exec/transaction/close of what it is given, which the proxy has.
    prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite as unknown as PGlite) });
  }
  let closed = false;
  return {
    prisma,
    sql,
    migrate: () => migrate(sql),
    async ping() {
      try {
        await sql.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    poolStats: () => (pgPool ? { total: pgPool.totalCount, idle: pgPool.idleCount, waiting: pgPool.waitingCount } : null),
    async close() {
      if (closed) return;
      closed = true;
      await prisma.$disconnect().catch(() => {});
      await sql.close();
    },
  };
}
