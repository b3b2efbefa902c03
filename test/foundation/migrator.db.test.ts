import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { checksumOf, migrate, readMigrations } from '../../src/db/migrate.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';

function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'seedkeep-migrations-'));
  for (const [name, sql] of Object.entries(files)) {
    mkdirSync(path.join(dir, name));
    writeFileSync(path.join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

async function tables(db: TestDatabase): Promise<string[]> {
  const rows = await db.sql.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
  );
  return rows.map((r) => r.table_name);
}

describe('migrator', () => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.destroy();
    db = undefined;
  });

  it('builds a fresh database and records each migration the way Prisma does', async () => {
    db = await openTestDatabase({ migrate: false });
    const result = await db.migrate();
    assert.deepEqual(result.applied, readMigrations().map((m) => m.name));
    const rows = await db.sql.query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    assert.equal(rows.length, result.applied.length);
    for (const row of rows) {
      assert.ok(row.finished_at, 'finished_at is set');
      assert.equal(row.applied_steps_count, 1);
    }
    assert.ok((await tables(db)).includes('users'));
  });

  it('is a no-op when run again', async () => {
    db = await openTestDatabase();
    const again = await db.migrate();
    assert.deepEqual(again.applied, []);
    assert.equal(again.alreadyApplied.length, readMigrations().length);
  });

  it('uses the SHA-256 of migration.sql as its checksum, as prisma migrate does', () => {
    const sql = 'CREATE TABLE "t" ("id" SERIAL NOT NULL);\n';
    assert.equal(checksumOf(sql), createHash('sha256').update(Buffer.from(sql)).digest('hex'));
    // The known value Prisma stores for this exact file content.
    assert.equal(checksumOf(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('leaves nothing half-applied when a migration fails', async () => {
    db = await openTestDatabase({ migrate: false });
    const dir = migrationsDir({
      '20260101000000_good': 'CREATE TABLE "good" ("id" INTEGER);',
      '20260102000000_bad': 'CREATE TABLE "half" ("id" INTEGER);\nSELECT * FROM "no_such_table";',
    });
    await assert.rejects(migrate(db.sql, dir), /20260102000000_bad failed and was rolled back/);
    const names = await tables(db);
    assert.ok(names.includes('good'));
    assert.ok(!names.includes('half'), 'the failed migration left no table');
    const recorded = await db.sql.query<{ migration_name: string }>('SELECT migration_name FROM "_prisma_migrations"');
    assert.deepEqual(recorded.map((r) => r.migration_name), ['20260101000000_good']);
  });

  it('refuses a migration edited after it was applied', async () => {
    db = await openTestDatabase({ migrate: false });
    const dir = migrationsDir({ '20260101000000_a': 'CREATE TABLE "a" ("id" INTEGER);' });
    await migrate(db.sql, dir);
    writeFileSync(path.join(dir, '20260101000000_a', 'migration.sql'), 'CREATE TABLE "a" ("id" BIGINT);');
    await assert.rejects(migrate(db.sql, dir), /edited after it was applied/);
  });
});
