// A stop with a large backlog (after a burst, or a database that was away) must end within
// its bound: stop() writes whole parts until STOP_FLUSH_MS and leaves the rest. Whatever it
// wrote is consistent (a member's credit committed with their peers' baselines, in the peer
// journal when the stop left no time to apply it), and what it left is recovered: after a
// restart, a peer whose baseline is still the old one credits the gap from its next
// cumulative counters, so the books end exact either way.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { FakeClock } from '../../src/clock.js';
import { testConfig, type Config } from '../../src/config.js';
import { checkpointJournals } from '../../src/db/journal-checkpoint.js';
import { createTrackerService, type TrackerService } from '../../src/tracker/service.js';
import type { AnnounceRequest } from '../../src/tracker/core/types.js';
import { infoHashOf, passkeyOf } from '../../bench/lib/fixture.js';
import { seedCategory, seedMembers, seedReleases } from '../../bench/lib/seed-sql.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';

const MEMBERS = 5_000;
const RELEASES = 100;
/** peers known to the database before the backlog; each re-announces in it, then after the restart */
const KNOWN = 2_000;
/** new peers of the backlog: several hundred thousand ledger entries */
const BACKLOG = 150_000;
const MIN = 60_000;

let db: TestDatabase;
let config: Config;
const clock = new FakeClock();
const log = Fastify({ logger: false }).log;

function request(peer: number, uploaded: bigint, event: AnnounceRequest['event']): AnnounceRequest {
  return {
    passkey: passkeyOf(1 + (peer % MEMBERS)), infoHash: infoHashOf(1 + (peer % RELEASES)), peerId: Buffer.from(`-TR3000-${String(peer).padStart(12, '0')}`),
    port: 51413, uploaded, downloaded: 0n, left: 0n, event, numwant: 0, key: null, ip: '10.2.0.1', family: 4, transport: 'http',
  };
}

async function startService(): Promise<TrackerService> {
  const service = createTrackerService({ config, db, clock, log });
  service.setPolicy({ maxPeersPerRelease: 1000 }); // many peers of one member on one release
  await service.start();
  return service;
}

/** Credited upload per member in the database, and the sum of their peer rows' counters. */
async function books(): Promise<{ credited: Map<number, bigint>; baselines: Map<number, bigint> }> {
  const users = await db.sql.query<{ id: number; up: string }>('SELECT id, uploaded_actual::text AS up FROM users');
  const peers = await db.sql.query<{ id: number; up: string }>('SELECT user_id AS id, sum(uploaded)::text AS up FROM peers GROUP BY user_id');
  return {
    credited: new Map(users.map((u) => [u.id, BigInt(u.up)])),
    baselines: new Map(peers.map((p) => [p.id, BigInt(p.up)])),
  };
}

before(async () => {
  db = await openTestDatabase();
  await seedMembers(db.sql, MEMBERS);
  await seedReleases(db.sql, RELEASES, await seedCategory(db.sql), null);
  config = testConfig({ dataDir: db.dataDir, databaseUrl: db.url, flushIntervalMs: 3_600_000, maxPendingDeltas: 1000 });
});

after(async () => {
  await db.destroy();
});

describe('stopping with a large backlog', () => {
  it('ends, leaves consistent books, and the next start recovers what was not written', { timeout: 20 * 60_000 }, async (t) => {
    let service = await startService();
    for (let peer = 0; peer < KNOWN; peer++) service.core.announce(request(peer, 0n, 'started'));
    await service.flush();
    clock.advance(MIN);
    // the backlog: the known peers upload 1000 each, and many new peers arrive (past
    // MAX_PENDING_DELTAS, which refuses nothing while flushes succeed)
    for (let peer = 0; peer < KNOWN; peer++) service.core.announce(request(peer, 1000n, ''));
    for (let peer = KNOWN; peer < KNOWN + BACKLOG; peer++) service.core.announce(request(peer, 0n, 'started'));
    const pending = service.health().pendingDeltas;
    assert.ok(pending > BACKLOG, `${pending} entries pending`);
    const started = performance.now();
    await service.stop();
    t.diagnostic(`stop with ${pending} pending entries took ${Math.round(performance.now() - started)} ms, left ${service.health().pendingDeltas}`);

    // consistent: every member's credit is exactly what their written peer baselines account
    // for, once the peer journal is applied (as the next start does first)
    await checkpointJournals(db.sql);
    const stopped = await books();
    for (const [id, credited] of stopped.credited) assert.equal(credited, stopped.baselines.get(id) ?? 0n, `member ${id}`);

    // recovered: after a restart every known peer announces 1500; each is credited 1500 in all
    clock.advance(MIN);
    service = await startService();
    for (let peer = 0; peer < KNOWN; peer++) service.core.announce(request(peer, 1500n, ''));
    await service.stop();
    const [total] = await db.sql.query<{ up: string }>('SELECT sum(uploaded_actual)::text AS up FROM users');
    assert.equal(BigInt(total.up), 1500n * BigInt(KNOWN));
  });
});
