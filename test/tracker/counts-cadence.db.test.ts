// The timer's flushes write credit every FLUSH_INTERVAL_MS but the releases' seeder/leecher
// counts only every COUNTS_INTERVAL_MS (a count change rewrites every browse index of the
// release row); an asked-for flush (shutdown, tools) writes both.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { FakeClock } from '../../src/clock.js';
import { testConfig } from '../../src/config.js';
import { createTrackerService, type TrackerService } from '../../src/tracker/service.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';
import { committedUploaded, seedRelease, seedUser, type SeededRelease, type SeededUser } from './fixtures/seed.js';

let db: TestDatabase;
let service: TrackerService;
const clock = new FakeClock();
let user: SeededUser;
let release: SeededRelease;
let ghost: SeededRelease;

async function counts(): Promise<{ seeders: number; leechers: number }> {
  const rows = await db.sql.query<{ seeders: number; leechers: number }>('SELECT seeders, leechers FROM releases WHERE id = $1', [release.id]);
  return rows[0];
}

/** Polls (bounded) until `check` holds; the timer runs on real time. */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function announce(uploaded: bigint, event: 'started' | '' = ''): void {
  service.core.announce({
    passkey: user.passkey, infoHash: release.v1!, peerId: Buffer.from('-qB4650-countscadence'.slice(0, 20)), port: 6881,
    uploaded, downloaded: 0n, left: 0n, event, numwant: null, key: null, ip: '10.0.0.7', family: 4, transport: 'http',
  });
}

before(async () => {
  db = await openTestDatabase();
  user = await seedUser(db.sql, null);
  release = await seedRelease(db.sql, null);
  // a row still counting peers that stopped before a kill -9 (peer rows committed, counts not)
  ghost = await seedRelease(db.sql, null);
  await db.sql.query('UPDATE releases SET seeders = 3, leechers = 2 WHERE id = $1', [ghost.id]);
  const config = testConfig({ dataDir: db.dataDir, databaseUrl: db.url, flushIntervalMs: 50, countsIntervalMs: 3_600_000 });
  service = createTrackerService({ config, db, clock, log: Fastify({ logger: false }).log });
  await service.start();
});

after(async () => {
  await service.stop();
  await db.destroy();
});

describe('release counts cadence', () => {
  it('corrects at start a release row whose counts no live peer backs', async () => {
    await eventually(async () => {
      const rows = await db.sql.query<{ seeders: number; leechers: number }>('SELECT seeders, leechers FROM releases WHERE id = $1', [ghost.id]);
      return rows[0].seeders === 0 && rows[0].leechers === 0;
    }, 'the ghost counts to be corrected by the first timer flush');
  });

  it('writes credit on every timer flush and the counts only once they are due', async () => {
    announce(0n, 'started');
    // counts were written at start (the ghost above): the next are due an interval later
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(await counts(), { seeders: 0, leechers: 0 }, 'not due yet');
    // the expiry sweep runs every 100 ms of real time: a seeder silent for the fake hour
    // would be dropped, so it re-announces in the same synchronous step
    clock.advance(61 * 60_000);
    announce(0n);
    await eventually(async () => (await counts()).seeders === 1, 'the due counts');
    clock.advance(30 * 60_000); // a regular re-announce, well under the counts interval (1 h)
    service.core.announce({
      passkey: user.passkey, infoHash: release.v1!, peerId: Buffer.from('-TR3000-secondpeer00'), port: 51413,
      uploaded: 0n, downloaded: 0n, left: 500n, event: 'started', numwant: null, key: null, ip: '10.0.0.8', family: 4, transport: 'http',
    });
    announce(4096n);
    // committed by the flush; the member row gets it at the journal's checkpoint (docs/accounting.md)
    await eventually(async () => (await committedUploaded(db.sql, user.id)) === 4096n, 'the credit');
    assert.deepEqual(await counts(), { seeders: 1, leechers: 0 }, 'the new leecher is not on the release row yet');
    assert.equal(service.health().pendingDeltas, 0, 'nothing of the books is waiting');
    clock.advance(31 * 60_000);
    await eventually(async () => (await counts()).leechers === 1, 'the due counts');
    assert.deepEqual(await counts(), { seeders: 1, leechers: 1 });
  });

  it('writes the counts at once when a flush is asked for', async () => {
    service.core.announce({
      passkey: user.passkey, infoHash: release.v1!, peerId: Buffer.from('-TR3000-secondpeer00'), port: 51413,
      uploaded: 0n, downloaded: 0n, left: 500n, event: 'stopped', numwant: null, key: null, ip: '10.0.0.8', family: 4, transport: 'http',
    });
    await service.flush();
    assert.deepEqual(await counts(), { seeders: 1, leechers: 0 });
  });
});
