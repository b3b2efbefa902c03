import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../src/clock.js';
import { addTrackedRelease, announce } from '../helpers/admin.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { firstCategoryId, seedReleases } from '../helpers/releases.js';
import { WebClient } from '../helpers/web.js';

const DAY = 86400_000;

describe('profile', () => {
  let t: TestApp;
  const clock = new FakeClock(Date.UTC(2026, 10, 10));
  let admin: WebClient;
  let ownerWeb: WebClient;
  let other: WebClient;
  let ownerId: number;

  before(async () => {
    t = await buildTestApp({ clock });
    admin = new WebClient(t.app, '10.3.0.1');
    ownerWeb = new WebClient(t.app, '10.3.0.2');
    other = new WebClient(t.app, '10.3.0.3');
    await admin.register('boss');
    await ownerWeb.register('alice');
    await other.register('mallory');
    ownerId = (await t.db.prisma.user.findUniqueOrThrow({ where: { usernameLower: 'alice' } })).id;
  });
  after(() => t.close());

  async function userRow() {
    return t.db.prisma.user.findUniqueOrThrow({ where: { id: ownerId } });
  }

  it('shows the owner their totals, ratio rules, passkey and feed', async () => {
    const alice = await userRow();
    await t.db.prisma.user.update({
      where: { id: ownerId },
      data: { uploaded: 3n * 1024n ** 3n, downloaded: 4n * 1024n ** 3n, uploadedActual: 1024n ** 3n, requiredRatio: 0.9, watchStartedAt: new Date(clock.now()), watchDeadline: new Date(clock.now() + 14 * DAY), bonusPoints: 42.7 },
    });
    const page = await ownerWeb.get(`/users/${ownerId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /3\.00 GiB/);
    assert.match(page.body, /1\.00 GiB actual/);
    assert.match(page.body, /class="value bad">0\.75</, 'ratio, below the requirement');
    assert.match(page.body, /required 0\.90/);
    assert.match(page.body, /ratio watch/);
    assert.match(page.body, /2026-11-24/, 'watch deadline');
    assert.match(page.body, /42/);
    assert.ok(page.body.includes(alice.passkey), 'the owner sees the passkey');
    assert.ok(page.body.includes(`/rss/${alice.rssToken}`), 'and the feed address');
    assert.match(page.body, /Reset passkey/);
  });

  it('shows other members a public subset: no passkey, RSS token or email', async () => {
    await t.db.prisma.user.update({ where: { id: ownerId }, data: { email: 'alice@example.org' } });
    const alice = await userRow();
    const page = await other.get(`/users/${ownerId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /alice/);
    assert.ok(!page.body.includes(alice.passkey));
    assert.ok(!page.body.includes(alice.rssToken));
    assert.ok(!page.body.includes('alice@example.org'));
    assert.doesNotMatch(page.body, /Reset passkey/);
    const staff = await admin.get(`/users/${ownerId}`);
    assert.ok(staff.body.includes(alice.passkey), 'staff see the passkey');
    assert.doesNotMatch(staff.body, /action="\/users\/\d+\/passkey"/, 'but reset it from the staff page');
  });

  it('needs a login and answers 404 for an unknown member', async () => {
    const anonymous = await new WebClient(t.app).get(`/users/${ownerId}`);
    assert.equal(anonymous.statusCode, 302);
    assert.equal((await other.get('/users/999999')).statusCode, 404);
    assert.equal((await other.get('/users/abc')).statusCode, 404);
  });

  it('lists seeding, leeching, snatched, uploaded and per-release history, without addresses', async () => {
    // shown to every member by the owner's choice (the default is staff only: test/web/privacy.db.test.ts)
    await t.db.prisma.user.update({ where: { id: ownerId }, data: { listsVisibleTo: 'members' } });
    const categoryId = await firstCategoryId(t.app);
    const [seedId, leechId, uploadId] = await seedReleases(t.app, [
      { name: 'Seeded.Thing', categoryId },
      { name: 'Leeched.Thing', categoryId, size: 2000n },
      { name: 'Own.Upload', categoryId, uploaderId: ownerId },
    ]);
    const peer = { userId: ownerId, port: 51413, ipv4: '203.0.113.77', client: 'qBittorrent 4.6' };
    await t.db.prisma.peer.createMany({
      data: [
        { ...peer, releaseId: seedId, peerId: new Uint8Array(Buffer.alloc(20, 1)), seeder: true, left: 0n },
        { ...peer, releaseId: leechId, peerId: new Uint8Array(Buffer.alloc(20, 2)), seeder: false, left: 500n },
      ],
    });
    await t.db.prisma.snatch.create({ data: { userId: ownerId, releaseId: seedId, completedAt: new Date(clock.now()) } });
    await t.db.prisma.transfer.create({ data: { userId: ownerId, releaseId: seedId, uploaded: 5n * 1024n ** 2n, downloaded: 1000n, seedtime: 7200, seeding: true } });
    const page = await other.get(`/users/${ownerId}`);
    for (const name of ['Seeded.Thing', 'Leeched.Thing', 'Own.Upload']) assert.match(page.body, new RegExp(name.replace('.', '\\.')));
    assert.match(page.body, new RegExp(`href="/releases/${uploadId}"`));
    assert.match(page.body, /Seeding now <span class="muted">\(1\)/);
    assert.match(page.body, /Leeching now <span class="muted">\(1\)/);
    assert.match(page.body, /75%/, 'leech progress');
    assert.match(page.body, /5\.00 MiB/);
    assert.match(page.body, /2h 0m/, 'seed time');
    assert.ok(!page.body.includes('203.0.113.77'), 'no peer address on a profile');
    assert.ok(!(await ownerWeb.get(`/users/${ownerId}`)).body.includes('203.0.113.77'), 'not even for the owner');
  });

  it('draws the ratio over time from the daily totals as an escaped SVG', async () => {
    const day = (n: number) => new Date(Date.UTC(2026, 10, n));
    await t.db.prisma.trafficDaily.createMany({
      data: [
        { userId: ownerId, day: day(7), totalUploaded: 0n, totalDownloaded: 0n },
        { userId: ownerId, day: day(8), totalUploaded: 100n, totalDownloaded: 200n },
        { userId: ownerId, day: day(9), totalUploaded: 300n, totalDownloaded: 200n },
      ],
    });
    const page = await other.get(`/users/${ownerId}`);
    const svg = page.body.match(/<svg class="chart"[\s\S]*?<\/svg>/)?.[0] ?? '';
    assert.match(svg, /<title>Ratio per day<\/title>/);
    assert.match(svg, /<polyline points="[\d., ]+"/);
    assert.match(svg, /Latest: Ratio: 1\.50/);
  });

  it('resets the passkey: the tracker forgets the old one at once', async () => {
    const before = await userRow();
    assert.ok(t.app.tracker.catalog.userByPasskey(before.passkey));
    const release = await addTrackedRelease(t.app);
    assert.equal((await announce(t.app, before.passkey, release.hash, { peerId: 'old', event: 'started' })).failure, null, 'works before');
    const response = await ownerWeb.post(`/users/${ownerId}/passkey`, { confirm: 'yes' }, `/users/${ownerId}/passkey`);
    assert.equal(response.statusCode, 303);
    const after = await userRow();
    assert.notEqual(after.passkey, before.passkey);
    assert.equal(t.app.tracker.catalog.userByPasskey(before.passkey), undefined, 'old passkey gone from the tracker');
    assert.equal(t.app.tracker.catalog.userByPasskey(after.passkey)?.id, ownerId);
    assert.ok((await ownerWeb.get(`/users/${ownerId}`)).body.includes(after.passkey));
    const refused = await announce(t.app, before.passkey, release.hash, { peerId: 'old' });
    assert.ok(refused.failure, 'a real announce with the old passkey gets a bencoded failure');
    assert.equal((await announce(t.app, after.passkey, release.hash, { peerId: 'new', event: 'started' })).failure, null);
  });

  it('refuses resets without a CSRF token or for someone else', async () => {
    const before = await userRow();
    assert.equal((await ownerWeb.post(`/users/${ownerId}/passkey`, { confirm: 'yes' }, false)).statusCode, 403);
    assert.equal((await other.post(`/users/${ownerId}/passkey`, { confirm: 'yes' }, `/users/${ownerId}`)).statusCode, 403);
    assert.equal((await other.post(`/users/${ownerId}/rss-token`, {}, `/users/${ownerId}`)).statusCode, 403);
    const after = await userRow();
    assert.equal(after.passkey, before.passkey);
    assert.equal(after.rssToken, before.rssToken);
  });

  it('resets the RSS token', async () => {
    const before = await userRow();
    assert.equal((await ownerWeb.post(`/users/${ownerId}/rss-token`, {}, `/users/${ownerId}`)).statusCode, 303);
    assert.notEqual((await userRow()).rssToken, before.rssToken);
    assert.equal((await ownerWeb.get(`/rss/${before.rssToken}`)).statusCode, 404, 'the old feed address stops working');
  });
});
