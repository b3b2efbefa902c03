// The embedded database must never freeze: PGlite has no checkpointer process, and with about
// half a gigabyte of write-ahead log written since the last checkpoint it spun inside a
// statement for good (pages, flushes and shutdown all stuck behind it). This spec pushes well
// past a gigabyte of log through the tracker service's real flush (ledger parts and release
// counts), asks /healthz while each flush runs, and checks the books at the end. PostgreSQL
// checkpoints by itself: the spec is PGlite's.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { testConfig } from '../../src/config.js';
import { walPosition } from '../../src/db/checkpointer.js';
import type { AnnounceRequest } from '../../src/tracker/core/types.js';
import { infoHashOf, passkeyOf } from '../../bench/lib/fixture.js';
import { seedCategory, seedMembers, seedReleases } from '../../bench/lib/seed-sql.js';
import { openTestDatabase, usingPostgres, type TestDatabase } from '../helpers/db.js';

const GIB = 1024 ** 3;
const TARGET_WAL = 1.2 * GIB;
const MEMBERS = 2_000;
const RELEASES = 20_000;
const UPLOAD = 1000n;
const MAX_ROUNDS = 200;
/** 32-character md5 chunks in each release's description */
const WIDE_CHUNKS = 48;

let db: TestDatabase;
let app: FastifyInstance;

/** One peer per release; its member is release % MEMBERS. Started rounds add a leecher, stopped rounds credit UPLOAD and remove it. */
function announce(release: number, round: number): void {
  const started = round % 2 === 0;
  const request: AnnounceRequest = {
    passkey: passkeyOf(1 + (release % MEMBERS)), infoHash: infoHashOf(release), peerId: Buffer.from(`-TR3000-${String(release).padStart(12, '0')}`),
    port: 51413, uploaded: started ? 0n : UPLOAD, downloaded: 0n, left: 1000n, event: started ? 'started' : 'stopped',
    numwant: 0, key: null, ip: '10.1.0.1', family: 4, transport: 'http',
  };
  app.tracker.core.announce(request);
}

before(async () => {
  if (usingPostgres()) return;
  db = await openTestDatabase();
  await seedMembers(db.sql, MEMBERS);
  await seedReleases(db.sql, RELEASES, await seedCategory(db.sql), null);
  // Wide release rows (about 1.5 KB of incompressible text, still stored inline) make each
  // counts update write several times the log of a narrow one: the gigabyte takes far fewer
  // rounds of statements, so far less CPU, through the same flush path.
  await db.sql.exec(`UPDATE releases SET description = (SELECT string_agg(md5(id || '-' || n), '') FROM generate_series(1, ${WIDE_CHUNKS}) AS n)`);
  // the timer flush is out of the way: the spec flushes itself, a round at a time
  const config = testConfig({ dataDir: db.dataDir, databaseUrl: '', flushIntervalMs: 3_600_000, countsIntervalMs: 3_600_000 });
  app = await buildApp(config, { db });
  await app.ready();
});

after(async () => {
  if (usingPostgres()) return;
  await app.close();
  await db.destroy();
});

describe('the embedded database under a long write load', { skip: usingPostgres() && 'PostgreSQL checkpoints by itself' }, () => {
  it('keeps flushing and answering past a gigabyte of write-ahead log, with exact books', { timeout: 30 * 60_000 }, async (t) => {
    const start = await walPosition(db.sql);
    let written = 0;
    let round = 0;
    const began = Date.now();
    while (written < TARGET_WAL && round < MAX_ROUNDS) {
      for (let release = 1; release <= RELEASES; release++) announce(release, round);
      const flushing = app.tracker.flush(); // every ledger part, then every release's counts
      const health = await app.inject('/healthz');
      assert.equal(health.statusCode, 200, `healthz while flush ${round} runs`);
      await flushing;
      round++;
      written = Number((await walPosition(db.sql)) - start);
      assert.equal((await app.inject('/login')).statusCode, 200, `a page after flush ${round}`);
    }
    t.diagnostic(`${(written / GIB).toFixed(2)} GiB of write-ahead log in ${round} flushes, ${Math.round((Date.now() - began) / 1000)} s`);
    assert.ok(written >= TARGET_WAL, `${(written / GIB).toFixed(2)} GiB of log in ${round} rounds`);
    assert.equal(app.tracker.health().pendingDeltas, 0);
    const stops = BigInt(Math.floor(round / 2));
    const [books] = await db.sql.query<{ up: string; leechers: string }>(
      'SELECT (SELECT sum(uploaded_actual) FROM users)::text AS up, (SELECT sum(leechers) FROM releases)::text AS leechers',
    );
    assert.equal(BigInt(books.up), stops * UPLOAD * BigInt(RELEASES), 'every stopped session credited once');
    assert.equal(Number(books.leechers), round % 2 === 1 ? RELEASES : 0, 'the release rows count the live leechers');
  });
});
