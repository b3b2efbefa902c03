// The shared mode's books (docs/scaling.md): deltas appended to the shard streams by the
// announce script reach the database exactly once. Faults are real: a drainer process killed
// with SIGKILL in the middle of its drain, and a COMMIT whose acknowledgement is lost (a TCP
// proxy on PostgreSQL; the transport to the worker on PGlite, as in lost-commit.db.test.ts).
// After each, the books equal what the clients reported: 0 bytes lost, 0 doubled.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { openDatabase, type Database } from '../../src/db/client.js';
import { RedisPeerStore } from '../../src/shared/redis-peer-store.js';
import type { RedisClient } from '../../src/shared/redis-connect.js';
import { createStreamDrainer } from '../../src/shared/stream-drainer.js';
import { openTestDatabase, usingPostgres, type TestDatabase } from '../helpers/db.js';
import { startPgProxy, type PgFault } from '../helpers/pg-proxy.js';
import { connectRedis, deleteKeys, redisAvailable, SINGLE_REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { seedRelease, seedUser, userTotals, type SeededRelease, type SeededUser } from '../tracker/fixtures/seed.js';
import { withTransactions } from '../tracker/fixtures/wrapped-db.js';
import { RUN_TS } from '../helpers/ts-run.js';

const available = await redisAvailable();
const SHARDS = 4;
const MIN = 60_000;

interface Client {
  user: SeededUser;
  release: SeededRelease;
  multiplier: bigint;
  peerId: Buffer;
  uploaded: bigint;
  downloaded: bigint;
  left: bigint;
  started: boolean;
}

describe('stream drainer', { skip: available ? false : 'no Redis on this machine' }, () => {
  let db: TestDatabase;
  let redis: RedisClient;
  let store: RedisPeerStore;
  let clients: Client[];
  let clock = 1_800_000_000_000;
  const expected = new Map<number, { up: bigint; down: bigint; upActual: bigint }>();
  const start = new Map<number, bigint>();

  before(async () => {
    db = await openTestDatabase();
    redis = connectRedis(SINGLE_REDIS_URL);
    store = new RedisPeerStore(redis, { prefix: uniquePrefix(), shards: SHARDS });
    const users = [await seedUser(db.sql, null), await seedUser(db.sql, null), await seedUser(db.sql, null)];
    const releases = [await seedRelease(db.sql, null), await seedRelease(db.sql, null, { freeleech: 'double_upload' }), await seedRelease(db.sql, null)];
    clients = [];
    for (const user of users) {
      for (const [r, release] of releases.entries()) {
        const peerId = Buffer.from(`-TR4050-${user.id}-${release.id}`.padEnd(20, 'x'));
        clients.push({ user, release, multiplier: r === 1 ? 2n : 1n, peerId, uploaded: 0n, downloaded: 0n, left: 10_000_000n, started: false });
      }
      start.set(user.id, (await userTotals(db.sql, user.id)).uploaded);
      expected.set(user.id, { up: 0n, down: 0n, upActual: 0n });
    }
  });

  after(async () => {
    await deleteKeys(redis, store.options.prefix);
    await redis.quit();
    await db.destroy();
  });

  /** Every client announces once, having moved some bytes; the model keeps what it must credit. */
  async function round(n: number): Promise<void> {
    clock += 30 * MIN;
    await Promise.all(
      clients.map(async (c, i) => {
        const up = BigInt(1 + ((n * 7 + i * 13) % 50)) * 1000n;
        const down = c.left > 0n ? BigInt(1 + ((n * 3 + i) % 20)) * 1000n : 0n;
        if (c.started) {
          c.uploaded += up;
          c.downloaded += down;
          c.left = c.left > down ? c.left - down : 0n;
          const e = expected.get(c.user.id)!;
          e.up += up * c.multiplier;
          e.down += down;
          e.upActual += up;
        }
        await store.announce({
          userId: c.user.id, releaseId: c.release.id, peerId: c.peerId, event: c.started ? '' : 'started', uploaded: c.uploaded,
          downloaded: c.downloaded, left: c.left, key: 'K', ip: '10.0.0.1', family: 4, port: 51413, slot: 0, transport: 'http', want: 10,
          listable: true, upMultiplier: c.multiplier === 2n ? 2 : 1, downMultiplier: 1, client: 'Transmission', now: clock, interval: 1800,
          minInterval: 300, maxPeersPerRelease: 10, maxPeersPerMember: 10_000, downloadSlots: 0,
        });
        c.started = true;
      }),
    );
  }

  async function assertBooksExact(sql: Database['sql']): Promise<void> {
    for (const [userId, e] of expected) {
      const totals = await userTotals(sql, userId);
      assert.deepEqual(
        { up: totals.uploaded - start.get(userId)!, down: totals.downloaded, upActual: totals.uploaded_actual },
        e,
        `member ${userId}: 0 bytes lost, 0 doubled`,
      );
    }
  }

  async function backlog(): Promise<number> {
    let n = 0;
    for (const key of store.streamKeys()) n += await redis.xlen(key);
    return n;
  }

  it('credits each entry once, under the traffic rule recorded with it, and empties the streams', async () => {
    for (let n = 0; n < 5; n++) await round(n);
    const drainer = createStreamDrainer({ store, sql: db.sql, consumer: 'spec', claimIdleMs: 60_000 });
    await drainer.prepare();
    const first = await drainer.drainOnce();
    assert.equal(first.applied, 5 * clients.length);
    assert.deepEqual(await drainer.drainOnce(), { applied: 0, skipped: 0 });
    assert.equal(await backlog(), 0);
    await assertBooksExact(db.sql);
    const peers = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM peers WHERE active');
    assert.equal(peers[0].n, clients.length);
  });

  it('loses and doubles nothing when a drainer process is killed with SIGKILL mid-drain', async () => {
    await db.close();
    for (let kill = 0; kill < 3; kill++) {
      for (let n = 0; n < 20; n++) await round(100 + kill * 20 + n);
      const total = await backlog();
      const left = await killMidDrain(db, store, total);
      assert.ok(left > 0 && left < total, `killed mid-drain (${left} of ${total} entries left)`);
    }
    const reopened = openDatabase({ dataDir: db.dataDir, databaseUrl: db.url });
    try {
      const survivor = createStreamDrainer({ store, sql: reopened.sql, consumer: 'survivor', claimIdleMs: 0 });
      await survivor.drainOnce();
      assert.equal(await backlog(), 0);
      const pending = (await redis.xpending(store.streamKey(0), 'seedkeep')) as [number, ...unknown[]];
      assert.equal(Number(pending[0]), 0);
      await assertBooksExact(reopened.sql);
    } finally {
      await reopened.close();
    }
  });

  it('loses and doubles nothing when a COMMIT acknowledgement is lost or the connection is cut before it', async () => {
    const reopened = openDatabase({ dataDir: db.dataDir, databaseUrl: db.url });
    const proxy = usingPostgres() ? await startPgProxy(db.url) : null;
    const routedPg = proxy ? openDatabase({ dataDir: db.dataDir, databaseUrl: proxy.url }) : null;
    let seamFault: PgFault | null = null;
    const routed = routedPg ?? throughSeam(reopened, () => [seamFault, (seamFault = null)][0]);
    try {
      const drainer = createStreamDrainer({ store, sql: routed.sql, consumer: 'faulty', claimIdleMs: 0 });
      for (const fault of ['lose-commit-reply', 'cut-before-commit'] as const) {
        for (let n = 0; n < 3; n++) await round(200 + n);
        if (proxy) proxy.arm(fault);
        else seamFault = fault;
        await assert.rejects(drainer.drainOnce());
        const retried = await drainer.drainOnce();
        assert.equal(retried.skipped > 0, fault === 'lose-commit-reply', `${fault}: the retry finds the committed entries`);
        assert.equal(await backlog(), 0);
        await assertBooksExact(reopened.sql);
      }
    } finally {
      await routedPg?.close();
      await proxy?.close();
      await reopened.close();
    }
  });

  it('drains on its timer until stopped', async () => {
    const reopened = openDatabase({ dataDir: db.dataDir, databaseUrl: db.url });
    const drainer = createStreamDrainer({ store, sql: reopened.sql, consumer: 'timer', claimIdleMs: 0 });
    const stop = drainer.start(20, { warn() {} });
    try {
      await round(300);
      for (let waited = 0; waited < 20_000 && (await backlog()) > 0; waited += 20) await new Promise((r) => setTimeout(r, 20));
      assert.equal(await backlog(), 0);
      await assertBooksExact(reopened.sql);
    } finally {
      stop();
      await reopened.close();
    }
  });
});

/** Starts the drainer process, kills it once some entries are drained and some are not. */
async function killMidDrain(db: TestDatabase, store: RedisPeerStore, total: number): Promise<number> {
  const child = spawn(process.execPath, [...RUN_TS, 'test/shared/fixtures/drain-child.ts'], {
    env: { ...process.env, DATA_DIR: db.dataDir, DATABASE_URL: db.url, REDIS_URL: SINGLE_REDIS_URL, PREFIX: store.options.prefix, SHARDS: String(SHARDS), BATCH: '2' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  for (let waited = 0; waited < 60_000; waited += 2) {
    let left = 0;
    for (const key of store.streamKeys()) left += await store.redis.xlen(key);
    if (left < total || child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 20)));
  child.kill('SIGKILL');
  await exited;
  let left = 0;
  for (const key of store.streamKeys()) left += await store.redis.xlen(key);
  return left;
}

/** PGlite: the armed fault applied between the drainer and the worker (see lost-commit.db.test.ts). */
function throughSeam(real: Database, takeFault: () => PgFault | null): Database {
  return withTransactions(real, async (fn) => {
    const fault = takeFault();
    if (fault === 'cut-before-commit') {
      return real.sql.transaction(async (tx) => {
        await fn(tx);
        throw new Error('connection lost before COMMIT');
      });
    }
    const result = await real.sql.transaction(fn);
    if (fault === 'lose-commit-reply') throw new Error('connection lost after COMMIT (the worker committed)');
    return result;
  });
}
