// The persistence the shared mode's exact books need (docs/scaling.md): with AOF on and
// fsync at every write, a Redis killed with SIGKILL and restarted keeps every acknowledged
// baseline and undrained delta, so the books equal what the clients reported. Twice: a single
// redis-server of our own on a spare port (the shared one is never stopped), and a 3-node
// Redis Cluster of our own whose master holding the swarm's shard is the one killed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RedisPeerStore, type SharedAnnounce, type SharedAnnounceResult } from '../../src/shared/redis-peer-store.js';
import type { RedisClient } from '../../src/shared/redis-connect.js';
import { createStreamDrainer } from '../../src/shared/stream-drainer.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';
import { connectRedis, redisAvailable, startRedisCluster, startRedisServer, uniquePrefix, type RedisCluster, type RedisServer } from '../helpers/redis.js';
import { seedRelease, seedUser, userTotals, type SeededRelease, type SeededUser } from '../tracker/fixtures/seed.js';

const available = await redisAvailable();
const AOF = ['--appendonly', 'yes', '--appendfsync', 'always'];
/** the cluster's masters: ports of this spec's own */
const CLUSTER_PORTS = [7150, 7151, 7152];

/** One Redis of the spec's own, and how to kill -9 and restart the node holding `key`. */
interface Topology {
  url: string;
  restartHolderOf(key: string): Promise<void>;
  stop(): Promise<void>;
}

async function singleRedis(): Promise<Topology> {
  const dir = mkdtempSync(path.join(tmpdir(), 'seedkeep-redis-aof-'));
  let server: RedisServer = await startRedisServer(dir, AOF);
  return {
    url: server.url,
    async restartHolderOf() {
      await server.stop();
      server = await startRedisServer(dir, AOF, server.port);
    },
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function redisCluster(): Promise<Topology> {
  const cluster: RedisCluster = await startRedisCluster({ ports: CLUSTER_PORTS, args: AOF });
  return {
    url: cluster.url,
    async restartHolderOf(key) {
      const port = await portHolding(cluster, key);
      await cluster.restart(cluster.servers.findIndex((s) => s.port === port));
    },
    stop: () => cluster.stop(),
  };
}

/** The port of the master serving `key`'s slot (CLUSTER KEYSLOT, CLUSTER SLOTS). */
async function portHolding(cluster: RedisCluster, key: string): Promise<number> {
  const client = connectRedis(cluster.servers[0].url);
  try {
    const slot = Number(await client.call('CLUSTER', 'KEYSLOT', key));
    const ranges = (await client.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
    const range = ranges.find(([from, to]) => slot >= from && slot <= to);
    assert.ok(range, `slot ${slot} is served`);
    return Number(range[2][1]);
  } finally {
    client.disconnect();
  }
}

for (const [name, open] of [['a single Redis', singleRedis], ['a Redis Cluster', redisCluster]] as const) {
  describe(`shared mode across a restart of ${name}`, { skip: available ? false : 'no redis-server on this machine' }, () => {
    let db: TestDatabase;
    let topology: Topology;
    let redis: RedisClient;
    let user: SeededUser;
    let release: SeededRelease;

    before(async () => {
      db = await openTestDatabase();
      topology = await open();
      redis = connectRedis(topology.url, () => {}); // refused while it restarts: expected
      user = await seedUser(db.sql, null);
      release = await seedRelease(db.sql, null);
    });

    after(async () => {
      redis.disconnect();
      await topology.stop();
      await db.destroy();
    });

    it('credits every byte once when Redis is killed with SIGKILL and restarted with AOF (appendfsync always)', { timeout: 120_000 }, async () => {
      const store = new RedisPeerStore(redis, { prefix: uniquePrefix(), shards: 2 });
      const before = await userTotals(db.sql, user.id);
      let now = 1_800_000_000_000;
      let uploaded = 0n;
      const announce = (event: SharedAnnounce['event']) =>
        store.announce({
          userId: user.id, releaseId: release.id, peerId: Buffer.from('-DE2110-aofaofaofaof'), event, uploaded, downloaded: 0n, left: 0n, key: 'K',
          ip: '10.0.0.9', family: 4, port: 6881, slot: 0, transport: 'udp', want: 10, listable: true, upMultiplier: 1, downMultiplier: 1,
          client: 'Deluge', now, interval: 1800, minInterval: 300, maxPeersPerRelease: 5, maxPeersPerMember: 100, downloadSlots: 0,
        });
      await announce('started');
      const drainer = createStreamDrainer({ store, sql: db.sql, consumer: 'spec', claimIdleMs: 0 });
      await drainer.prepare();
      for (let n = 1; n <= 10; n++) {
        now += 1_800_000;
        uploaded += BigInt(n) * 1_000_000n;
        await announce('');
        if (n === 4) await drainer.drainOnce(); // some drained before the crash, some pending
      }
      await topology.restartHolderOf(store.swarmKeys(release.id)[0]);
      now += 1_800_000;
      uploaded += 7_000_000n;
      // the client may not have reconnected yet: a client retries, and a repeated announce of
      // the same counters credits 0 (docs/accounting.md)
      let after: SharedAnnounceResult | null = null;
      for (let attempt = 0; attempt < 100 && after === null; attempt++) {
        after = await announce('').catch(() => null);
        if (after === null) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(after?.seeders, 1, 'the swarm survived the restart');
      await drainer.drainOnce();
      const totals = await userTotals(db.sql, user.id);
      assert.equal(totals.uploaded - before.uploaded, uploaded, '0 bytes lost, 0 doubled');
    });
  });
}
