// A flush slower than FLUSH_INTERVAL_MS: the timer's ticks queue behind it, and each decides
// whether release counts are due only once it holds the flush, so the counts written by the
// slow flush are not written again by every tick that waited for it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { FakeClock } from '../../src/clock.js';
import { testConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { createTrackerService, type TrackerService } from '../../src/tracker-service.js';
import type { AnnounceRequest } from '../../src/tracker/types.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';
import { seedRelease, seedUser, type SeededRelease, type SeededUser } from './fixtures/seed.js';
import { withTransactions } from './fixtures/wrapped-db.js';

let db: TestDatabase;
let service: TrackerService;
const clock = new FakeClock();
let user: SeededUser;
let release: SeededRelease;
let gate: Promise<void> = Promise.resolve();
let countStatements = 0;

/** The real database, each transaction held until `gate` resolves; counts statements counted. */
function gated(real: Database): Database {
  return withTransactions(real, (fn) =>
    gate.then(() =>
      real.sql.transaction((tx) =>
        fn({
          ...tx,
          query: (text: string, params?: unknown[]) => {
            if (text.includes('UPDATE releases AS r SET seeders')) countStatements++;
            return tx.query(text, params);
          },
        } as typeof tx),
      ),
    ),
  );
}

function request(peer: string, overrides: Partial<AnnounceRequest> = {}): AnnounceRequest {
  return {
    passkey: user.passkey, infoHash: release.v1!, peerId: Buffer.from(`-TR3000-${peer}`.padEnd(20, '0')), port: 51413,
    uploaded: 0n, downloaded: 0n, left: 100n, event: 'started', numwant: null, key: null, ip: '10.0.0.1', family: 4, transport: 'http',
    ...overrides,
  };
}

before(async () => {
  db = await openTestDatabase();
  user = await seedUser(db.sql, null);
  release = await seedRelease(db.sql, null);
  const config = testConfig({ dataDir: db.dataDir, databaseUrl: db.url, flushIntervalMs: 50, countsIntervalMs: 3_600_000 });
  service = createTrackerService({ config, db: gated(db), clock, log: Fastify({ logger: false }).log });
  await service.start();
  service.setPolicy({ maxPeersPerRelease: 1000 }); // one member's six peers on one release
});

after(async () => {
  await service.stop();
  await db.destroy();
});

describe('a slow flush', () => {
  it('writes release counts once, not once more for every timer tick that waited behind it', async () => {
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    service.core.announce(request('a'));
    await new Promise((resolve) => setTimeout(resolve, 120)); // a tick took the batch and waits at the gate
    for (let i = 0; i < 5; i++) {
      service.core.announce(request(`b${i}`)); // new peers: the counts change again
      await new Promise((resolve) => setTimeout(resolve, 60)); // and more ticks queue up
    }
    open();
    const deadline = Date.now() + 10_000;
    while (service.health().pendingDeltas > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 300)); // further ticks, none due
    assert.equal(service.health().pendingDeltas, 0);
    assert.equal(countStatements, 1, 'only the first flush (counts due at start) wrote counts');
    await service.flush(); // an asked-for flush writes the changed counts at once
    assert.equal(countStatements, 2);
    const rows = await db.sql.query<{ leechers: number }>('SELECT leechers FROM releases WHERE id = $1', [release.id]);
    assert.equal(rows[0].leechers, 6);
  });
});
