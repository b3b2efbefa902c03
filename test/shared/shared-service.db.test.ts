// REDIS_URL wires the shared mode into the app (src/shared/shared-service.ts): announces go
// through the Redis peer store, the stream drainer credits the books (tracker.flush() drains,
// as the policy job calls it), scrape reads Redis's counts, the web rate limits count in Redis,
// and closing the app stops the drainer cleanly. On PGlite and PostgreSQL.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBencode } from '../../src/tracker/http/bencode.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { tokenFor } from '../helpers/api.js';
import { createMember } from '../helpers/releases.js';
import { connectRedis, deleteKeys, redisAvailable, SINGLE_REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { seedRelease, seedUser, userTotals, type SeededRelease, type SeededUser } from '../tracker/fixtures/seed.js';

const available = await redisAvailable();
type Dict = Record<string, unknown>;

const escape = (bytes: Buffer): string => [...bytes].map((byte) => '%' + byte.toString(16).padStart(2, '0')).join('');

describe('the app in the shared mode (REDIS_URL)', { skip: available ? false : 'no Redis on this machine' }, () => {
  const prefix = uniquePrefix();
  let t: TestApp;
  let seeder: SeededUser;
  let leecher: SeededUser;
  let release: SeededRelease;

  before(async () => {
    t = await buildTestApp({ config: { redisUrl: SINGLE_REDIS_URL, redisPrefix: prefix, redisShards: 4, flushIntervalMs: 60_000 } });
    seeder = await seedUser(t.db.sql, null);
    leecher = await seedUser(t.db.sql, null);
    release = await seedRelease(t.db.sql, null);
    for (const user of [seeder, leecher]) await t.app.tracker.syncMember(user.id);
    await t.app.tracker.syncRelease(release.id);
  });

  after(async () => {
    const redis = connectRedis(SINGLE_REDIS_URL);
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  async function announce(user: SeededUser, peer: string, fields: string): Promise<Dict> {
    const url = `/announce/${user.passkey}?info_hash=${escape(release.v1!)}&peer_id=${escape(Buffer.from(peer.padEnd(20, 'x')))}&port=6881&compact=1&${fields}`;
    const reply = await t.app.inject({ method: 'GET', url, remoteAddress: '10.9.0.1' });
    return decodeBencode(reply.rawPayload) as Dict;
  }

  it('answers announces from the Redis swarm and credits them through the stream drainer', async () => {
    await announce(seeder, '-qB4650-s', 'uploaded=0&downloaded=0&left=0&event=started&key=aa');
    const leeching = await announce(leecher, '-qB4650-l', 'uploaded=0&downloaded=0&left=100&event=started&key=bb');
    assert.deepEqual([leeching.complete, leeching.incomplete], [1, 1]);
    assert.equal((leeching.peers as Uint8Array).length, 6, 'the seeder, from Redis');
    const before = await userTotals(t.db.sql, seeder.id);
    await announce(seeder, '-qB4650-s', 'uploaded=4000&downloaded=0&left=0&key=aa');
    await t.app.tracker.flush();
    const after = await userTotals(t.db.sql, seeder.id);
    assert.equal(after.uploaded_actual - before.uploaded_actual, 4000n);
    assert.equal(t.app.tracker.health().lastFlushError, null);
    assert.ok(t.app.tracker.health().lastFlushAt);
    const counts = await t.db.sql.query<{ seeders: number; leechers: number }>('SELECT seeders, leechers FROM releases WHERE id = $1', [release.id]);
    assert.deepEqual({ ...counts[0] }, { seeders: 1, leechers: 1 }, 'release counts as Redis keeps them');
  });

  it('scrapes the counts Redis keeps', async () => {
    const reply = await t.app.inject({ method: 'GET', url: `/scrape/${seeder.passkey}?info_hash=${escape(release.v1!)}`, remoteAddress: '10.9.0.1' });
    const files = (decodeBencode(reply.rawPayload) as { files: Record<string, Dict> }).files;
    assert.deepEqual(Object.values(files).map((f) => [f.complete, f.incomplete]), [[1, 1]]);
  });

  it('shows the live counts Redis keeps on the release page, in the API and, once drained, in the site totals (home, dashboard, /metrics)', async () => {
    // a second leecher announced but not drained yet: the page reads Redis, not the columns
    const other = await seedUser(t.db.sql, null);
    await t.app.tracker.syncMember(other.id);
    await announce(other, '-qB4650-o', 'uploaded=0&downloaded=0&left=100&event=started&key=cc');
    const viewer = await createMember(t.app, `viewer${prefix.slice(-6)}`);
    const page = await t.app.inject({ method: 'GET', url: `/releases/${release.id}`, headers: { cookie: viewer.cookie } });
    assert.equal(page.statusCode, 200);
    const stat = (label: string) => new RegExp(`${label}</div><div class="value[^"]*">(\\d+)<`).exec(page.body)?.[1];
    assert.deepEqual([stat('Seeders'), stat('Leechers')], ['1', '2']);
    const token = await tokenFor(t.app, viewer, ['read']);
    const api = await t.app.inject({ method: 'GET', url: `/api/v1/releases/${release.id}`, headers: { authorization: `Bearer ${token}` } });
    assert.deepEqual([api.json().seeders, api.json().leechers], [1, 2]);
    await t.app.tracker.flush();
    const stats = t.app.tracker.stats();
    assert.ok(stats.seeders >= 1 && stats.leechers >= 2 && stats.releasesWithPeers >= 1, `site totals from the drained columns: ${JSON.stringify(stats)}`);
  });

  it('refuses with the same reasons as the memory mode', async () => {
    const unknown = await announce({ id: 0, passkey: 'f'.repeat(32) }, '-qB4650-u', 'uploaded=0&downloaded=0&left=5');
    assert.equal(Buffer.from(unknown['failure reason'] as Uint8Array).toString(), 'Invalid passkey: download the .torrent again');
  });

  it('counts the web rate limits in Redis', async () => {
    for (let i = 0; i < 2; i++) await t.app.inject({ method: 'POST', url: '/login', payload: { username: 'nobody', password: 'x' }, remoteAddress: '10.9.0.7' });
    const keys = await t.app.sharedRedis!.keys(`${prefix}-rl-*`);
    assert.ok(keys.length > 0, 'a rate-limit counter in Redis');
    await t.app.sharedRedis!.del(...keys);
  });

  it('stops its drainer and closes cleanly, credit drained at the stop', async () => {
    await announce(leecher, '-qB4650-l', 'uploaded=0&downloaded=50&left=50&key=bb');
    const before = await userTotals(t.db.sql, leecher.id);
    await t.app.close();
    // the database is still open (t.db): the stop's last drain credited the announce
    const after = await userTotals(t.db.sql, leecher.id);
    assert.equal(after.downloaded_actual - before.downloaded_actual, 50n);
    await t.db.destroy();
  });
});
