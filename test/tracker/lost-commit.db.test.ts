// A flush whose outcome the tracker cannot know: the connection to the database is lost
// right after COMMIT was sent (PostgreSQL committed, the acknowledgement never arrived), or
// mid-flush before it (rolled back). On PostgreSQL a real TCP proxy cuts the connection; on
// PGlite the same faults happen in the transport to its worker (the driver seam): the worker
// commits and the caller is told it failed, or the transaction fails midway. Announces go on
// before and after each fault, and the books must equal what the clients reported: the batch
// in doubt is retried under its id and applied exactly once (docs/accounting.md).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { FakeClock } from '../../src/clock.js';
import { testConfig } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import type { SqlTx } from '../../src/db/driver.js';
import { createTrackerService, type TrackerService } from '../../src/tracker/service.js';
import type { AnnounceRequest } from '../../src/tracker/core/types.js';
import { openTestDatabase, usingPostgres, type TestDatabase } from '../helpers/db.js';
import { startPgProxy, type PgFault, type PgProxy } from '../helpers/pg-proxy.js';
import { seedRelease, seedUser, userTotals, type SeededRelease, type SeededUser } from './fixtures/seed.js';
import { withTransactions } from './fixtures/wrapped-db.js';

const MIN = 60_000;
const MiB = 1_048_576n;
let db: TestDatabase;
let routed: Database;
let proxy: PgProxy | null = null;
let service: TrackerService;
const clock = new FakeClock();
let users: SeededUser[];
let release: SeededRelease;

/** PGlite: the fault armed for the next transaction, applied between us and the worker. */
let seamFault: PgFault | null = null;

function throughSeam(real: Database): Database {
  return withTransactions(real, async (fn) => {
    const fault = seamFault;
    seamFault = null;
    if (fault === 'cut-before-commit') {
      return real.sql.transaction(async (tx) => {
        await fn(cutAfter(tx, 2));
        throw new Error('unreachable: the connection was cut');
      });
    }
    const result = await real.sql.transaction(fn);
    if (fault === 'lose-commit-reply') throw new Error('connection lost after COMMIT (the worker committed)');
    return result;
  });
}

/** A transaction whose connection is lost after `n` statements. */
function cutAfter(tx: SqlTx, n: number): SqlTx {
  let left = n;
  const check = (): void => {
    if (left-- <= 0) throw new Error('connection lost mid-flush');
  };
  return {
    exec: async (sql) => (check(), tx.exec(sql)),
    query: async (sql, params) => (check(), tx.query(sql, params)),
  };
}

function arm(fault: PgFault): void {
  if (proxy) proxy.arm(fault);
  else seamFault = fault;
}

interface ClientState {
  user: SeededUser;
  peerId: Buffer;
  uploaded: bigint;
  downloaded: bigint;
  left: bigint;
}
let clients: ClientState[];

function announce(c: ClientState, event: AnnounceRequest['event'] = ''): void {
  service.core.announce({
    passkey: c.user.passkey,
    infoHash: release.v1!,
    peerId: c.peerId,
    port: 51413,
    uploaded: c.uploaded,
    downloaded: c.downloaded,
    left: c.left,
    event,
    numwant: null,
    key: 'C0FFEE00',
    ip: '10.0.0.1',
    family: 4,
    transport: 'http',
  });
}

/** A round of announces: every client moved some bytes; a leecher may finish. */
function round(n: number): void {
  clock.advance(30 * MIN);
  for (const [i, c] of clients.entries()) {
    c.uploaded += BigInt(n + i + 1) * MiB;
    let event: AnnounceRequest['event'] = '';
    if (c.left > 0n) {
      const got = c.left < 3n * MiB ? c.left : 3n * MiB;
      c.downloaded += got;
      c.left -= got;
      if (c.left === 0n) event = 'completed';
    }
    announce(c, event);
  }
}

before(async () => {
  db = await openTestDatabase();
  users = [await seedUser(db.sql, null), await seedUser(db.sql, null), await seedUser(db.sql, null)];
  release = await seedRelease(db.sql, null);
  if (usingPostgres()) {
    proxy = await startPgProxy(db.url);
    routed = openDatabase({ dataDir: db.dataDir, databaseUrl: proxy.url });
  } else {
    routed = throughSeam(db);
  }
  // flushes only when the spec asks: the timer's would take the armed fault
  const config = testConfig({ dataDir: db.dataDir, databaseUrl: db.url, flushIntervalMs: 3_600_000 });
  service = createTrackerService({ config, db: routed, clock, log: Fastify({ logger: false }).log });
  await service.start();
  clients = users.map((user, i) => ({ user, peerId: Buffer.from(`-qB4630-lost${i}`.padEnd(20, '0')), uploaded: 0n, downloaded: 0n, left: BigInt(i + 1) * 4n * MiB }));
  for (const c of clients) announce(c, 'started');
  await service.flush();
});

after(async () => {
  await service.stop();
  if (proxy) {
    await routed.close();
    await proxy.close();
  }
  await db.destroy();
});

async function assertBooksExact(): Promise<void> {
  for (const c of clients) {
    const totals = await userTotals(db.sql, c.user.id);
    assert.deepEqual(totals, { uploaded: c.uploaded, downloaded: c.downloaded, uploaded_actual: c.uploaded, downloaded_actual: c.downloaded }, `user ${c.user.id}`);
  }
  const peers = await db.sql.query<{ uploaded: unknown }>('SELECT uploaded FROM peers ORDER BY user_id');
  assert.deepEqual(peers.map((p) => BigInt(p.uploaded as string)), clients.map((c) => c.uploaded), 'peer baselines');
  const finished = clients.filter((c) => c.left === 0n).length;
  const stored = await db.sql.query<{ snatched: number }>('SELECT snatched FROM releases WHERE id = $1', [release.id]);
  assert.equal(stored[0].snatched, finished, 'releases.snatched');
  assert.equal(service.engine.scrape(users[0].passkey, [release.v1!])[0].downloaded, finished, 'times completed, as scrape tells it');
}

describe('a flush whose outcome is lost', () => {
  it('applies a batch once when the reply to its COMMIT is lost', async () => {
    round(1);
    arm('lose-commit-reply');
    await assert.rejects(service.flush());
    assert.ok(service.health().pendingDeltas > 0, 'the batch is held in doubt');
    round(2); // newer deltas arrive while the batch is in doubt
    await service.flush(); // the batch in doubt is found committed and skipped; then the new one
    assert.equal(service.health().pendingDeltas, 0);
    if (proxy) assert.equal(proxy.cuts, 1);
    await assertBooksExact();
  });

  it('applies a batch once when the connection is cut mid-flush, before COMMIT', async () => {
    round(3);
    arm('cut-before-commit');
    await assert.rejects(service.flush());
    round(4);
    await service.flush();
    await assertBooksExact();
  });

  it('stays exact over rounds of both faults, with announces between every attempt', async () => {
    const faults: PgFault[] = ['lose-commit-reply', 'cut-before-commit', 'lose-commit-reply', 'lose-commit-reply', 'cut-before-commit'];
    for (const [i, fault] of faults.entries()) {
      round(5 + i);
      arm(fault);
      await assert.rejects(service.flush(), Error, `fault ${i} (${fault})`);
      round(5 + i);
    }
    await service.flush();
    await assertBooksExact();
    const batches = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_batches');
    assert.ok(batches[0].n >= 5, 'every committed batch left its id');
  });
});
