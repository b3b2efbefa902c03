// The journals' checkpoint in parts (docs/accounting.md, "The peer journal";
// src/db/journal-checkpoint.ts): each part is the oldest journal rows left up to the mark taken
// when the checkpoint began, one transaction that applies and deletes exactly those rows. One
// peer's rows spread over several parts are applied in journal order (its stored baseline only
// moves forward), rows a flush journals between two parts wait for the next checkpoint, the
// transfer deltas split over parts add up to the whole, timer flushes apply parts without
// waiting for the checkpoint's time once too many rows wait, and a part whose COMMIT reply was lost
// (a real cut connection on PostgreSQL, the driver seam on PGlite, as in lost-commit.db.test.ts)
// or whose connection was cut before COMMIT is applied exactly once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { FakeClock } from '../../src/clock.js';
import { testConfig } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { JournalCheckpoint, type PartDone } from '../../src/db/journal-checkpoint.js';
import { JOURNAL_BACKLOG_ROWS } from '../../src/tracker/flush-limits.js';
import { createTrackerService, type TrackerService } from '../../src/tracker/service.js';
import { openTestDatabase, usingPostgres, type TestDatabase } from '../helpers/db.js';
import { startPgProxy, type PgFault, type PgProxy } from '../helpers/pg-proxy.js';
import { seedRelease, seedUser, userTotals, type SeededRelease, type SeededUser } from './fixtures/seed.js';
import { withTransactions } from './fixtures/wrapped-db.js';

const MiB = 1_048_576n;
let db: TestDatabase;
let routed: Database;
let proxy: PgProxy | null = null;
let service: TrackerService;
const clock = new FakeClock();
let release: SeededRelease;

interface Client {
  user: SeededUser;
  peerId: Buffer;
  uploaded: bigint;
  /** the uploaded total each timer flush journaled, in journal order */
  journaled: bigint[];
}
let clients: Client[];

/** PGlite: the fault armed for the next transaction through `routed`, applied between us and the worker. */
let seamFault: PgFault | null = null;

function throughSeam(real: Database): Database {
  return withTransactions(real, async (fn) => {
    const fault = seamFault;
    seamFault = null;
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

function arm(fault: PgFault): void {
  if (proxy) proxy.arm(fault);
  else seamFault = fault;
}

/** Every client moves some bytes and a timer flush journals them: one peer and one transfer journal row. */
async function round(n: number): Promise<void> {
  clock.advance(1_000); // the service's own checkpoint (every 30 s) is not due: the spec runs the parts
  for (const [i, c] of clients.entries()) {
    c.uploaded += BigInt(n + i + 1) * MiB;
    c.journaled.push(c.uploaded);
    service.core.announce({
      passkey: c.user.passkey, infoHash: release.v1!, peerId: c.peerId, port: 51413, uploaded: c.uploaded, downloaded: 0n, left: 0n,
      event: '', numwant: null, key: 'C0FFEE02', ip: '10.0.0.2', family: 4, transport: 'http',
    });
  }
  await service.flush('timer');
}

async function baselines(): Promise<bigint[]> {
  const rows = await db.sql.query<{ uploaded: unknown }>('SELECT uploaded FROM peers WHERE release_id = $1 ORDER BY user_id', [release.id]);
  return rows.map((r) => BigInt(r.uploaded as string));
}

async function transfers(): Promise<bigint[]> {
  const rows = await db.sql.query<{ uploaded: unknown }>('SELECT uploaded FROM transfers WHERE release_id = $1 ORDER BY user_id', [release.id]);
  return rows.map((r) => BigInt(r.uploaded as string));
}

async function journalRows(): Promise<{ peers: number; transfers: number }> {
  const [row] = await db.sql.query<{ peers: number; transfers: number }>(
    'SELECT (SELECT count(*) FROM peer_journal)::int AS peers, (SELECT count(*) FROM transfer_journal)::int AS transfers',
  );
  return row;
}

/** Every part up to the marks, each one journal row; returns them. */
async function drain(checkpoint: JournalCheckpoint, afterPart: (part: PartDone) => Promise<void> = async () => {}): Promise<PartDone[]> {
  const parts: PartDone[] = [];
  for (let part = await checkpoint.next(); part !== null; part = await checkpoint.next()) {
    parts.push(part);
    await afterPart(part);
  }
  return parts;
}

async function assertBooksExact(): Promise<void> {
  for (const c of clients) assert.equal((await userTotals(db.sql, c.user.id)).uploaded_actual, c.uploaded, `member ${c.user.id}'s total`);
  assert.deepEqual(await baselines(), clients.map((c) => c.uploaded), 'the peer baselines');
  assert.deepEqual(await transfers(), clients.map((c) => c.uploaded), 'the transfer rows');
}

before(async () => {
  db = await openTestDatabase();
  const users = [await seedUser(db.sql, null), await seedUser(db.sql, null), await seedUser(db.sql, null)];
  release = await seedRelease(db.sql, null);
  if (usingPostgres()) {
    proxy = await startPgProxy(db.url);
    routed = openDatabase({ dataDir: db.dataDir, databaseUrl: proxy.url });
  } else {
    routed = throughSeam(db);
  }
  // no timer flushes: the spec flushes, and runs the checkpoint's parts itself
  const config = testConfig({ dataDir: db.dataDir, databaseUrl: db.url, flushIntervalMs: 3_600_000 });
  service = createTrackerService({ config, db, clock, log: Fastify({ logger: false }).log });
  await service.start();
  clients = users.map((user, i) => ({ user, peerId: Buffer.from(`-qB4650-parts${i}`.padEnd(20, '0')), uploaded: 0n, journaled: [] }));
  for (const c of clients) {
    service.core.announce({
      passkey: c.user.passkey, infoHash: release.v1!, peerId: c.peerId, port: 51413, uploaded: 0n, downloaded: 0n, left: 0n,
      event: 'started', numwant: null, key: 'C0FFEE02', ip: '10.0.0.2', family: 4, transport: 'http',
    });
  }
  await service.flush(); // asked for: the journals applied, the rows in place
});

after(async () => {
  await service.stop();
  if (proxy) {
    await routed.close();
    await proxy.close();
  }
  await db.destroy();
});

describe('the journal checkpoint in parts', () => {
  it('applies one peer\'s rows spread over parts in journal order and leaves the rows journaled between two parts to the next checkpoint', async () => {
    for (let n = 1; n <= 4; n++) await round(n);
    assert.deepEqual(await journalRows(), { peers: 4, transfers: 4 });
    const checkpoint = new JournalCheckpoint(db.sql, 1);
    await checkpoint.begin();
    const stored: bigint[][] = [];
    let flushedBetween = false;
    await drain(checkpoint, async (part) => {
      if (part.journal !== 'peers') return;
      stored.push(await baselines());
      if (!flushedBetween) {
        flushedBetween = true;
        await round(5); // a flush between the first two parts: past the mark
      }
    });
    // each part moved every baseline to the next row's state, the oldest first
    assert.deepEqual(stored, [0, 1, 2, 3].map((k) => clients.map((c) => c.journaled[k])));
    assert.deepEqual(await journalRows(), { peers: 1, transfers: 1 }, 'the row journaled between two parts is left');
    assert.deepEqual(await transfers(), clients.map((c) => c.journaled[3]), 'the four transfer rows, one per part, added up');
    await checkpoint.begin();
    await drain(checkpoint);
    assert.deepEqual(await journalRows(), { peers: 0, transfers: 0 });
    await assertBooksExact();
  });

  it('keeps pace with the flushes once the rows not applied pass the backlog bound, though no checkpoint is due', async () => {
    let most = 0;
    // no time passes: the timer's checkpoint (every 30 s) never comes due
    for (let n = 0; n < JOURNAL_BACKLOG_ROWS / 3 + 10; n++) {
      for (const c of clients) {
        c.uploaded += MiB;
        service.core.announce({
          passkey: c.user.passkey, infoHash: release.v1!, peerId: c.peerId, port: 51413, uploaded: c.uploaded, downloaded: 0n, left: 0n,
          event: '', numwant: null, key: 'C0FFEE02', ip: '10.0.0.2', family: 4, transport: 'http',
        });
      }
      await service.flush('timer'); // a member, a peer and a transfer journal row
      const rows = await journalRows();
      const [members] = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM member_journal');
      most = Math.max(most, rows.peers + rows.transfers + members.n);
    }
    assert.ok(most > 3, 'the first flushes left their rows to the checkpoint');
    assert.ok(most <= JOURNAL_BACKLOG_ROWS + 3, `at most the bound and one flush's rows wait (${most})`);
    await service.flush();
    await assertBooksExact();
  });

  for (const fault of ['lose-commit-reply', 'cut-before-commit'] as const) {
    it(`applies every journal row once when a part's connection is lost (${fault})`, async () => {
      for (let n = 6; n <= 8; n++) await round(n);
      const checkpoint = new JournalCheckpoint(routed.sql, 1);
      await checkpoint.begin();
      const first = await checkpoint.next();
      assert.ok(first, 'the oldest row of the first journal applied');
      arm(fault);
      await assert.rejects(checkpoint.next(), Error, 'the second part (that journal\'s next row) reports a lost connection');
      if (proxy) assert.ok(proxy.cuts > 0);
      const parts = await drain(checkpoint);
      const rowsAfter = parts.filter((p) => p.journal === first.journal).reduce((n, p) => n + p.taken, 0);
      assert.equal(rowsAfter, fault === 'lose-commit-reply' ? 1 : 2, 'the committed part is not taken again, the rolled back one is');
      assert.deepEqual(await journalRows(), { peers: 0, transfers: 0 });
      await assertBooksExact();
    });
  }
});
