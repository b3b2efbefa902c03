// Pages keep answering while the tracker's flush writes a large backlog, and while the journal
// checkpoint applies a large journal: on PGlite's one connection the flush's parts and the
// checkpoint's take the background lane and a page's queries go first (src/db/pglite-lanes.ts,
// src/db/journal-checkpoint.ts); on PostgreSQL the page has connections of its own. Ordering
// assertions: the page is answered before the work ends, with parts still done after it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { testConfig } from '../../src/config.js';
import { JournalCheckpoint } from '../../src/db/journal-checkpoint.js';
import { journalPeers } from '../../src/db/peer-journal.js';
import { FLUSH_CHUNK_ROWS } from '../../src/db/tracker-store.js';
import type { PeerRow } from '../../src/tracker/core/ledger.js';
import type { AnnounceRequest } from '../../src/tracker/core/types.js';
import { FLUSH_PART_ENTRIES } from '../../src/tracker/flush-limits.js';
import { infoHashOf, passkeyOf } from '../../bench/lib/fixture.js';
import { seedCategory, seedMembers, seedReleases } from '../../bench/lib/seed-sql.js';
import { insertSession } from '../../bench/lib/server-process.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';

const MEMBERS = 2_000;
const RELEASES = 200;
/** new peers, one per (member, release): a peer row and a transfer row each, several parts in all */
const PEERS = 60_000;

let db: TestDatabase;
let app: FastifyInstance;
let cookie: string;

function started(peer: number): AnnounceRequest {
  const member = 1 + (peer % MEMBERS);
  const release = 1 + (Math.floor(peer / MEMBERS) % RELEASES);
  return {
    passkey: passkeyOf(member), infoHash: infoHashOf(release), peerId: Buffer.from(`-TR3000-${String(peer).padStart(12, '0')}`),
    port: 51413, uploaded: 0n, downloaded: 0n, left: 0n, event: 'started', numwant: 0, key: null, ip: '10.3.0.1', family: 4, transport: 'http',
  };
}

before(async () => {
  db = await openTestDatabase();
  await seedMembers(db.sql, MEMBERS);
  await seedReleases(db.sql, RELEASES, await seedCategory(db.sql), null);
  const [member] = await db.sql.query<{ id: number }>(`SELECT id FROM users WHERE username = 'member1'`);
  cookie = await insertSession(db.sql, member.id);
  app = await buildApp(testConfig({ dataDir: db.dataDir, databaseUrl: db.url, flushIntervalMs: 600_000 }), { db });
  await app.ready();
});

after(async () => {
  await app.close();
  await db.destroy();
});

describe('pages while the tracker flushes a large backlog', () => {
  it('answers a member\'s browse page before the flush of many parts ends', { timeout: 15 * 60_000 }, async () => {
    for (let peer = 0; peer < PEERS; peer++) void app.tracker.core.announce(started(peer));
    const pending = app.tracker.health().pendingDeltas;
    assert.ok(pending > 3 * FLUSH_PART_ENTRIES, `${pending} entries pending: several parts`);
    const events: string[] = [];
    let firstPart: () => void = () => {};
    const partWritten = new Promise<void>((resolve) => (firstPart = resolve));
    app.tracker.onFlush(() => {
      events.push('part');
      firstPart();
    });
    const flushing = app.tracker.flush().then(() => events.push('flush end'));
    await partWritten;
    const page = await app.inject({ method: 'GET', url: '/releases', headers: { cookie } });
    events.push('page');
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    events.push('healthz');
    await flushing;
    assert.equal(page.statusCode, 200);
    assert.equal(health.statusCode, 200);
    const answered = events.indexOf('healthz');
    assert.ok(answered < events.indexOf('flush end'), events.join(', '));
    assert.ok(events.slice(answered).includes('part'), `parts were still written after the pages: ${events.join(', ')}`);
  });

  it('answers a member\'s browse page between two parts of a large journal checkpoint', { timeout: 15 * 60_000 }, async () => {
    const [{ lo, hi, u }] = await db.sql.query<{ lo: number; hi: number; u: number }>(
      'SELECT min(id)::int AS lo, max(id)::int AS hi, (SELECT min(id)::int FROM users) AS u FROM releases',
    );
    const row = (peer: number): PeerRow => ({
      userId: u + (peer % MEMBERS), releaseId: lo + (peer % (hi - lo + 1)), peerId: Buffer.from(`-TR3000-${String(peer).padStart(12, '0')}`),
      ipv4: '10.3.0.2', ipv6: null, port: 51413, uploaded: BigInt(peer), downloaded: 0n, left: 0n, client: 'TR3000', key: null,
      seeder: true, active: true, lastAnnounceAt: Date.now(),
    });
    for (let from = 0; from < PEERS; from += FLUSH_CHUNK_ROWS) {
      const rows = Array.from({ length: Math.min(FLUSH_CHUNK_ROWS, PEERS - from) }, (_, i) => row(from + i));
      await db.sql.transaction((tx) => journalPeers(tx, rows));
    }
    const checkpoint = new JournalCheckpoint(db.sql);
    await checkpoint.begin();
    assert.ok(await checkpoint.next(), 'a first part');
    const events: string[] = [];
    const applying = (async () => {
      for (let part = await checkpoint.next(); part !== null; part = await checkpoint.next()) events.push('part');
      events.push('checkpoint end');
    })();
    const page = await app.inject({ method: 'GET', url: '/releases', headers: { cookie } });
    events.push('page');
    await applying;
    assert.equal(page.statusCode, 200);
    const answered = events.indexOf('page');
    assert.ok(answered < events.indexOf('checkpoint end'), events.join(', '));
    assert.ok(events.slice(answered).includes('part'), `parts were still applied after the page: ${events.join(', ')}`);
    const [{ n }] = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM peer_journal');
    assert.equal(n, 0, 'the whole journal applied');
  });
});
