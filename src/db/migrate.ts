// Our own small migrator. Prisma's CLI cannot run here (it downloads a native engine), so the
// SQL in prisma/migrations/<stamp>_<name>/migration.sql is applied at start-up, one
// transaction per migration, and recorded in Prisma's own `_prisma_migrations` table with
// Prisma's checksum (SHA-256 hex of the file) so `prisma migrate deploy` / `status` agree
// wherever the engine exists.
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlDriver } from './driver.js';

export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

// The table exactly as Prisma's schema engine creates it.
const BOOKKEEPING_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

export class MigrationError extends Error {
  readonly migration?: string;

  constructor(message: string, migration?: string) {
    super(message);
    this.migration = migration;
    this.name = 'MigrationError';
  }
}

/** Prisma's migration checksum: SHA-256 of the migration.sql bytes, lower-case hex. */
export function checksumOf(sql: string | Buffer): string {
  return createHash('sha256').update(sql).digest('hex');
}

export function readMigrations(dir = DEFAULT_MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const bytes = readFileSync(path.join(dir, name, 'migration.sql'));
      return { name, sql: bytes.toString('utf8'), checksum: checksumOf(bytes) };
    });
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

async function readApplied(sql: SqlDriver): Promise<Map<string, AppliedRow>> {
  const rows = await sql.query<AppliedRow>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
  );
  return new Map(rows.map((row) => [row.migration_name, row]));
}

function checkAgainstApplied(migrations: Migration[], applied: Map<string, AppliedRow>): void {
  const known = new Set(migrations.map((m) => m.name));
  for (const [name, row] of applied) {
    if (!known.has(name)) {
      throw new MigrationError(`the database has migration ${name}, which is not in prisma/migrations (a newer seedkeep?)`, name);
    }
    if (row.finished_at === null) {
      throw new MigrationError(`migration ${name} was started but never finished; resolve it by hand before starting`, name);
    }
  }
  for (const migration of migrations) {
    const row = applied.get(migration.name);
    if (row && row.checksum !== migration.checksum) {
      throw new MigrationError(`migration ${migration.name} was edited after it was applied (checksum differs)`, migration.name);
    }
  }
}

/** Returns false when another process applied it first. */
async function applyOne(sql: SqlDriver, migration: Migration): Promise<boolean> {
  try {
    return await sql.transaction(async (tx) => {
      // Two processes starting at once on one Postgres: the second waits here, then skips.
      if (sql.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(72707369)');
      const done = await tx.query(
        'SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1 AND rolled_back_at IS NULL',
        [migration.name],
      );
      if (done.length > 0) return false;
      await tx.exec(migration.sql);
      await tx.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, started_at, applied_steps_count)
         VALUES ($1, $2, now(), $3, NULL, now(), 1)`,
        [randomUUID(), migration.checksum, migration.name],
      );
      return true;
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`migration ${migration.name} failed and was rolled back: ${reason}`, migration.name);
  }
}

/** Applies every migration not yet recorded, in name order. Re-running is a no-op. */
export async function migrate(sql: SqlDriver, dir = DEFAULT_MIGRATIONS_DIR): Promise<MigrationResult> {
  const migrations = readMigrations(dir);
  await sql.exec(BOOKKEEPING_TABLE);
  const applied = await readApplied(sql);
  checkAgainstApplied(migrations, applied);
  const result: MigrationResult = { applied: [], alreadyApplied: [] };
  for (const migration of migrations) {
    const fresh = !applied.has(migration.name) && (await applyOne(sql, migration));
    (fresh ? result.applied : result.alreadyApplied).push(migration.name);
  }
  return result;
}
