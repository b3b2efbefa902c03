// Session-boundary replies and the flush (docs/accounting.md): a boundary waits for the flush
// that holds it, which it asks for early (no timer tick needed), boundaries arriving together
// share one flush, a long journal checkpoint (a flush asked for: the policy job's) writes the
// ledger between its parts rather than hold a boundary back, a slow but working database is
// waited for past the bound, and only while the database is away is a boundary answered after
// the bound, its deltas kept pending.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { FakeClock } from '../../src/clock.js';
import { testConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { BOUNDARY_WAIT_MS } from '../../src/tracker/flush-limits.js';
import { createTrackerService, type TrackerService } from '../../src/tracker/service.js';
import type { AnnounceRequest } from '../../src/tracker/core/types.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';
import { committedPeers, seedRelease, seedUser, type SeededRelease, type SeededUser } from './fixtures/seed.js';
import { withTransactions } from './fixtures/wrapped-db.js';

let db: TestDatabase;
let service: TrackerService;
let down = false;
let transactions = 0;
/** a slow database: each transaction starts this much later (ms) */
let slowMs = 0;
/** called as each transaction begins */
let onTransaction: (() => void) | null = null;
const clock = new FakeClock();
let user: SeededUser;
let release: SeededRelease;

function counted(real: Database): Database {
  return withTransactions(real, async (fn) => {
    transactions++;
    onTransaction?.();
    if (slowMs > 0) await new Promise((resolve) => setTimeout(resolve, slowMs));
    return down ? Promise.reject(new Error('connection refused (database away)')) : real.sql.transaction(fn);
  });
}

function request(n: number, overrides: Partial<AnnounceRequest> = {}): AnnounceRequest {
  return {
    passkey: user.passkey,
    infoHash: release.v1!,
    peerId: Buffer.from(`-qB4630-bound${String(n).padStart(7, '0')}`),
    port: 51413,
    uploaded: 0n,
    downloaded: 0n,
    left: 0n,
    event: 'started',
    numwant: null,
    key: 'ABCDEF01',
    ip: '10.0.0.1',
    family: 4,
    transport: 'http',
    ...overrides,
  };
}

const peerRows = (): Promise<number> => committedPeers(db.sql);

before(async () => {
  db = await openTestDatabase();
  user = await seedUser(db.sql, null);
  release = await seedRelease(db.sql, null);
  // no timer flush during the spec: only the early flushes the boundaries ask for
  const config = testConfig({ dataDir: db.dataDir, databaseUrl: db.url, flushIntervalMs: 3_600_000 });
  service = createTrackerService({ config, db: counted(db), clock, log: Fastify({ logger: false }).log });
  service.setPolicy({ maxPeersPerRelease: 1000 }); // one member's many peers on one release
  await service.start();
});

after(async () => {
  await service.stop();
  await db.destroy();
});

describe('session-boundary replies', () => {
  it('are released once the flush holding them has committed, which they ask for', async () => {
    const result = service.engine.announce(request(1));
    assert.equal(result.boundary, true);
    await service.core.durable!();
    assert.equal(await peerRows(), 1);
    assert.equal(service.health().pendingDeltas, 0);
  });

  it('share one flush when they arrive together', async () => {
    await service.flush('timer'); // the last flush's release counts, written after its replies went, are done
    const before = transactions;
    const waits: Promise<void>[] = [];
    for (let n = 2; n < 52; n++) {
      service.core.announce(request(n));
      waits.push(service.core.durable!());
    }
    await Promise.all(waits);
    assert.equal(await peerRows(), 51);
    assert.equal(transactions - before, 1);
  });

  it('are written between the parts of a long journal checkpoint, not held until it ends', async () => {
    // journal rows the timer's checkpoint (every 30 s; no time passes here) has not applied
    for (let n = 0; n < 12; n++) {
      service.core.announce(request(1, { event: '', uploaded: BigInt(n + 1) * 1_048_576n }));
      await service.flush('timer');
    }
    slowMs = 20; // a busy database: the checkpoint's parts take a while
    const order: string[] = [];
    let committedAtReply = -1;
    // the first transaction of the flush asked for is a journal part (nothing else is pending)
    onTransaction = () => {
      onTransaction = null;
      assert.equal(service.engine.announce(request(70)).boundary, true);
      void service.core.durable!().then(async () => {
        order.push('reply');
        committedAtReply = await peerRows();
      });
    };
    await service.flush(); // what the policy job asks for: every journal applied
    order.push('checkpoint done');
    slowMs = 0;
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(order, ['reply', 'checkpoint done'], 'the reply went once its flush committed, the checkpoint still under way');
    assert.equal(committedAtReply, 52, 'the new peer was committed when its reply went');
  });

  it('wait past the bound for a flush that is slow but commits', async () => {
    await service.flush('timer');
    slowMs = BOUNDARY_WAIT_MS + 500; // the database answers, late
    assert.equal(service.engine.announce(request(71)).boundary, true);
    await service.core.durable!();
    slowMs = 0;
    assert.equal(await peerRows(), 53, 'the new peer was committed when its reply went');
  });

  it('are answered after the bound while the database is away, their deltas kept pending', async () => {
    down = true;
    service.core.announce(request(60));
    await service.core.durable!();
    assert.ok(service.health().pendingDeltas > 0);
    assert.ok(service.health().failedFlushes > 0);
    down = false;
    await service.flush();
    assert.equal(await peerRows(), 54);
  });
});
