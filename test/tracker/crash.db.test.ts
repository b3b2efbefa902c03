// kill -9 at random moments: a child process serves the tracker on the test database while
// a scripted set of clients announces over HTTP; it is SIGKILLed mid-sequence several
// times and restarted on the same database. Clients behave like real ones: counters are
// cumulative per session, and an announce that got no answer is sent again. At the end
// every member's credited and actual totals must equal exactly what their clients reported
// (persisted baselines commit with the credit, so nothing is lost or doubled).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { openDatabase } from '../../src/db/client.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';
import { exited, killTrackerChildren, startTrackerChild } from './fixtures/crash-child.js';
import { pct, seedRelease, seedUser, userTotals, type SeededRelease, type SeededUser } from './fixtures/seed.js';

const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
const STEPS = 600;
const KILLS = 3;

let s = SEED || 1;
const rand = (): number => {
  s = (s * 1103515245 + 12345) % 2147483648;
  return s / 2147483648;
};
const int = (n: number): number => Math.floor(rand() * n);

interface Client {
  user: SeededUser;
  release: SeededRelease;
  factor: bigint; // 2 on the double-upload release
  peerId: Buffer;
  port: number;
  uploaded: bigint;
  downloaded: bigint;
  left: bigint;
}

let db: TestDatabase;
let clients: Client[] = [];



/** One announce; null when the server did not answer (killed). */
function send(port: number, c: Client, event: string): Promise<string | null> {
  const query = `info_hash=${pct(c.release.v1!)}&peer_id=${pct(c.peerId)}&port=${c.port}&uploaded=${c.uploaded}&downloaded=${c.downloaded}&left=${c.left}${event ? `&event=${event}` : ''}&compact=1`;
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: `/${c.user.passkey}/announce?${query}`, agent: false, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
      res.on('error', () => resolve(null));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(null));
  });
}

async function sendOk(port: number, c: Client, event = ''): Promise<void> {
  const body = await send(port, c, event);
  assert.ok(body !== null, 'tracker did not answer');
  assert.ok(!body.includes('failure reason'), body);
}

/** What a client does between announces: transfer some bytes, maybe finish. */
function progress(c: Client): string {
  c.uploaded += BigInt(int(5_000_000));
  if (c.left > 0n) {
    const got = BigInt(1 + int(3_000_000));
    const step = got > c.left ? c.left : got;
    c.downloaded += step;
    c.left -= step;
    if (c.left === 0n) return 'completed';
  }
  return '';
}

before(async () => {
  db = await openTestDatabase();
  const users = await Promise.all(Array.from({ length: 4 }, () => seedUser(db.sql, null)));
  const releases = [await seedRelease(db.sql, null), await seedRelease(db.sql, null), await seedRelease(db.sql, null, { freeleech: 'double_upload' })];
  let n = 0;
  clients = users.flatMap((user) =>
    releases.map((release, i) => ({
      user,
      release,
      factor: i === 2 ? 2n : 1n,
      peerId: Buffer.from(`-LT2000-crash${String(n++).padStart(7, '0')}`),
      port: 10_000 + n,
      uploaded: 0n,
      downloaded: 0n,
      left: BigInt(int(3) === 0 ? 0 : 5_000_000 + int(20_000_000)),
    })),
  );
  // PGlite allows one process: the child owns the data directory while it runs.
  await db.close();
});

after(async () => {
  await killTrackerChildren();
  await db.destroy();
});

describe(`crash (seed ${SEED})`, () => {
  it('loses and doubles nothing across SIGKILLs mid-sequence', { timeout: 600_000 }, async () => {
    let child = await startTrackerChild(db);
    for (const c of clients) await sendOk(child.port, c, 'started');
    // the started announces set the baselines; a clean stop makes sure they are persisted
    child.proc.kill('SIGTERM');
    assert.equal(await exited(child.proc), 0);
    child = await startTrackerChild(db);

    const killAt = new Set(Array.from({ length: KILLS }, () => 50 + int(STEPS - 100)));
    for (let step = 0; step < STEPS; step++) {
      if (!killAt.has(step)) {
        const c = clients[int(clients.length)];
        await sendOk(child.port, c, progress(c));
        continue;
      }
      // a few clients announce at once and the process dies under them
      const burst = [...clients].sort(() => rand() - 0.5).slice(0, 5);
      const events = burst.map(progress);
      const inflight = burst.map((c, i) => send(child.port, c, events[i]));
      await new Promise((r) => setTimeout(r, int(20)));
      child.proc.kill('SIGKILL');
      await exited(child.proc);
      const answers = await Promise.all(inflight);
      child = await startTrackerChild(db);
      // unanswered announces are retried with the same cumulative counters
      for (let i = 0; i < burst.length; i++) if (answers[i] === null) await sendOk(child.port, burst[i], events[i] === 'completed' ? 'completed' : '');
    }
    for (const c of clients) await sendOk(child.port, c, 'stopped');
    child.proc.kill('SIGTERM');
    assert.equal(await exited(child.proc), 0);

    const check = openDatabase({ dataDir: db.dataDir, databaseUrl: db.url });
    try {
      for (const user of new Set(clients.map((c) => c.user))) {
        const mine = clients.filter((c) => c.user === user);
        const expected = {
          uploaded: mine.reduce((sum, c) => sum + c.uploaded * c.factor, 0n),
          downloaded: mine.reduce((sum, c) => sum + c.downloaded, 0n),
          uploaded_actual: mine.reduce((sum, c) => sum + c.uploaded, 0n),
          downloaded_actual: mine.reduce((sum, c) => sum + c.downloaded, 0n),
        };
        assert.deepEqual(await userTotals(check.sql, user.id), expected, `user ${user.id}`);
      }
      const snatches = await check.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM snatches');
      const finished = clients.filter((c) => c.downloaded > 0n && c.left === 0n).length;
      assert.equal(snatches[0].n, finished);
      const live = await check.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM peers WHERE active');
      assert.equal(live[0].n, 0);
    } finally {
      await check.close();
    }
  });
});
