// A stop writes the books and leaves what can be rebuilt: the release counts (when more than
// one statement's worth are pending) are rewritten by the next start from the swarms it loads,
// and an idle kept-alive connection does not hold the HTTP server's close
// (docs/operations.md, "Stopping").
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import Fastify from 'fastify';
import { FakeClock } from '../../src/clock.js';
import { testConfig, type Config } from '../../src/config.js';
import { FLUSH_CHUNK_ROWS } from '../../src/db/tracker-store.js';
import { createTrackerService, type TrackerService } from '../../src/tracker/service.js';
import type { AnnounceRequest } from '../../src/tracker/core/types.js';
import { infoHashOf, passkeyOf } from '../../bench/lib/fixture.js';
import { seedCategory, seedMembers, seedReleases } from '../../bench/lib/seed-sql.js';
import { buildTestApp } from '../helpers/app.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';

const MEMBERS = 50;
/** more releases with changed counts than one statement writes */
const RELEASES = FLUSH_CHUNK_ROWS + 100;

let db: TestDatabase;
let config: Config;
const clock = new FakeClock();
const log = Fastify({ logger: false }).log;

function request(peer: number, event: AnnounceRequest['event']): AnnounceRequest {
  return {
    passkey: passkeyOf(1 + (peer % MEMBERS)), infoHash: infoHashOf(1 + peer), peerId: Buffer.from(`-TR3000-${String(peer).padStart(12, '0')}`),
    port: 51413, uploaded: 0n, downloaded: 0n, left: peer % 2 === 0 ? 0n : 100n, event, numwant: 0, key: null, ip: '10.3.0.1', family: 4, transport: 'http',
  };
}

async function storedCounts(): Promise<Map<number, string>> {
  const rows = await db.sql.query<{ id: number; seeders: number; leechers: number }>('SELECT id, seeders, leechers FROM releases');
  return new Map(rows.map((r) => [r.id, `${r.seeders}/${r.leechers}`]));
}

function liveCounts(service: TrackerService): Map<number, string> {
  const live = new Map<number, string>();
  for (let id = 1; id <= RELEASES; id++) {
    const { seeders, leechers } = service.engine.countsOf(id);
    live.set(id, `${seeders}/${leechers}`);
  }
  return live;
}

before(async () => {
  db = await openTestDatabase();
  await seedMembers(db.sql, MEMBERS);
  await seedReleases(db.sql, RELEASES, await seedCategory(db.sql), null);
  config = testConfig({ dataDir: db.dataDir, databaseUrl: db.url, flushIntervalMs: 3_600_000 });
});

after(async () => {
  await db.destroy();
});

describe('stopping', () => {
  it('leaves many pending release counts to the next start, which rewrites them from the swarms', { timeout: 10 * 60_000 }, async () => {
    const first = createTrackerService({ config, db, clock, log });
    await first.start();
    for (let peer = 0; peer < RELEASES; peer++) first.core.announce(request(peer, 'started'));
    await first.flush();
    const written = await storedCounts();
    assert.deepEqual(written, liveCounts(first));
    // every peer stops: every release's counts change, and the stop does not write them
    clock.advance(60_000);
    for (let peer = 0; peer < RELEASES; peer++) first.core.announce(request(peer, 'stopped'));
    await first.stop();
    assert.deepEqual(await storedCounts(), written);

    const second = createTrackerService({ config, db, clock, log });
    await second.start();
    await second.flush();
    assert.deepEqual(await storedCounts(), liveCounts(second));
    await second.stop();
  });

  it('does not wait for an idle kept-alive connection', { timeout: 5 * 60_000 }, async () => {
    const { app, db: appDb } = await buildTestApp();
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as { port: number };
      const agent = new http.Agent({ keepAlive: true });
      const socket = await new Promise<import('node:net').Socket>((resolve, reject) => {
        let socket: import('node:net').Socket | null = null;
        const req = http.get({ host: '127.0.0.1', port, path: '/healthz', agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(socket!));
        });
        req.on('socket', (s) => (socket = s));
        req.on('error', reject);
      });
      assert.ok(!socket.destroyed, 'the connection is kept alive after its reply');
      // the close ends: it would hang on the open connection if the server waited for it
      await Promise.all([app.close(), once(socket, 'close')]);
      agent.destroy();
    } finally {
      await app.close();
      await appDb.destroy();
    }
  });
});
