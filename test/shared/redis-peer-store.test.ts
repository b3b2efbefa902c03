// The shared mode's peer store (src/shared/redis-peer-store.ts): each announce is one script in
// Redis that updates the peer, computes its delta under the memory core's rules
// (docs/accounting.md), picks the reply's peers and appends the delta to the shard's stream.
// Run against the shared Redis (under a prefix of its own) and a 3-node Redis Cluster started here.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compactIPv6 } from '../../src/tracker/core/address.js';
import { RedisPeerStore, type SharedAnnounce } from '../../src/shared/redis-peer-store.js';
import type { RedisClient } from '../../src/shared/redis-connect.js';
import { fieldsOf } from '../../src/shared/stream-batch.js';
import { connectRedis, deleteKeys, redisAvailable, SINGLE_REDIS_URL, startRedisCluster, uniquePrefix, type RedisCluster } from '../helpers/redis.js';

const available = await redisAvailable();
const MIN = 60_000;

function peerId(n: number): Buffer {
  return Buffer.from(`-qB4650-${String(n).padStart(12, '0')}`);
}

let clock = 1_800_000_000_000;

function req(over: Partial<SharedAnnounce> = {}): SharedAnnounce {
  return {
    userId: 1, releaseId: 7, peerId: peerId(1), event: '', uploaded: 0n, downloaded: 0n, left: 1000n, key: 'aa',
    ip: '10.0.0.1', family: 4, port: 6881, slot: 0, transport: 'http', want: 50, listable: true, upMultiplier: 1,
    downMultiplier: 1, client: 'qBittorrent', now: clock, interval: 1800, minInterval: 300, maxPeersPerRelease: 3, maxPeersPerMember: 10_000, downloadSlots: 0, ...over,
  };
}

interface Entry {
  up: bigint;
  down: bigint;
  fields: Record<string, string>;
}

async function entries(store: RedisPeerStore, releaseId = 7): Promise<Entry[]> {
  const raw = await store.redis.xrange(store.streamKey(store.shardOf(releaseId)), '-', '+');
  return raw.map(([, list]) => {
    const fields = fieldsOf(list);
    return { up: BigInt(fields.up), down: BigInt(fields.dn), fields };
  });
}

async function credited(store: RedisPeerStore, releaseId = 7): Promise<{ up: bigint; down: bigint }> {
  let up = 0n;
  let down = 0n;
  for (const e of await entries(store, releaseId)) {
    up += e.up;
    down += e.down;
  }
  return { up, down };
}

function addresses(compact: Buffer): string[] {
  const out: string[] = [];
  for (let i = 0; i < compact.length; i += 6) out.push(`${compact.subarray(i, i + 4).join('.')}:${compact.readUInt16BE(i + 4)}`);
  return out.sort();
}

for (const topology of ['single Redis', 'Redis Cluster'] as const) {
  describe(`shared peer store on a ${topology}`, { skip: available ? false : 'no Redis on this machine' }, () => {
    let cluster: RedisCluster | null = null;
    let redis: RedisClient;
    let prefix: string;
    let store: RedisPeerStore;
    const fresh = async (): Promise<RedisPeerStore> => {
      await deleteKeys(redis, prefix);
      prefix = uniquePrefix();
      store = new RedisPeerStore(redis, { prefix, shards: 16 });
      return store;
    };

    before(async () => {
      if (topology === 'Redis Cluster') cluster = await startRedisCluster();
      redis = connectRedis(cluster?.url ?? SINGLE_REDIS_URL);
      prefix = uniquePrefix();
    });

    after(async () => {
      await deleteKeys(redis, prefix);
      await redis.quit();
      await cluster?.stop();
    });

    it('credits 0 on a new peer, then the delta since its baseline', async () => {
      const s = await fresh();
      const first = await s.announce(req({ event: 'started', uploaded: 500n, downloaded: 700n }));
      assert.equal(first.boundary, true);
      assert.equal(first.leechers, 1);
      await s.announce(req({ uploaded: 600n, downloaded: 900n, now: (clock += 30 * MIN) }));
      await s.announce(req({ uploaded: 650n, downloaded: 1000n, now: (clock += 30 * MIN) }));
      assert.deepEqual(await credited(s), { up: 150n, down: 300n });
    });

    it('treats a counter decrease from a client without a key as a new session', async () => {
      const s = await fresh();
      await s.announce(req({ key: null, event: 'started' }));
      await s.announce(req({ key: null, uploaded: 1000n, downloaded: 10n, now: (clock += 30 * MIN) }));
      const reset = await s.announce(req({ key: null, uploaded: 40n, downloaded: 20n, now: (clock += 30 * MIN) }));
      assert.equal(reset.boundary, true);
      await s.announce(req({ key: null, uploaded: 100n, downloaded: 30n, now: (clock += 30 * MIN) }));
      assert.deepEqual(await credited(s), { up: 1060n, down: 20n });
    });

    it('credits a started of the same instance on another tier, not one from another key', async () => {
      const s = await fresh();
      await s.announce(req({ event: 'started' }));
      await s.announce(req({ event: 'started', transport: 'udp', uploaded: 100n, now: (clock += MIN) }));
      await s.announce(req({ event: 'started', key: 'bb', uploaded: 150n, now: (clock += MIN) }));
      assert.deepEqual(await credited(s), { up: 100n, down: 0n });
    });

    it('credits a stale report of the same instance nothing and keeps its baseline', async () => {
      const s = await fresh();
      await s.announce(req({ event: 'started' }));
      await s.announce(req({ uploaded: 300n, now: (clock += 30 * MIN) }));
      await s.announce(req({ uploaded: 200n, transport: 'udp', now: (clock += MIN) }));
      await s.announce(req({ uploaded: 350n, now: (clock += 30 * MIN) }));
      assert.deepEqual(await credited(s), { up: 350n, down: 0n });
    });

    it('computes deltas exactly above 2^53', async () => {
      const s = await fresh();
      const base = 2n ** 62n + 12_345n;
      await s.announce(req({ event: 'started', uploaded: base }));
      await s.announce(req({ uploaded: base + 2n ** 53n + 1n, now: (clock += 30 * MIN) }));
      assert.deepEqual(await credited(s), { up: 2n ** 53n + 1n, down: 0n });
    });

    it('computes deltas exactly on both sides of 10^15, where the arithmetic moves from doubles to digits', async () => {
      const s = await fresh();
      const below = 10n ** 15n - 7n;
      await s.announce(req({ event: 'started', uploaded: below - 2n ** 40n, downloaded: 3n }));
      await s.announce(req({ uploaded: below, downloaded: 10n ** 15n + 5n, now: (clock += 30 * MIN) }));
      assert.deepEqual(await credited(s), { up: 2n ** 40n, down: 10n ** 15n + 2n });
    });

    it('reads a peer record of the earlier layout (one msgpack map): its baseline, its listing and its address', async () => {
      const s = await fresh();
      const [records, , leechers] = s.swarmKeys(7);
      const field = `1:${peerId(1).toString('hex')}`;
      const compact = Buffer.from([10, 0, 0, 1, 0x1a, 0xe1]);
      await s.redis.eval(
        `redis.call('HSET', KEYS[1], ARGV[1], cmsgpack.pack({ ul = '1000', dl = '500', lf = '1000', k = 'kaa', sd = 0, ac = 1,
          ls = tonumber(ARGV[2]), a4 = ARGV[3], a6 = '', h = 1, t = { http41 = tonumber(ARGV[2]) }, cl = 'qBittorrent', po = '6881', i4 = '10.0.0.1' }))
         redis.call('HSET', KEYS[1], '#l', 1, '#u:1', 1)
         redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])`,
        2, records, leechers, field, String(clock), compact,
      );
      const other = await s.announce(req({ peerId: peerId(2), userId: 2, ip: '10.0.0.2', event: 'started' }));
      assert.deepEqual(addresses(other.compact4), ['10.0.0.1:6881']);
      const back = await s.announce(req({ uploaded: 1300n, downloaded: 600n, now: (clock += 30 * MIN) }));
      assert.deepEqual([back.seeders, back.leechers, addresses(back.compact4)], [0, 2, ['10.0.0.2:6881']]);
      assert.deepEqual(await credited(s), { up: 300n, down: 100n });
    });

    it('records the traffic rule, the seed time and the snatch with the delta', async () => {
      const s = await fresh();
      await s.announce(req({ event: 'started', upMultiplier: 2, downMultiplier: 0 }));
      await s.announce(req({ event: 'completed', left: 0n, uploaded: 10n, now: (clock += 10 * MIN), upMultiplier: 2, downMultiplier: 0 }));
      await s.announce(req({ left: 0n, uploaded: 20n, now: (clock += 30 * MIN) }));
      const [, done, seeding] = await entries(s);
      assert.deepEqual([done.fields.sn, done.fields.mu, done.fields.md, done.fields.st], ['1', '2', '0', '0']);
      assert.deepEqual([seeding.fields.sn, seeding.fields.st, seeding.fields.sd], ['0', String(30 * 60), '1']);
    });

    it('gives seeders leechers only, leechers both, and never the requester itself', async () => {
      const s = await fresh();
      await s.announce(req({ peerId: peerId(1), userId: 1, ip: '10.0.0.1', left: 0n }));
      await s.announce(req({ peerId: peerId(2), userId: 2, ip: '10.0.0.2' }));
      await s.announce(req({ peerId: peerId(3), userId: 3, ip: '10.0.0.3' }));
      const seeder = await s.announce(req({ peerId: peerId(1), userId: 1, ip: '10.0.0.1', left: 0n, event: 'started', now: (clock += MIN) }));
      assert.deepEqual(addresses(seeder.compact4), ['10.0.0.2:6881', '10.0.0.3:6881']);
      const leecher = await s.announce(req({ peerId: peerId(2), userId: 2, ip: '10.0.0.2', event: 'started', now: (clock += MIN) }));
      assert.deepEqual(addresses(leecher.compact4), ['10.0.0.1:6881', '10.0.0.3:6881']);
      assert.deepEqual([leecher.seeders, leecher.leechers], [1, 2]);
    });

    it('gives IPv6 peers, a peer known on both families in both, and only the family asked for', async () => {
      const s = await fresh();
      const v6 = (ip: string): string => Buffer.from(compactIPv6(ip, 6881)!, 'latin1').toString('hex');
      await s.announce(req({ peerId: peerId(1), userId: 1, ip: '10.0.0.1' }));
      await s.announce(req({ peerId: peerId(1), userId: 1, ip: '2001:db8::1', family: 6, transport: 'udp', now: (clock += MIN) }));
      await s.announce(req({ peerId: peerId(2), userId: 2, ip: '2001:db8::2', family: 6 }));
      const both = await s.announce(req({ peerId: peerId(3), userId: 3, ip: '10.0.0.3', now: (clock += MIN) }));
      assert.deepEqual([both.leechers, addresses(both.compact4)], [3, ['10.0.0.1:6881']]);
      const sixes = (b: Buffer): string[] => Array.from({ length: b.length / 18 }, (_, i) => b.toString('hex', i * 18, i * 18 + 18)).sort();
      assert.deepEqual(sixes(both.compact6), [v6('2001:db8::1'), v6('2001:db8::2')].sort());
      const onlySix = await s.announce(req({ peerId: peerId(3), userId: 3, ip: '10.0.0.3', peerFamily: 6, now: (clock += 30 * MIN) }));
      assert.deepEqual([onlySix.compact4.length, sixes(onlySix.compact6)], [0, [v6('2001:db8::1'), v6('2001:db8::2')].sort()]);
      const onlyFour = await s.announce(req({ peerId: peerId(3), userId: 3, ip: '10.0.0.3', peerFamily: 4, now: (clock += 30 * MIN) }));
      assert.deepEqual([addresses(onlyFour.compact4), onlyFour.compact6.length], [['10.0.0.1:6881'], 0]);
    });

    it('lists a peer under its new address when it changes, and no longer under the old one', async () => {
      const s = await fresh();
      await s.announce(req({ peerId: peerId(1), userId: 1, ip: '10.0.0.1' }));
      await s.announce(req({ peerId: peerId(1), userId: 1, ip: '10.0.0.9', now: (clock += 30 * MIN) }));
      const other = await s.announce(req({ peerId: peerId(2), userId: 2, ip: '10.0.0.2', now: clock }));
      assert.deepEqual([other.leechers, addresses(other.compact4)], [2, ['10.0.0.9:6881']]);
    });

    it('takes a stopped peer out of the swarm and its counts', async () => {
      const s = await fresh();
      await s.announce(req({ peerId: peerId(1), userId: 1 }));
      await s.announce(req({ peerId: peerId(2), userId: 2, left: 0n }));
      const stopped = await s.announce(req({ peerId: peerId(1), userId: 1, event: 'stopped', uploaded: 5n, now: (clock += MIN) }));
      assert.deepEqual([stopped.seeders, stopped.leechers, stopped.compact4.length], [1, 0, 0]);
      const other = await s.announce(req({ peerId: peerId(3), userId: 3, now: (clock += MIN) }));
      assert.deepEqual(addresses(other.compact4), ['10.0.0.1:6881']);
      assert.deepEqual(await credited(s), { up: 5n, down: 0n });
    });

    it('credits a member without download right but does not list the peer', async () => {
      const s = await fresh();
      await s.announce(req({ event: 'started', listable: false }));
      const refused = await s.announce(req({ uploaded: 70n, listable: false, now: (clock += 30 * MIN) }));
      assert.equal(refused.refused, 'leech');
      assert.equal(refused.leechers, 0);
      assert.deepEqual(await credited(s), { up: 70n, down: 0n });
    });

    it('refuses a peer past the per-release cap before any accounting', async () => {
      const s = await fresh();
      for (let n = 1; n <= 3; n++) await s.announce(req({ peerId: peerId(n) }));
      const fourth = await s.announce(req({ peerId: peerId(4) }));
      assert.equal(fourth.refused, 'peer-cap');
      assert.equal((await entries(s)).length, 3);
    });

    it('refuses a member\'s peer past the per-member cap across swarms, before any accounting', async () => {
      const s = await fresh();
      const capped = (over: Partial<SharedAnnounce>) => s.announce(req({ maxPeersPerMember: 3, ...over }));
      // releases 1-4 sit in four shards: on the cluster, on more than one master
      for (let release = 1; release <= 3; release++) assert.equal((await capped({ releaseId: release, event: 'started' })).refused, null);
      const fourth = await capped({ releaseId: 4, event: 'started' });
      assert.equal(fourth.refused, 'member-cap');
      assert.equal((await entries(s, 4)).length, 0, 'nothing recorded for the refused peer');
      assert.equal((await capped({ releaseId: 4, event: 'stopped' })).refused, null, 'a stopped is never refused');
      assert.equal((await capped({ releaseId: 1, uploaded: 10n, now: clock + 30 * MIN })).refused, null, 'a peer already in its swarm passes');
      assert.equal((await capped({ releaseId: 2, userId: 2 })).refused, null, 'another member\'s count is its own');
      await capped({ releaseId: 1, event: 'stopped', now: clock + 31 * MIN });
      assert.equal((await capped({ releaseId: 4, now: clock + 32 * MIN })).refused, null, 'a stopped peer frees its place');
      assert.equal((await capped({ releaseId: 5, now: clock + 33 * MIN })).refused, 'member-cap');
      // silent past the expiry cut-off (1.5 intervals + 120 s): its place is free, as in its swarm
      assert.equal((await capped({ releaseId: 5, now: (clock += 90 * MIN) })).refused, null);
    });

    it('refuses leeching one more release than the download slots allow, across swarms, and frees a slot on completion or stop', async () => {
      const s = await fresh();
      const slotted = (over: Partial<SharedAnnounce>) => s.announce(req({ downloadSlots: 2, ...over }));
      for (const release of [1, 2]) assert.equal((await slotted({ releaseId: release, event: 'started' })).refused, null);
      assert.equal((await slotted({ releaseId: 3, event: 'started' })).refused, 'slots');
      assert.equal((await entries(s, 3)).length, 0, 'nothing recorded for the refused leech');
      assert.equal((await slotted({ releaseId: 2, peerId: peerId(2), event: 'started' })).refused, null, 'a release already leeched keeps its slot');
      assert.equal((await slotted({ releaseId: 3, left: 0n, event: 'started' })).refused, null, 'seeding is never limited');
      await slotted({ releaseId: 1, left: 0n, event: 'completed', now: clock + MIN });
      assert.equal((await slotted({ releaseId: 4, peerId: peerId(4), event: 'started', now: clock + 2 * MIN })).refused, null, 'a completed release frees its slot');
      await slotted({ releaseId: 4, peerId: peerId(4), event: 'stopped', now: clock + 3 * MIN });
      assert.equal((await slotted({ releaseId: 5, peerId: peerId(5), event: 'started', now: clock + 4 * MIN })).refused, null, 'a stopped one too');
      assert.equal((await slotted({ releaseId: 6, peerId: peerId(6), event: 'started', now: clock + 5 * MIN })).refused, 'slots');
    });

    it('answers a re-announce with one script (its member entry re-scored beside it), a joining peer with three', async (t) => {
      if (cluster === null) return t.skip('counted on the spec\'s own cluster: the shared Redis counts other clients\' scripts too');
      const s = await fresh();
      await s.announce(req({ event: 'started' })); // loads the scripts on the nodes involved
      let calls = await scriptCalls(cluster);
      await s.announce(req({ uploaded: 5n, now: (clock += 30 * MIN) }));
      assert.equal((await scriptCalls(cluster)) - calls, 1, 'the announce script alone');
      calls = await scriptCalls(cluster);
      await s.announce(req({ peerId: peerId(2), event: 'started' }));
      assert.equal((await scriptCalls(cluster)) - calls, 3, 'announce (sent back), join, announce');
    });

    it('answers inside the min interval without peers, per tier', async () => {
      const s = await fresh();
      await s.announce(req({ peerId: peerId(2), userId: 2, ip: '10.0.0.2' }));
      await s.announce(req({ event: 'started' }));
      const early = await s.announce(req({ uploaded: 5n, now: clock + MIN }));
      assert.equal(early.early, true);
      assert.equal(early.compact4.length, 0);
      const otherTier = await s.announce(req({ transport: 'udp', uploaded: 5n, now: clock + MIN }));
      assert.equal(otherTier.early, false);
      assert.deepEqual(await credited(s), { up: 5n, down: 0n });
    });

    it('drops a peer silent past the cut-off from its swarm and counts, keeping its baseline', async () => {
      const s = await fresh();
      const start = clock;
      await s.announce(req({ peerId: peerId(1), userId: 1, event: 'started', uploaded: 100n, now: start }));
      await s.announce(req({ peerId: peerId(2), userId: 2, left: 0n, now: start }));
      await s.announce(req({ peerId: peerId(2), userId: 2, left: 0n, now: start + 50 * MIN }));
      assert.equal(await s.sweepShard(s.shardOf(7), start + 10 * MIN), 1);
      assert.deepEqual(await s.counts(7), { seeders: 1, leechers: 0 });
      const expired = (await entries(s)).at(-1)!;
      assert.deepEqual([expired.fields.ac, expired.fields.f, expired.up], ['0', `1:${peerId(1).toString('hex')}`, 0n]);
      const back = await s.announce(req({ peerId: peerId(1), userId: 1, uploaded: 160n, now: (clock = start + 60 * MIN) }));
      assert.deepEqual([back.seeders, back.leechers], [1, 1]);
      assert.deepEqual(await credited(s), { up: 60n, down: 0n });
      assert.equal(await s.sweepShard(s.shardOf(7), start + 10 * MIN), 0);
    });

    it('keeps the counts exact under concurrent announces to many swarms', async () => {
      const s = await fresh();
      const announces = [];
      for (let release = 1; release <= 20; release++) {
        for (let n = 1; n <= 10; n++) {
          announces.push(s.announce(req({ releaseId: release, userId: n, peerId: peerId(n), left: n <= 3 ? 0n : 100n, maxPeersPerRelease: 100 })));
        }
      }
      await Promise.all(announces);
      for (let release = 1; release <= 20; release++) assert.deepEqual(await s.counts(release), { seeders: 3, leechers: 7 });
    });

    it('keeps every key of a swarm, and its shard stream, in one slot', async (t) => {
      if (cluster === null) return t.skip('slots exist on a Redis Cluster only');
      const s = await fresh();
      const slots = new Set<unknown>();
      for (const key of s.swarmKeys(12345)) slots.add(await s.redis.call('CLUSTER', 'KEYSLOT', key));
      assert.equal(slots.size, 1);
    });
  });
}

/** Scripts run by the cluster's masters so far (EVALSHA that found its script, and EVAL). */
async function scriptCalls(cluster: RedisCluster): Promise<number> {
  let total = 0;
  for (const server of cluster.servers) {
    const client = connectRedis(server.url);
    const stats = await client.info('commandstats');
    client.disconnect();
    for (const name of ['evalsha', 'eval']) {
      const line = new RegExp(`cmdstat_${name}:calls=(\\d+),.*failed_calls=(\\d+)`).exec(stats);
      if (line) total += Number(line[1]) - Number(line[2]);
    }
  }
  return total;
}
