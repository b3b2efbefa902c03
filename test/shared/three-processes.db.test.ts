// Three tracker processes (real `src/server.ts` children, WORKERS=1 each) on one Redis and one
// PostgreSQL database, as behind a load balancer (docs/scaling.md): clients announce to any of
// them. All of it twice: on a single Redis, and on a 3-node Redis Cluster the spec starts
// (`REDIS_URL=redis+cluster://…`), where a swarm's shard, the member's own keys and the
// streams sit on different masters; the cluster run is leaner (fewer peers and rounds). A peer added through one is returned by another; a UDP connection id given by one
// validates at another; a passkey reset made in the database
// and announced with CATALOG_NOTIFY reaches all three; one process is killed with SIGKILL
// mid-load, and the books then hold exactly what the clients' answered announces say: 0 bytes
// lost, 0 doubled. The policy job, started in all three at the same moment, runs in one (the
// advisory lock, src/db/advisory-lock.ts) while the other two skip the round. PGlite is one process's database: PostgreSQL only.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { hashToken, SESSION_COOKIE } from '../../src/web/session.js';
import type { ServerProcess } from '../helpers/process.js';
import { openTestDatabase, usingPostgres, type TestDatabase } from '../helpers/db.js';
import { connectRedis, redisAvailable, SINGLE_REDIS_URL, startRedisCluster, uniquePrefix, type RedisCluster } from '../helpers/redis.js';
import { seedRelease, seedUser, userTotals, type SeededRelease, type SeededUser } from '../tracker/fixtures/seed.js';
import { announcePacket, errorText, passkeyOption, UdpTestClient } from '../tracker/udp-client.js';
import { announceTo, failureOf, peerPorts, siteEnv, startTracker, stopSite, type Announce } from './fixtures/fleet.js';

const available = usingPostgres() && (await redisAvailable());
const skip = !usingPostgres() ? 'PGlite belongs to one process: run under TEST_DATABASE_URL' : available ? false : 'no Redis on this machine';

interface Topology {
  name: 'a single Redis' | 'a Redis Cluster';
  ports: number[];
  udpPorts: number[];
  /** the cluster's masters; none: the shared single Redis */
  clusterPorts?: number[];
  /** the SIGKILL spec's load: peers per member, rounds, and the round the kill lands in */
  peersPerMember: number;
  rounds: number;
  killRound: number;
}

const TOPOLOGIES: Topology[] = [
  { name: 'a single Redis', ports: [7100, 7101, 7102], udpPorts: [7110, 7111, 7112], peersPerMember: 3, rounds: 12, killRound: 5 },
  { name: 'a Redis Cluster', ports: [7120, 7121, 7122], udpPorts: [7130, 7131, 7132], clusterPorts: [7140, 7141, 7142], peersPerMember: 2, rounds: 7, killRound: 3 },
];

interface Client extends Announce {
  userId: number;
  /** the counters of the last announce that got an answer */
  answered: { uploaded: bigint; downloaded: bigint } | null;
}

for (const topology of TOPOLOGIES) {
  describe(`three tracker processes sharing ${topology.name} and PostgreSQL`, { skip, timeout: 600_000 }, () => {
    const { ports: PORTS, udpPorts: UDP_PORTS } = topology;
    const prefix = uniquePrefix();
    let cluster: RedisCluster | undefined;
    let redisUrl = SINGLE_REDIS_URL;
    let db: TestDatabase;
    let users: SeededUser[];
    let release: SeededRelease;
    let trackers: ServerProcess[];
    const start = new Map<number, { up: bigint; down: bigint }>();

    before(async () => {
      db = await openTestDatabase();
      users = [];
      for (let i = 0; i < 4; i++) users.push(await seedUser(db.sql, null));
      release = await seedRelease(db.sql, null);
      for (const user of users) {
        const totals = await userTotals(db.sql, user.id);
        start.set(user.id, { up: totals.uploaded_actual, down: totals.downloaded_actual });
      }
      if (topology.clusterPorts) {
        cluster = await startRedisCluster({ ports: topology.clusterPorts });
        redisUrl = cluster.url;
      }
      const env = siteEnv(db.url, prefix, redisUrl);
      trackers = await Promise.all(PORTS.map((port, i) => startTracker(env, port, UDP_PORTS[i])));
    });

    after(() => stopSite(prefix, db, cluster));

    const client = (user: SeededUser, n: number): Client => ({
      userId: user.id,
      passkey: user.passkey,
      infoHash: release.v1!,
      peerId: `-qB4650-${user.id}-${n}-`,
      port: 20_000 + user.id * 10 + n,
      uploaded: 0n,
      downloaded: 0n,
      left: 1_000_000n,
      key: randomBytes(4).toString('hex'),
      answered: null,
    });

    it('returns a peer announced through one process to a client of another', async () => {
      const seeder = { ...client(users[0], 0), left: 0n, event: 'started' as const };
      assert.equal(failureOf(await announceTo(PORTS[0], seeder)), null);
      const leecher = { ...client(users[1], 0), event: 'started' as const };
      const reply = await announceTo(PORTS[1], leecher);
      assert.deepEqual(peerPorts(reply), [seeder.port]);
      const third = await announceTo(PORTS[2], { ...client(users[2], 0), event: 'started' });
      assert.deepEqual(peerPorts(third), [leecher.port, seeder.port].sort((x, y) => x - y));
      assert.deepEqual([third?.complete, third?.incomplete], [1, 2]);
      for (const c of [seeder, leecher, { ...client(users[2], 0) }]) await announceTo(PORTS[0], { ...c, event: 'stopped' });
    });

    it('accepts a UDP connection id one process gave at another (TRACKER_SECRET keys them)', async () => {
      const first = await UdpTestClient.open({ host: '127.0.0.1', port: UDP_PORTS[0] });
      const second = await UdpTestClient.open({ host: '127.0.0.1', port: UDP_PORTS[1] });
      try {
        const connectionId = await first.connect();
        const reply = await second.request(announcePacket({ connectionId, infoHash: release.v1!, event: 3, options: passkeyOption(users[0].passkey) }), 10_000);
        assert.equal(errorText(reply), null);
        assert.equal(reply?.readUInt32BE(0), 1, 'an announce reply');
      } finally {
        await first.close();
        await second.close();
      }
    });

    it('sees a passkey reset in every process', async () => {
      const user = users[3];
      const fresh = randomBytes(16).toString('hex');
      await db.sql.query('UPDATE users SET passkey = $1 WHERE id = $2', [fresh, user.id]);
      // what the web side's catalog sync sends (src/shared/catalog-notify.ts)
      await db.sql.query('SELECT pg_notify($1, $2)', ['seedkeep_catalog', `5bec0000:member:${user.id}`]);
      for (const port of PORTS) {
        const probe = { ...client(user, 9), passkey: fresh };
        let failure: string | null = 'not tried';
        for (let attempt = 0; attempt < 100 && failure !== null; attempt++) {
          failure = failureOf(await announceTo(port, { ...probe, event: 'stopped' }));
          if (failure !== null) await new Promise((resolve) => setTimeout(resolve, 100));
        }
        assert.equal(failure, null, `the new passkey works on :${port}`);
        assert.match(failureOf(await announceTo(port, { ...probe, passkey: user.passkey, event: 'stopped' })) ?? '', /Invalid passkey/, `the old one is refused on :${port}`);
      }
      user.passkey = fresh;
    });

    it('runs the policy job in one process when all three start it at the same moment', async () => {
      const admin = await seedUser(db.sql, null);
      await db.sql.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [admin.id]);
      const token = randomBytes(32).toString('base64url');
      await db.sql.query(`INSERT INTO sessions (id, user_id, expires_at) VALUES ($1, $2, now() + interval '1 day')`, [hashToken(token), admin.id]);
      const forms = await Promise.all(PORTS.map((port) => adminForm(port, `${SESSION_COOKIE}=${token}`)));
      // the job's last step waits on this lock: the run that took the advisory lock is still under
      // way when the other two try, whatever the scheduling of three processes on a busy machine
      const holder = await db.sql.transaction(async (tx) => {
        await tx.query('LOCK TABLE site_stats_daily IN EXCLUSIVE MODE');
        const runs = PORTS.map((port, i) => runJobAt(port, forms[i]));
        const early = await firstSettled(runs, 2);
        return { runs, early };
      });
      const outcomes = await Promise.all(holder.runs);
      assert.deepEqual(holder.early.sort(), ['elsewhere', 'elsewhere'], 'two skipped while the third held the lock');
      assert.deepEqual(outcomes.filter((o) => o === 'ran').length, 1, `one run: ${outcomes.join(', ')}`);
    });

    it('keeps exact books when one process is killed with SIGKILL mid-load', async () => {
      const clients = users.flatMap((user) => Array.from({ length: topology.peersPerMember }, (_, n) => client(user, n + 1)));
      let alive = [0, 1, 2];
      const killed = trackers[2];
      const { rounds, killRound } = topology;
      for (let round = 0; round < rounds; round++) {
        if (round === killRound) {
          // mid-round: some of this round's announces are in flight to it
          setTimeout(() => killed.child.kill('SIGKILL'), 5);
        }
        await Promise.all(
          clients.map(async (c) => {
            // a new peer's first counters are its baseline (docs/accounting.md): start from 0
            if (round > 0) {
              c.uploaded += BigInt(1 + Math.floor(Math.random() * 100_000));
              c.downloaded += BigInt(Math.floor(Math.random() * 50_000));
            }
            const target = alive[Math.floor(Math.random() * alive.length)];
            const reply = await announceTo(PORTS[target], { ...c, event: round === 0 ? 'started' : undefined });
            if (reply !== null && failureOf(reply) === null) c.answered = { uploaded: c.uploaded, downloaded: c.downloaded };
          }),
        );
        if (round === killRound) {
          await killed.exited;
          alive = [0, 1];
        }
      }
      // each client's last word, to a live process: what its books must hold
      for (const c of clients) {
        const reply = await announceTo(PORTS[c.userId % 2], c);
        assert.equal(failureOf(reply), null);
        assert.notEqual(reply, null);
        c.answered = { uploaded: c.uploaded, downloaded: c.downloaded };
      }
      const expected = new Map<number, { up: bigint; down: bigint }>();
      for (const c of clients) {
        const e = expected.get(c.userId) ?? { up: 0n, down: 0n };
        expected.set(c.userId, { up: e.up + c.answered!.uploaded, down: e.down + c.answered!.downloaded });
      }
      // the killed process's pending entries are taken over by another once idle (30 s)
      let books = new Map<number, { up: bigint; down: bigint }>();
      for (let waited = 0; waited < 180_000; waited += 1000) {
        books = await booksOf(expected.keys());
        if ([...expected].every(([id, e]) => books.get(id)!.up === e.up && books.get(id)!.down === e.down)) break;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      if ([...expected].some(([id, e]) => books.get(id)!.up !== e.up)) await diagnose();
      for (const [id, e] of expected) assert.deepEqual(books.get(id), e, `member ${id}: 0 bytes lost, 0 doubled`);
      // and nothing drained twice: every credited entry id once
      const dupes = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM (SELECT stream, entry_id FROM ledger_stream_entries GROUP BY 1, 2 HAVING count(*) > 1) d');
      assert.equal(dupes[0].n, 0);
    });

    /** The admin dashboard's cookies and the CSRF token of its run-job form, from one process. */
    async function adminForm(port: number, session: string): Promise<{ cookie: string; csrf: string }> {
      const page = await fetch(`http://127.0.0.1:${port}/admin`, { headers: { cookie: session } });
      const set = page.headers.getSetCookie().map((c) => c.split(';')[0]);
      const csrf = /action="\/admin\/run-job"[^]*?name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
      assert.ok(csrf, `a run-job form on :${port} (${page.status})`);
      return { cookie: [session, ...set].join('; '), csrf };
    }

    /** POSTs the dashboard's "run the policy job" on one process: what its flash says happened. */
    async function runJobAt(port: number, form: { cookie: string; csrf: string }): Promise<'ran' | 'elsewhere' | string> {
      const response = await fetch(`http://127.0.0.1:${port}/admin/run-job`, {
        method: 'POST', redirect: 'manual', body: new URLSearchParams({ _csrf: form.csrf }).toString(),
        headers: { cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded', origin: `http://127.0.0.1:${port}` },
      });
      const flash = decodeURIComponent(response.headers.getSetCookie().join(' '));
      return /another tracker process/.test(flash) ? 'elsewhere' : /Policy job ran/.test(flash) ? 'ran' : `${response.status} ${flash}`;
    }

    /** The outcomes of the first n promises to settle, in the order they did. */
    function firstSettled<T>(promises: Promise<T>[], n: number): Promise<T[]> {
      const done: T[] = [];
      return new Promise((resolve, reject) => {
        for (const p of promises) p.then((value) => (done.push(value) === n ? resolve([...done]) : undefined), reject);
      });
    }

    async function diagnose(): Promise<void> {
      const redis = connectRedis(redisUrl);
      for (let shard = 0; shard < 4; shard++) {
        const key = `{${prefix}:${shard}}:x`;
        console.log(key, await redis.xlen(key), JSON.stringify(await redis.xpending(key, 'seedkeep')));
      }
      redis.disconnect();
      for (const t of trackers) console.log(t.output().split('\n').filter((line) => /"level":(40|50|60)/.test(line)).slice(0, 10).join('\n'));
    }

    async function booksOf(ids: Iterable<number>): Promise<Map<number, { up: bigint; down: bigint }>> {
      const out = new Map<number, { up: bigint; down: bigint }>();
      for (const id of ids) {
        const totals = await userTotals(db.sql, id);
        const base = start.get(id)!;
        out.set(id, { up: totals.uploaded_actual - base.up, down: totals.downloaded_actual - base.down });
      }
      return out;
    }
  });
}
