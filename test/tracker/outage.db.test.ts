// Database outage: flushes fail while the database is "down" (transaction() throws; on
// PostgreSQL also a real connection loss with pg_terminate_backend). Announces are answered
// all along, health() shows the pending deltas and the error, and after recovery the totals
// are exact.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import pg from 'pg';
import { FakeClock } from '../../src/clock.js';
import { testConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { createTrackerService, type TrackerService } from '../../src/tracker/service.js';
import type { AnnounceRequest } from '../../src/tracker/core/types.js';
import { openTestDatabase, usingPostgres, type TestDatabase } from '../helpers/db.js';
import { seedRelease, seedUser, userTotals, type SeededRelease, type SeededUser } from './fixtures/seed.js';
import { withTransactions } from './fixtures/wrapped-db.js';

const MIN = 60_000;
let db: TestDatabase;
let down = false;
let service: TrackerService;
const clock = new FakeClock();
let users: SeededUser[];
let release: SeededRelease;

/** The real database with a switch that makes every transaction fail. */
function flaky(real: Database): Database {
  return withTransactions(real, (fn) => (down ? Promise.reject(new Error('connection refused (simulated outage)')) : real.sql.transaction(fn)));
}

function request(user: SeededUser, overrides: Partial<AnnounceRequest>): AnnounceRequest {
  return {
    passkey: user.passkey,
    infoHash: release.v1!,
    peerId: Buffer.from(`-TR3000-${user.id}`.padEnd(20, '0')),
    port: 51413,
    uploaded: 0n,
    downloaded: 0n,
    left: 0n,
    event: '',
    numwant: null,
    key: null,
    ip: '10.0.0.1',
    family: 4,
    transport: 'http',
    ...overrides,
  };
}

before(async () => {
  db = await openTestDatabase();
  users = [await seedUser(db.sql, null), await seedUser(db.sql, null)];
  release = await seedRelease(db.sql, null);
  // flushes only when the spec asks: a timer's flush during the outage would fail too, and count
  const config = testConfig({ dataDir: db.dataDir, databaseUrl: db.url, maxPendingDeltas: 1000, flushIntervalMs: 3_600_000 });
  service = createTrackerService({ config, db: flaky(db), clock, log: Fastify({ logger: false }).log });
  await service.start(); // loads users and the release from the database
  // the pending bound is reached with many peers of few members: past the default peer caps
  service.setPolicy({ maxPeersPerRelease: 1000 });
});

after(async () => {
  await service.stop();
  await db.destroy();
});

describe('database outage', () => {
  it('answers announces while flushes fail, shows it in health(), and is exact after recovery', async () => {
    for (const user of users) service.core.announce(request(user, { event: 'started' }));
    await service.flush();
    down = true;
    for (let round = 1; round <= 5; round++) {
      clock.advance(30 * MIN);
      for (const user of users) {
        const result = service.engine.announce(request(user, { uploaded: BigInt(round * 1000 + user.id) }));
        assert.equal(result.complete, 2);
      }
      await assert.rejects(service.flush(), /simulated outage/);
    }
    const health = service.health();
    assert.ok(health.pendingDeltas > 0);
    assert.match(health.lastFlushError ?? '', /simulated outage/);
    assert.equal(health.failedFlushes, 5);
    down = false;
    await service.flush();
    assert.equal(service.health().pendingDeltas, 0);
    assert.equal(service.health().lastFlushError, null);
    for (const user of users) {
      const totals = await userTotals(db.sql, user.id);
      // the started announce set the baseline at 0; the last one reported 5000 + id
      assert.equal(totals.uploaded, 5000n + BigInt(user.id));
      assert.equal(totals.uploaded_actual, 5000n + BigInt(user.id));
    }
  });

  it('refuses announces with a retry message once the pending bound is reached', async () => {
    down = true;
    service.core.announce(request(users[0], { peerId: Buffer.from('-TR3000-outagetrig00'), event: 'started' }));
    await assert.rejects(service.flush()); // the database is unreachable: only now does the bound apply
    const many = await Promise.all(Array.from({ length: 10 }, () => seedUser(db.sql, service.catalog)));
    let refused = '';
    for (let i = 0; i < 1000 && !refused; i++) {
      try {
        service.core.announce(request(many[i % many.length], { peerId: Buffer.from(String(i).padEnd(20, 'p')), event: 'started' }));
      } catch (error) {
        refused = (error as Error).message;
      }
    }
    assert.match(refused, /retry/);
    down = false;
    await service.flush();
    assert.equal(service.health().pendingDeltas, 0);
  });

  it('survives a real connection loss on PostgreSQL', { skip: !usingPostgres() }, async () => {
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    try {
      const name = new URL(db.url).pathname.slice(1);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    } finally {
      await admin.end();
    }
    clock.advance(30 * MIN);
    for (const user of users) service.core.announce(request(user, { uploaded: BigInt(6000 + user.id) }));
    // Each idle pooled connection is dead until the pool hears so: an attempt may take one,
    // fail, and drop it; the deltas stay pending and a later attempt succeeds (bounded by the
    // pool's 10 connections).
    let attempts = 0;
    for (let done = false; !done; ) {
      attempts++;
      done = await service.flush().then(() => true, (error: unknown) => {
        if (attempts > 11) throw error;
        return false;
      });
    }
    for (const user of users) assert.equal((await userTotals(db.sql, user.id)).uploaded_actual, 6000n + BigInt(user.id));
  });
});
