import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';
import { diffShapes, shapeFromDatabase, shapeFromSchema, type SchemaShape } from './schema-compare.js';

const schemaText = readFileSync(new URL('../../prisma/schema.prisma', import.meta.url), 'utf8');

describe('schema.prisma and the migrations', () => {
  let db: TestDatabase;
  let actual: SchemaShape;

  before(async () => {
    db = await openTestDatabase();
    actual = await shapeFromDatabase(db.sql);
  });
  after(() => db.destroy());

  it('agree on tables, columns, types, nullability, defaults, enums, indexes, uniques and foreign keys', async () => {
    const differences = diffShapes(await shapeFromSchema(schemaText), actual);
    assert.deepEqual(differences, [], `schema.prisma and prisma/migrations disagree:\n  ${differences.join('\n  ')}`);
  });

  it('notices a column added to schema.prisma without a migration', async () => {
    const edited = schemaText.replace('model Category {', 'model Category {\n  color String?');
    const differences = diffShapes(await shapeFromSchema(edited), actual);
    assert.ok(differences.some((d) => d.includes('categories.color')), differences.join('\n'));
  });

  it('notices a changed type, nullability and uniqueness', async () => {
    const edited = schemaText
      .replace('sortOrder Int    @default(0) @map("sort_order")', 'sortOrder BigInt @default(0) @map("sort_order")')
      .replace('email            String?   @db.VarChar(254)', 'email            String    @db.VarChar(254)')
      .replace('slug      String @unique @db.VarChar(64)', 'slug      String @db.VarChar(64)');
    const differences = diffShapes(await shapeFromSchema(edited), actual);
    assert.ok(differences.some((d) => d.startsWith('column categories.sort_order')), differences.join('\n'));
    assert.ok(differences.some((d) => d.startsWith('column users.email')), differences.join('\n'));
    assert.ok(differences.some((d) => d.includes('categories_slug_key')), differences.join('\n'));
  });

  it('leaves room on the tracker tables\' pages so that per-announce row updates stay HOT (what schema.prisma cannot say)', async () => {
    const rows = await db.sql.query<{ relname: string; reloptions: string[] | null }>(
      `SELECT relname, reloptions FROM pg_class WHERE relname IN ('peers', 'transfers', 'traffic_daily', 'users') ORDER BY relname`,
    );
    assert.deepEqual(rows.map((r) => [r.relname, r.reloptions]), [
      ['peers', ['fillfactor=75']], ['traffic_daily', ['fillfactor=80']], ['transfers', ['fillfactor=75']], ['users', ['fillfactor=50']],
    ]);
  });
});
