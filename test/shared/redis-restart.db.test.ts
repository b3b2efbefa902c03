// The persistence the shared mode's exact books need (docs/scaling.md): with AOF on and
// fsync at every write, a Redis killed with SIGKILL and restarted keeps every acknowledged
// baseline and undrained delta, so the books equal what the clients reported. Redis here is
// our own redis-server on a spare port (the shared one is never stopped).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RedisPeerStore, type SharedAnnounce } from '../../src/shared/redis-peer-store.js';
import type { RedisClient } from '../../src/shared/redis-connect.js';
import { createStreamDrainer } from '../../src/shared/stream-drainer.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';
import { connectRedis, redisAvailable, startRedisServer, uniquePrefix, type RedisServer } from '../helpers/redis.js';
import { seedRelease, seedUser, userTotals, type SeededRelease, type SeededUser } from '../tracker/fixtures/seed.js';

const available = await redisAvailable();
const AOF = ['--appendonly', 'yes', '--appendfsync', 'always'];

describe('shared mode across a Redis restart', { skip: available ? false : 'no redis-server on this machine' }, () => {
  let db: TestDatabase;
  let dir: string;
  let server: RedisServer;
  let redis: RedisClient;
  let user: SeededUser;
  let release: SeededRelease;

  before(async () => {
    db = await openTestDatabase();
    dir = mkdtempSync(path.join(tmpdir(), 'seedkeep-redis-aof-'));
    server = await startRedisServer(dir, AOF);
    redis = connectRedis(server.url, () => {}); // refused while it restarts: expected
    user = await seedUser(db.sql, null);
    release = await seedRelease(db.sql, null);
  });

  after(async () => {
    redis.disconnect();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
    await db.destroy();
  });

  it('credits every byte once when Redis is killed with SIGKILL and restarted with AOF (appendfsync always)', async () => {
    const store = new RedisPeerStore(redis, { prefix: uniquePrefix(), shards: 2 });
    const before = await userTotals(db.sql, user.id);
    let now = 1_800_000_000_000;
    let uploaded = 0n;
    const announce = (event: SharedAnnounce['event']) =>
      store.announce({
        userId: user.id, releaseId: release.id, peerId: Buffer.from('-DE2110-aofaofaofaof'), event, uploaded, downloaded: 0n, left: 0n, key: 'K',
        ip: '10.0.0.9', family: 4, port: 6881, slot: 0, transport: 'udp', want: 10, listable: true, upMultiplier: 1, downMultiplier: 1,
        client: 'Deluge', now, interval: 1800, minInterval: 300, maxPeersPerRelease: 5,
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
    await server.stop();
    server = await startRedisServer(dir, AOF, server.port);
    for (let attempt = 0; attempt < 100 && redis.status !== 'ready'; attempt++) await new Promise((r) => setTimeout(r, 50));
    now += 1_800_000;
    uploaded += 7_000_000n;
    const after = await announce('');
    assert.equal(after.seeders, 1, 'the swarm survived the restart');
    await drainer.drainOnce();
    const totals = await userTotals(db.sql, user.id);
    assert.equal(totals.uploaded - before.uploaded, uploaded, '0 bytes lost, 0 doubled');
  });
});
