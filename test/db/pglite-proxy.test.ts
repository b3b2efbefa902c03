import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PGlite, messages } from '@electric-sql/pglite';
import { Prisma } from '../../src/generated/prisma/client.js';
import { PGliteProxy } from '../../src/db/pglite-proxy.js';
import { openTestDatabase, pgliteDataDir, type TestDatabase } from '../helpers/db.js';

const tempDir = (): string => mkdtempSync(path.join(tmpdir(), 'seedkeep-proxy-'));
const settled = <T>(promise: Promise<T>): { done: boolean } => {
  const state = { done: false };
  promise.then(() => (state.done = true), () => (state.done = true));
  return state;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// One value of each kind the schema and the tracker use, and a few more.
const TYPES_SQL = `SELECT $1::int8 AS big, 42::int8 AS small_big, $2::bytea AS bin, $3::timestamptz AS tstz,
  $3::timestamp AS ts, '2024-02-29'::date AS day, '12:34:56.5'::time AS clock, $4::numeric AS num, $5::bool AS flag,
  $6::jsonb AS doc, '[1,"a"]'::json AS doc2, $7::int4[] AS ints, $8::text[] AS texts, $9::bytea[] AS bins,
  ARRAY[1, 9223372036854775807]::int8[] AS bigs, NULL::int8 AS nothing, 'x'::varchar(4) AS v, 'ab'::char(3) AS c,
  1.5::float8 AS f, 2::int2 AS s, '1 day'::interval AS span, 'member'::name AS nm, 7::oid AS o`;
const slab = Buffer.alloc(64 * 1024, 7);
const TYPES_PARAMS = [
  2n ** 62n + 1n,
  slab.subarray(100, 120), // a view into a larger buffer, like a peer_id cut from a request
  new Date('2024-05-06T07:08:09.123Z'),
  '12345678901234567890.125',
  true,
  { a: [1, 'x', null], b: { c: true } },
  [1, null, -3],
  ['plain', 'with "quotes", commas', null, ''],
  [Buffer.from('ab'), slab.subarray(0, 3)],
];

// A broken proxy hangs rather than fails: every suite has a deadline.
describe('PGlite in a worker thread (PGliteProxy)', { timeout: 180_000 }, () => {
  let proxy: PGliteProxy;
  let direct: PGlite;
  let dir: string;
  let directDir: string;
  before(async () => {
    dir = pgliteDataDir();
    proxy = new PGliteProxy(dir);
    directDir = pgliteDataDir();
    direct = new PGlite(directDir);
    await proxy.exec('CREATE TABLE t (id int PRIMARY KEY, note text)');
    await direct.exec('CREATE TABLE t (id int PRIMARY KEY, note text)');
  });
  after(async () => {
    await proxy.close();
    await direct.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(directDir, { recursive: true, force: true });
  });

  it('returns the same values as PGlite on this thread, with its default parsers', async () => {
    const mine = await proxy.query(TYPES_SQL, TYPES_PARAMS);
    const theirs = await direct.query(TYPES_SQL, TYPES_PARAMS);
    assert.deepEqual(mine.fields, theirs.fields);
    assert.deepStrictEqual(mine.rows, theirs.rows);
    const row = mine.rows[0] as Record<string, unknown>;
    assert.equal(row.big, 2n ** 62n + 1n);
    assert.equal(row.small_big, 42);
    assert.deepEqual(row.bin, new Uint8Array(20).fill(7));
    assert.deepEqual(row.bigs, [1, 9223372036854775807n]);
    assert.deepEqual(row.bins, [new Uint8Array([97, 98]), new Uint8Array([7, 7, 7])]);
  });

  it('applies the caller\'s parsers (as Prisma\'s adapter passes them) in array row mode', async () => {
    const parsers = {
      20: (v: string) => `int8 ${v}`,
      17: (v: string) => `bytea ${v}`,
      1184: (v: string) => `tstz ${v}`,
      1016: (v: string) => `int8[] ${v}`,
    };
    const options = { rowMode: 'array' as const, parsers };
    const mine = await proxy.query(TYPES_SQL, TYPES_PARAMS, options);
    const theirs = await direct.query(TYPES_SQL, TYPES_PARAMS, options);
    assert.deepStrictEqual(mine.rows, theirs.rows);
    assert.equal((mine.rows[0] as unknown[])[0], `int8 ${2n ** 62n + 1n}`);
    assert.equal((mine.rows[0] as unknown[])[2], `bytea \\x${'07'.repeat(20)}`);
  });

  it('reports affected rows and runs multi-statement scripts as PGlite does', async () => {
    const script = "INSERT INTO t VALUES (100, 'a'), (101, 'b'); DELETE FROM t WHERE id >= 100; SELECT 1 AS one";
    const results = await proxy.exec(script);
    assert.deepStrictEqual(results, await direct.exec(script));
    assert.deepEqual(results[2].rows, [{ one: 1 }]);
    const update = await proxy.query('UPDATE t SET note = note WHERE id < 0');
    assert.equal(update.affectedRows, 0);
  });

  it('carries a large result', async () => {
    const { rows } = await proxy.query<{ g: number; h: string }>('SELECT g, md5(g::text) AS h FROM generate_series(1, 200000) g');
    assert.equal(rows.length, 200_000);
    assert.deepEqual(rows[199_999], { g: 200_000, h: (await direct.query<{ h: string }>("SELECT md5('200000') AS h")).rows[0].h });
  });

  it('commits a transaction', async () => {
    const value = await proxy.transaction(async (tx) => {
      await tx.query('INSERT INTO t VALUES ($1, $2)', [1, 'one']);
      await tx.exec("INSERT INTO t VALUES (2, 'two')");
      return 'done';
    });
    assert.equal(value, 'done');
    assert.deepEqual((await proxy.query('SELECT id FROM t WHERE id IN (1, 2) ORDER BY id')).rows, [{ id: 1 }, { id: 2 }]);
  });

  it('rolls back when the callback throws, and the connection is usable after', async () => {
    const failure = new Error('changed my mind');
    await assert.rejects(
      proxy.transaction(async (tx) => {
        await tx.query("INSERT INTO t VALUES (3, 'three')");
        throw failure;
      }),
      (error) => error === failure,
    );
    await assert.rejects(
      proxy.transaction(async (tx) => {
        await tx.query("INSERT INTO t VALUES (4, 'four')");
        await tx.query("INSERT INTO t VALUES (1, 'dup')");
      }),
      /duplicate key/,
    );
    await proxy.query("INSERT INTO t VALUES (5, 'five')"); // not inside an aborted transaction
    assert.deepEqual((await proxy.query('SELECT id FROM t WHERE id BETWEEN 3 AND 5')).rows, [{ id: 5 }]);
  });

  it('rolls back on tx.rollback() without a COMMIT after it, even unawaited as Prisma calls it', async () => {
    await proxy.transaction(async (tx) => {
      await tx.query("INSERT INTO t VALUES (6, 'six')");
      void tx.rollback();
      assert.equal(tx.closed, true);
    });
    await assert.rejects(
      proxy.transaction(async (tx) => {
        await tx.rollback();
        await tx.query('SELECT 1');
      }),
      /Transaction is closed/,
    );
    assert.equal((await proxy.query('SELECT id FROM t WHERE id = 6')).rows.length, 0);
  });

  it('holds the database while a transaction is open: other statements wait for its COMMIT', async () => {
    let resume!: () => void;
    const paused = new Promise<void>((resolve) => (resume = resolve));
    let inserted!: () => void;
    const firstInsert = new Promise<void>((resolve) => (inserted = resolve));
    const transaction = proxy.transaction(async (tx) => {
      await tx.query("INSERT INTO t VALUES (10, 'ten')");
      inserted();
      await paused;
      await tx.query("INSERT INTO t VALUES (11, 'eleven')");
    });
    await firstInsert;
    const outside = proxy.query<{ n: number }>('SELECT count(*)::int AS n FROM t WHERE id IN (10, 11)');
    const other = proxy.transaction((tx) => tx.query<{ n: number }>('SELECT count(*)::int AS n FROM t WHERE id IN (10, 11)'));
    const outsideState = settled(outside);
    const otherState = settled(other);
    await sleep(100);
    assert.equal(outsideState.done, false);
    assert.equal(otherState.done, false);
    resume();
    await transaction;
    assert.equal((await outside).rows[0].n, 2); // ran after the COMMIT, not between the inserts
    assert.equal((await other).rows[0].n, 2);
  });

  it('throws PGlite\'s DatabaseError with the server\'s fields', async () => {
    const error = await proxy.query("INSERT INTO t VALUES (1, 'again')").catch((e: unknown) => e);
    assert.ok(error instanceof messages.DatabaseError);
    assert.equal(error.code, '23505');
    assert.equal(error.severity, 'ERROR');
    assert.equal(error.constraint, 't_pkey');
    assert.equal(error.table, 't');
    assert.match(error.detail ?? '', /Key \(id\)=\(1\) already exists/);
    assert.equal((error as unknown as { query: string }).query, "INSERT INTO t VALUES (1, 'again')");
  });

  it('rejects a parameter that cannot cross to the worker, and goes on', async () => {
    await assert.rejects(proxy.query('SELECT $1::text', [() => 1]), /could not be cloned/);
    assert.deepEqual((await proxy.query('SELECT 1 AS one')).rows, [{ one: 1 }]);
  });
});

describe('Prisma on the worker-thread PGlite', { timeout: 180_000 }, () => {
  let db: TestDatabase;
  before(async () => {
    db = await openTestDatabase();
  });
  after(() => db.destroy());

  const user = (name: string) => ({
    username: name,
    usernameLower: name.toLowerCase(),
    passwordHash: 'x',
    passkey: name.padEnd(32, '0'),
    rssToken: name.padEnd(32, '1'),
  });

  it('maps a unique violation to P2002 with the fields', async () => {
    await db.prisma.user.create({ data: user('alice') });
    const error = await db.prisma.user.create({ data: { ...user('alice'), passkey: 'b'.repeat(32), rssToken: 'c'.repeat(32) } }).catch((e: unknown) => e);
    assert.ok(error instanceof Prisma.PrismaClientKnownRequestError, String(error));
    assert.equal(error.code, 'P2002');
    assert.match(JSON.stringify(error.meta), /username_lower/);
  });

  it('round-trips BigInt, DateTime and booleans, and rolls back an interactive transaction', async () => {
    const big = 2n ** 60n + 7n;
    const at = new Date('2025-01-02T03:04:05.678Z');
    const created = await db.prisma.user.update({ where: { usernameLower: 'alice' }, data: { uploaded: big, watchStartedAt: at, canLeech: false } });
    assert.equal(created.uploaded, big);
    assert.equal(created.watchStartedAt?.toISOString(), at.toISOString());
    assert.equal(created.canLeech, false);
    await assert.rejects(
      db.prisma.$transaction(async (tx) => {
        await tx.user.create({ data: user('bob') });
        throw new Error('abort');
      }),
      /abort/,
    );
    assert.equal(await db.prisma.user.count({ where: { usernameLower: 'bob' } }), 0);
    await db.prisma.$transaction([db.prisma.user.create({ data: user('carol') }), db.prisma.user.count()]);
    assert.equal(await db.prisma.user.count(), 2);
  });
});

describe('PGliteProxy when the worker dies or closes', { timeout: 180_000 }, () => {
  const dying = new URL('./fixtures/dying-pglite-worker.ts', import.meta.url);

  it('rejects pending calls, and every later one, when the worker throws', async () => {
    const proxy = new PGliteProxy(tempDir(), { worker: dying });
    const pending = proxy.query('SELECT 1');
    const crash = proxy.query('throw');
    await assert.rejects(pending, /PGlite worker failed: boom in the worker/);
    await assert.rejects(crash, /boom in the worker/);
    await assert.rejects(proxy.query('SELECT 1'), /boom in the worker/);
    await proxy.close();
  });

  it('rejects a transaction\'s statements when the worker exits, and does not hang those queued behind it', async () => {
    const proxy = new PGliteProxy(tempDir(), { worker: dying });
    const transaction = proxy.transaction(async (tx) => {
      await tx.query('exit');
    });
    const queued = proxy.query('SELECT 1');
    await assert.rejects(transaction, /exited \(code 3\)/);
    await assert.rejects(queued, /exited \(code 3\)/);
    await proxy.close();
  });

  it('finishes what was asked before close, then refuses; the data is on disk', async () => {
    const dir = pgliteDataDir();
    const proxy = new PGliteProxy(dir);
    await proxy.exec('CREATE TABLE t (id int)');
    let resume!: () => void;
    const paused = new Promise<void>((resolve) => (resume = resolve));
    const transaction = proxy.transaction(async (tx) => {
      await tx.query('INSERT INTO t VALUES (1)');
      await paused;
      await tx.query('INSERT INTO t VALUES (2)');
    });
    const queued = proxy.query('INSERT INTO t VALUES (3)');
    const closing = proxy.close();
    assert.equal(proxy.closed, true);
    await assert.rejects(proxy.query('SELECT 1'), /closed/);
    const closingState = settled(closing);
    await sleep(50);
    assert.equal(closingState.done, false);
    resume();
    await Promise.all([transaction, queued, closing, proxy.close()]);

    const again = new PGliteProxy(dir);
    assert.deepEqual((await again.query('SELECT id FROM t ORDER BY id')).rows, [{ id: 1 }, { id: 2 }, { id: 3 }]);
    await again.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
