// The member journal (docs/accounting.md, "The member journal"): a timer flush appends its
// per-(member, day) credit to the journal instead of updating `users` and `traffic_daily`;
// the checkpoint adds it to both once, a flush asked for applies it, and a start after a
// real kill -9 applies what the dead process committed, so nothing is lost or credited twice.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import Fastify from 'fastify';
import { FakeClock } from '../../src/clock.js';
import { testConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/client.js';
import { createTrackerService, type TrackerService } from '../../src/tracker/service.js';
import type { AnnounceRequest } from '../../src/tracker/core/types.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';
import { exited, killTrackerChildren, startTrackerChild } from './fixtures/crash-child.js';
import { committedUploaded, pct, seedRelease, seedUser, userTotals, type SeededRelease, type SeededUser } from './fixtures/seed.js';

const MiB = 1_048_576n;
const DAY_MS = 86_400_000;
let db: TestDatabase;
let user: SeededUser;
let release: SeededRelease;

function service(clock: FakeClock): TrackerService {
  // no timer flushes: the spec says when, and which kind (flush() is the asked-for one)
  const config = testConfig({ dataDir: db.dataDir, databaseUrl: db.url, flushIntervalMs: 3_600_000 });
  return createTrackerService({ config, db, clock, log: Fastify({ logger: false }).log });
}

function announce(s: TrackerService, peerId: Buffer, uploaded: bigint, event: AnnounceRequest['event'] = ''): void {
  s.core.announce({
    passkey: user.passkey, infoHash: release.v1!, peerId, port: 51413, uploaded, downloaded: 0n, left: 0n, event,
    numwant: null, key: 'C0FFEE02', ip: '10.0.0.8', family: 4, transport: 'http',
  });
}

const journalRows = async (sql = db.sql): Promise<number> => (await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM member_journal'))[0].n;

async function dailyRows(sql = db.sql): Promise<{ day: number; uploaded: bigint; total: bigint }[]> {
  const rows = await sql.query<{ day: number; uploaded: string; total: string }>(
    `SELECT (day - DATE '1970-01-01')::int AS day, uploaded::text, total_uploaded::text AS total FROM traffic_daily WHERE user_id = $1 ORDER BY day`,
    [user.id],
  );
  return rows.map((r) => ({ day: r.day, uploaded: BigInt(r.uploaded), total: BigInt(r.total) }));
}



/** One HTTP announce, answered without a failure (10 s bound). */
function sendOk(port: number, peerId: Buffer, uploaded: bigint, event = ''): Promise<void> {
  const query = `info_hash=${pct(release.v1!)}&peer_id=${pct(peerId)}&port=6881&uploaded=${uploaded}&downloaded=0&left=0${event ? `&event=${event}` : ''}&compact=1`;
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path: `/${user.passkey}/announce?${query}`, agent: false, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('latin1');
        if (body.includes('failure reason')) reject(new Error(body));
        else resolve();
      });
    });
    request.on('timeout', () => request.destroy(new Error('announce timed out')));
    request.on('error', reject);
  });
}

before(async () => {
  db = await openTestDatabase();
  user = await seedUser(db.sql, null);
  release = await seedRelease(db.sql, null);
});
after(async () => {
  await killTrackerChildren();
  await db.destroy();
});

describe('the member journal', () => {
  it('keeps timer flushes out of the member row and daily traffic; the checkpoint adds the credit once, with the day\'s total', async () => {
    const clock = new FakeClock();
    const peerId = Buffer.from('-qB4650-memberj00001');
    const s = service(clock);
    await s.start();
    const base = (await userTotals(db.sql, user.id)).uploaded;
    announce(s, peerId, 0n, 'started');
    await s.flush();
    for (const up of [1n, 2n, 3n]) {
      clock.advance(5_000); // the checkpoint is not due again for 30 s
      announce(s, peerId, up * MiB);
      await s.flush('timer');
    }
    assert.equal((await userTotals(db.sql, user.id)).uploaded, base, 'the member row is not rewritten by timer flushes');
    assert.deepEqual(await dailyRows(), [], 'nor is a daily row written');
    assert.ok((await journalRows()) >= 3, 'each flush journaled the member\'s credit');
    assert.equal((await committedUploaded(db.sql, user.id)) - base, 3n * MiB, 'the credit is committed by every flush');
    await s.flush(); // asked for (tools, tests, shutdown): applies the journals
    const totals = await userTotals(db.sql, user.id);
    assert.equal(totals.uploaded - base, 3n * MiB);
    assert.equal(totals.uploaded_actual, 3n * MiB);
    assert.deepEqual(await dailyRows(), [{ day: Math.floor(clock.now() / DAY_MS), uploaded: 3n * MiB, total: totals.uploaded }]);
    assert.equal(await journalRows(), 0, 'and the journal is empty');
    await s.stop();
  });

  it('gives each day its own row and the member\'s total as of that day\'s last credit, when one checkpoint spans midnight', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 5) - 10_000); // 10 s before midnight UTC
    const peerId = Buffer.from('-qB4650-memberj00002');
    const s = service(clock);
    await s.start();
    const before = await dailyRows();
    const base = (await userTotals(db.sql, user.id)).uploaded;
    const day = Math.floor(clock.now() / DAY_MS);
    announce(s, peerId, 0n, 'started');
    await s.flush();
    clock.advance(5_000);
    announce(s, peerId, 2n * MiB);
    await s.flush('timer');
    clock.advance(10_000); // the next day
    announce(s, peerId, 7n * MiB);
    await s.flush('timer');
    await s.flush();
    const rows = (await dailyRows()).filter((r) => !before.some((b) => b.day === r.day));
    assert.deepEqual(rows, [
      { day, uploaded: 2n * MiB, total: base + 2n * MiB },
      { day: day + 1, uploaded: 5n * MiB, total: base + 7n * MiB },
    ]);
    await s.stop();
  });

  it('credits what a process killed with SIGKILL had journaled, once, at the next start', { timeout: 600_000 }, async () => {
    const peerId = Buffer.from('-qB4650-memberj00003');
    const other = Buffer.from('-qB4650-memberj00004');
    const base = await userTotals(db.sql, user.id);
    await db.close(); // PGlite allows one process: the child owns the data directory while it runs
    let child = await startTrackerChild(db);
    await sendOk(child.port, peerId, 0n, 'started');
    await sendOk(child.port, peerId, 9n * MiB);
    // a new peer's reply is held until a flush commits it, and that flush takes the 9 MiB too
    await sendOk(child.port, other, 0n, 'started');
    child.proc.kill('SIGKILL'); // long before the 30 s checkpoint
    await exited(child.proc);

    let check = openDatabase({ dataDir: db.dataDir, databaseUrl: db.url });
    try {
      assert.ok((await journalRows(check.sql)) > 0, 'the credit was left in the journal');
      assert.equal((await userTotals(check.sql, user.id)).uploaded, base.uploaded, 'and not yet in the member row');
      assert.equal((await committedUploaded(check.sql, user.id)) - base.uploaded, 9n * MiB);
    } finally {
      await check.close();
    }

    child = await startTrackerChild(db);
    await sendOk(child.port, peerId, 9n * MiB); // the same report again: measured from the committed baseline, credits 0
    await sendOk(child.port, peerId, 10n * MiB, 'stopped');
    await sendOk(child.port, other, 0n, 'stopped');
    child.proc.kill('SIGTERM');
    await exited(child.proc);

    check = openDatabase({ dataDir: db.dataDir, databaseUrl: db.url });
    try {
      const totals = await userTotals(check.sql, user.id);
      assert.equal(totals.uploaded - base.uploaded, 10n * MiB, 'every reported byte, once');
      assert.equal(totals.uploaded_actual - base.uploaded_actual, 10n * MiB);
      assert.equal(await journalRows(check.sql), 0);
      const [{ sum }] = await check.sql.query<{ sum: string }>('SELECT sum(uploaded_actual)::text AS sum FROM traffic_daily WHERE user_id = $1', [user.id]);
      assert.equal(BigInt(sum), totals.uploaded_actual, 'the daily rows add up to the member\'s actual total');
    } finally {
      await check.close();
    }
  });
});
