// The peer and transfer journals (docs/accounting.md, "The peer journal"): a timer flush
// appends the peers it changed and its per-release deltas to the journals with the members'
// credit, instead of rewriting `peers` and `transfers` rows; the checkpoint writes each peer's
// latest state and adds the deltas up, once; a start after kill -9 applies the journals
// before loading, so baselines and credit agree and nothing is credited twice.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { FakeClock } from '../../src/clock.js';
import { testConfig } from '../../src/config.js';
import { applyPeerJournal, journalPeers } from '../../src/db/peer-journal.js';
import type { PeerRow } from '../../src/tracker/core/ledger.js';
import { createTrackerService, type TrackerService } from '../../src/tracker/service.js';
import type { AnnounceRequest } from '../../src/tracker/core/types.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';
import { committedUploaded, seedRelease, seedUser, userTotals, type SeededRelease, type SeededUser } from './fixtures/seed.js';

const MiB = 1_048_576n;
let db: TestDatabase;
let user: SeededUser;
let release: SeededRelease;
const clock = new FakeClock();
const peerId = Buffer.from('-qB4650-journal00001');

function service(): TrackerService {
  // no timer flushes: the spec says when, and which kind (flush() is the asked-for one)
  const config = testConfig({ dataDir: db.dataDir, databaseUrl: db.url, flushIntervalMs: 3_600_000 });
  return createTrackerService({ config, db, clock, log: Fastify({ logger: false }).log });
}

function announce(s: TrackerService, uploaded: bigint, event: AnnounceRequest['event'] = ''): void {
  s.core.announce({
    passkey: user.passkey, infoHash: release.v1!, peerId, port: 51413, uploaded, downloaded: 0n, left: 0n, event,
    numwant: null, key: 'C0FFEE01', ip: '10.0.0.7', family: 4, transport: 'http',
  });
}

async function storedBaseline(): Promise<bigint | null> {
  const rows = await db.sql.query<{ uploaded: unknown }>('SELECT uploaded FROM peers WHERE user_id = $1', [user.id]);
  return rows.length ? BigInt(rows[0].uploaded as string) : null;
}

async function transferUploaded(): Promise<bigint> {
  const rows = await db.sql.query<{ uploaded: unknown }>('SELECT uploaded FROM transfers WHERE user_id = $1 AND release_id = $2', [user.id, release.id]);
  return BigInt(rows[0].uploaded as string);
}

const journalRows = async (): Promise<number> => (await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM peer_journal'))[0].n;

before(async () => {
  db = await openTestDatabase();
  user = await seedUser(db.sql, null);
  release = await seedRelease(db.sql, null);
});
after(() => db.destroy());

describe('the peer and transfer journals', () => {
  it('keeps re-announces out of the peers and transfers rows until the checkpoint, which writes the latest state and the sums once', async () => {
    const s = service();
    await s.start();
    const base = (await userTotals(db.sql, user.id)).uploaded;
    announce(s, 0n, 'started');
    await s.flush(); // asked for: writes everything, the peer rows included
    assert.equal(await storedBaseline(), 0n);
    for (const up of [1n, 2n, 3n]) {
      clock.advance(5_000); // the checkpoint is not due again for 30 s
      announce(s, up * MiB);
      await s.flush('timer');
    }
    assert.equal(await storedBaseline(), 0n, 'the row is not rewritten by timer flushes');
    assert.equal(await transferUploaded(), 0n, 'nor is the transfer row');
    assert.ok((await journalRows()) >= 3, 'each flush journaled the peer');
    assert.equal((await committedUploaded(db.sql, user.id)) - base, 3n * MiB, 'the credit is committed by every flush');
    await s.flush();
    assert.equal(await storedBaseline(), 3n * MiB, 'the checkpoint wrote the newest baseline');
    assert.equal(await transferUploaded(), 3n * MiB, 'and added the three deltas to the transfer row');
    assert.equal(await journalRows(), 0, 'and emptied the journal');
    await s.stop();
  });

  it('loads the journal\'s baselines at start after a kill -9, so nothing is credited twice', async () => {
    const first = service();
    await first.start();
    const base = (await userTotals(db.sql, user.id)).uploaded;
    clock.advance(5_000);
    announce(first, 4n * MiB);
    await first.flush(); // checkpointed: the row holds 4 MiB
    clock.advance(5_000);
    announce(first, 5n * MiB);
    await first.flush('timer'); // journaled only; then the process dies (never stopped)
    assert.ok((await journalRows()) > 0);
    assert.equal(await storedBaseline(), 4n * MiB);
    const second = service();
    await second.start();
    assert.equal(await journalRows(), 0, 'the start applied the journal');
    assert.equal(await storedBaseline(), 5n * MiB);
    clock.advance(60_000);
    announce(second, 6n * MiB);
    await second.flush();
    assert.equal((await userTotals(db.sql, user.id)).uploaded - base, 3n * MiB, '1 MiB by each of the three announces, once');
    assert.equal(await transferUploaded(), 6n * MiB, 'the transfer row too');
    await second.stop();
    await first.stop();
  });

  it('round-trips member-supplied client and key texts with quotes, backslashes, braces, commas and NUL', async () => {
    const hostile = ['a"b', 'c\\d', '{e,f}', 'NULL', ' g ', 'h\u0000i', '"\\"'];
    const rows: PeerRow[] = hostile.map((client, i) => ({
      userId: user.id, releaseId: release.id, peerId: Buffer.from(`-XX0000-hostile${String(i).padStart(5, '0')}`), ipv4: '10.0.0.9', ipv6: null,
      port: 6881, uploaded: BigInt(i), downloaded: 0n, left: 0n, client, key: i % 2 ? null : client, seeder: true, active: true, lastAnnounceAt: clock.now(),
    }));
    await db.sql.transaction(async (tx) => {
      await journalPeers(tx, rows);
      await applyPeerJournal(tx);
    });
    const stored = await db.sql.query<{ client: string; key: string | null }>(
      `SELECT client, key FROM peers WHERE user_id = $1 AND peer_id = ANY($2::bytea[]) ORDER BY uploaded`, [user.id, rows.map((r) => r.peerId)]);
    assert.deepEqual(stored.map((r) => r.client), hostile.map((c) => c.replace(/\u0000/g, '')));
    assert.deepEqual(stored.map((r) => r.key), hostile.map((c, i) => (i % 2 ? null : c.replace(/\u0000/g, ''))));
  });
});
