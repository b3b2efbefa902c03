// kill -9 while sessions churn: the real server process (src/server.ts) serves many peers
// that start and stop sessions over HTTP; it is SIGKILLed at random moments several times and
// restarted on the same database. Clients behave like real ones: counters are cumulative per
// session and start from 0 at each `started`; a request that got no answer is sent again
// (same event, same counters); a `stopped` that got an answer is never repeated. At the end
// the database must hold exactly what the clients reported in their final `stopped` of every
// session: session-boundary replies are sent only after the flush holding them committed, so
// an answered `started` or `stopped` survives the kill (docs/accounting.md).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { openDatabase } from '../../src/db/client.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';
import { killServerProcesses, startServerProcess, type ServerProcess } from '../helpers/process.js';
import { pct, seedRelease, seedUser, userTotals, type SeededRelease, type SeededUser } from './fixtures/seed.js';

const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
const KILLS = 3;
const CLIENTS = 120;

let s = SEED || 1;
const rand = (): number => {
  s = (s * 1103515245 + 12345) % 2147483648;
  return s / 2147483648;
};
const int = (n: number): number => Math.floor(rand() * n);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Client {
  user: SeededUser;
  release: SeededRelease;
  peerId: Buffer;
  port: number;
  /** null between sessions */
  key: string | null;
  uploaded: bigint;
  downloaded: bigint;
  /** what the answered final `stopped` of every finished session reported */
  upDone: bigint;
  downDone: bigint;
}

let db: TestDatabase;
let clients: Client[] = [];
/** the server now serving, and a promise for the next one while it restarts */
let server: ServerProcess | null = null;
let nextServer: Promise<void> = Promise.resolve();
const tally = { answered: 0, retried: 0, boundaries: 0 };
/** the clients keep stepping while this holds */
let running = true;
/** the first failure of a client, or the end of the spec: every loop stops at it */
let aborted: Error | null = null;

function abort(error: unknown): void {
  aborted ??= error instanceof Error ? error : new Error(String(error));
  running = false;
}

/** A loaded machine may take long to compile and boot the server, or time a plugin out: try again. */
async function startServer(attempts = 3): Promise<void> {
  const env = { DATA_DIR: db.dataDir, DATABASE_URL: db.url, FLUSH_INTERVAL_MS: '1000', UDP_ENABLED: 'false' };
  for (let attempt = 1; ; attempt++) {
    try {
      server = await startServerProcess(env, 180_000);
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
}

/** One announce; null when it got no answer (the server died under it). */
function send(port: number, c: Client, event: string): Promise<string | null> {
  const query = `info_hash=${pct(c.release.v1!)}&peer_id=${pct(c.peerId)}&port=${c.port}&uploaded=${c.uploaded}&downloaded=${c.downloaded}&left=0&key=${c.key}${event ? `&event=${event}` : ''}&compact=1`;
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: `/announce/${c.user.passkey}?${query}`, agent: false, timeout: 15_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(res.complete ? Buffer.concat(chunks).toString('latin1') : null));
      res.on('error', () => resolve(null));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(null));
  });
}

/** As a client does: the same request again until it is answered. */
async function announce(c: Client, event: string): Promise<void> {
  for (;;) {
    if (aborted) throw aborted;
    const current = server;
    const body = current === null ? null : await send(current.port, c, event);
    if (body !== null) {
      assert.ok(!body.includes('failure reason'), body);
      tally.answered++;
      if (event !== '') tally.boundaries++;
      return;
    }
    tally.retried++;
    await nextServer;
    if (server === current) await sleep(50);
  }
}

/** One step of a client: start a session, transfer and re-announce, or stop. */
async function step(c: Client): Promise<void> {
  if (c.key === null) {
    c.key = (0x10000000 + int(0xefffffff)).toString(16).toUpperCase();
    c.uploaded = 0n;
    c.downloaded = 0n;
    return announce(c, 'started');
  }
  c.uploaded += BigInt(int(4_000_000));
  c.downloaded += BigInt(int(2_000_000));
  if (rand() >= 0.35) return announce(c, '');
  await announce(c, 'stopped');
  c.upDone += c.uploaded;
  c.downDone += c.downloaded;
  c.key = null;
}

async function killAndRestart(): Promise<void> {
  const dying = server!;
  let restarted!: () => void;
  nextServer = new Promise((resolve) => (restarted = resolve));
  dying.child.kill('SIGKILL');
  await dying.exited;
  server = null;
  await startServer();
  restarted();
}

before(async () => {
  db = await openTestDatabase();
  const users = await Promise.all(Array.from({ length: 6 }, () => seedUser(db.sql, null)));
  const releases = await Promise.all(Array.from({ length: 4 }, () => seedRelease(db.sql, null)));
  // five clients of one member per release: above the default peer cap of a member on one torrent
  await db.sql.query(
    `INSERT INTO settings (key, value) VALUES ('tracker_policy', $1::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
    [JSON.stringify({ maxPeersPerRelease: 100 })],
  );
  clients = Array.from({ length: CLIENTS }, (_, n) => ({
    user: users[n % users.length],
    release: releases[Math.floor(n / users.length) % releases.length],
    peerId: Buffer.from(`-qB4630-churn${String(n).padStart(7, '0')}`),
    port: 20_000 + n,
    key: null,
    uploaded: 0n,
    downloaded: 0n,
    upDone: 0n,
    downDone: 0n,
  }));
  // PGlite allows one process: the server owns the data directory while it runs.
  await db.close();
});

// Whatever happened (a failed assertion, a timeout), no client loop, server process or retry
// outlives the spec: the file ends instead of hanging until the runner's timeout.
after(async () => {
  abort(new Error('the spec ended'));
  await killServerProcesses();
  await db.destroy();
});

describe(`kill -9 during session churn (seed ${SEED})`, () => {
  it('loses and doubles nothing that was answered', { timeout: 600_000 }, async () => {
    await startServer();
    const workers = clients.map(async (c) => {
      await sleep(int(500));
      while (running) {
        await step(c);
        await sleep(int(40));
      }
    }).map((worker) => worker.catch(abort));
    for (let kill = 0; kill < KILLS && !aborted; kill++) {
      await sleep(400 + int(1200));
      await killAndRestart();
    }
    await sleep(500);
    running = false;
    await Promise.all(workers);
    if (aborted) throw aborted;
    await Promise.all(clients.filter((c) => c.key !== null).map(announceStop));
    server!.child.kill('SIGTERM');
    assert.equal(await server!.exited, 0);
    server = null;
    assert.ok(tally.retried > 0, 'some announces went unanswered and were retried');

    const check = openDatabase({ dataDir: db.dataDir, databaseUrl: db.url });
    try {
      for (const user of new Set(clients.map((c) => c.user))) {
        const mine = clients.filter((c) => c.user === user);
        const up = mine.reduce((sum, c) => sum + c.upDone, 0n);
        const down = mine.reduce((sum, c) => sum + c.downDone, 0n);
        const totals = await userTotals(check.sql, user.id);
        assert.deepEqual(totals, { uploaded: up, downloaded: down, uploaded_actual: up, downloaded_actual: down }, `user ${user.id} (${JSON.stringify(tally)})`);
      }
      const live = await check.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM peers WHERE active');
      assert.equal(live[0].n, 0);
    } finally {
      await check.close();
    }
  });
});

/** Ends a session still running when the load stops. */
async function announceStop(c: Client): Promise<void> {
  await announce(c, 'stopped');
  c.upDone += c.uploaded;
  c.downDone += c.downloaded;
  c.key = null;
}
