import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../src/clock.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { addTrackedRelease, announce } from '../helpers/admin.js';
import { firstCategoryId, seedReleases } from '../helpers/releases.js';
import { WebClient } from '../helpers/web.js';

describe('privacy of a member’s lists', () => {
  let t: TestApp;
  const clock = new FakeClock(Date.UTC(2026, 10, 10));
  const web: Record<string, WebClient> = {};
  const ids: Record<string, number> = {};
  let releaseId = 0;

  before(async () => {
    t = await buildTestApp({ clock });
    for (const [i, name] of ['boss', 'alice', 'mallory', 'mod'].entries()) {
      web[name] = new WebClient(t.app, `10.4.0.${i + 1}`);
      await web[name].register(name);
      ids[name] = (await t.db.prisma.user.findUniqueOrThrow({ where: { usernameLower: name } })).id;
    }
    await t.db.prisma.user.update({ where: { id: ids.mod }, data: { role: 'moderator' } });
    [releaseId] = await seedReleases(t.app, [{ name: 'Private.Seed', categoryId: await firstCategoryId(t.app) }]);
    await t.db.prisma.peer.create({
      data: { userId: ids.alice, releaseId, peerId: new Uint8Array(Buffer.alloc(20, 7)), port: 51413, ipv4: '203.0.113.5', seeder: true, left: 0n, client: 'Secret Client 1.0' },
    });
    await t.db.prisma.snatch.create({ data: { userId: ids.alice, releaseId, completedAt: new Date(clock.now()) } });
    await t.db.prisma.transfer.create({ data: { userId: ids.alice, releaseId, uploaded: 1000n, seeding: true } });
  });
  after(() => t.close());

  const profileOf = (viewer: string) => web[viewer].get(`/users/${ids.alice}`);
  const releaseAs = (viewer: string) => web[viewer].get(`/releases/${releaseId}`);
  const setChoice = (choice: string) => web.alice.post(`/users/${ids.alice}/privacy`, { listsVisibleTo: choice }, `/users/${ids.alice}/settings`);

  it('hides the lists, history and client from other members by default (staff only)', async () => {
    const page = await profileOf('mallory');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /id="lists-private"/);
    for (const hidden of ['Seeding now', 'Snatched', 'History per release', 'Secret Client']) assert.ok(!page.body.includes(hidden), hidden);
    const staff = await profileOf('mod');
    assert.match(staff.body, /Seeding now <span class="muted">\(1\)/);
    assert.match(staff.body, /Secret Client 1\.0/);
    const own = await profileOf('alice');
    assert.match(own.body, /Seeding now <span class="muted">\(1\)/);
    assert.match(own.body, /id="lists-visibility"/);
  });

  it('shows "anonymous" instead of the name and client in the release’s peer and snatch lists', async () => {
    const page = await releaseAs('mallory');
    assert.equal(page.statusCode, 200);
    assert.ok(!page.body.includes(`href="/users/${ids.alice}"`));
    assert.ok(!page.body.includes('Secret Client'));
    assert.equal(page.body.match(/anonymous/g)?.length, 2, 'one peer, one snatch');
    assert.ok(!page.body.includes('203.0.113.5'));
    const staff = await releaseAs('mod');
    assert.match(staff.body, new RegExp(`href="/users/${ids.alice}">alice<`));
    assert.match(staff.body, /Secret Client 1\.0/);
    assert.match(staff.body, /203\.0\.113\.5/, 'staff see addresses');
    assert.match((await releaseAs('alice')).body, /Secret Client 1\.0/, 'the member sees their own row');
  });

  it('opens the lists to every member on request', async () => {
    assert.equal((await setChoice('members')).statusCode, 303);
    assert.match((await profileOf('mallory')).body, /Secret Client 1\.0/);
    assert.match((await releaseAs('mallory')).body, new RegExp(`href="/users/${ids.alice}">alice<`));
  });

  it('with "only me", hides them on the profile from staff too, who still see them on the staff page and the release', async () => {
    assert.equal((await setChoice('nobody')).statusCode, 303);
    const staffProfile = await profileOf('mod');
    assert.match(staffProfile.body, /id="lists-private"/);
    assert.match(staffProfile.body, new RegExp(`href="/admin/users/${ids.alice}">staff page`));
    assert.match((await web.mod.get(`/admin/users/${ids.alice}`)).body, /Private\.Seed/);
    assert.match((await releaseAs('mod')).body, /Secret Client 1\.0/);
    assert.match((await profileOf('mallory')).body, /id="lists-private"/);
    assert.match((await profileOf('alice')).body, /Seeding now/);
  });

  it('refuses a bad choice, another member’s form and a post without CSRF', async () => {
    assert.equal((await setChoice('everyone')).statusCode, 400);
    assert.equal((await web.mallory.post(`/users/${ids.alice}/privacy`, { listsVisibleTo: 'members' }, `/users/${ids.mallory}/settings`)).statusCode, 403);
    assert.equal((await web.alice.post(`/users/${ids.alice}/privacy`, { listsVisibleTo: 'members' }, false)).statusCode, 403);
    const row = await t.db.prisma.user.findUniqueOrThrow({ where: { id: ids.alice } });
    assert.equal(row.listsVisibleTo, 'nobody');
  });

  it('keeps names out of the tracker’s own peer lists, even the dictionary form', async () => {
    const release = await addTrackedRelease(t.app);
    const passkeyOf = async (id: number) => (await t.db.prisma.user.findUniqueOrThrow({ where: { id } })).passkey;
    assert.equal((await announce(t.app, await passkeyOf(ids.alice), release.hash, { peerId: 'alice', event: 'started' })).failure, null);
    const pct = (bytes: Buffer) => [...bytes].map((b) => '%' + b.toString(16).padStart(2, '0')).join('');
    const query = `info_hash=${pct(release.hash)}&peer_id=${pct(Buffer.from('-TR3000-mallorymallo'))}&port=6882&uploaded=0&downloaded=0&left=100&compact=0&event=started`;
    const reply = await t.app.inject({ method: 'GET', url: `/${await passkeyOf(ids.mallory)}/announce?${query}`, remoteAddress: '10.9.9.9' });
    const body = reply.rawPayload.toString('latin1');
    assert.match(body, /5:peersl/, 'a dictionary peer list (BEP 3), with one peer');
    assert.match(body, /-qB4520-alice/, 'it carries the client’s own peer id');
    for (const secret of ['alice', await passkeyOf(ids.alice)]) assert.ok(!body.replace('-qB4520-alice', '').includes(secret), secret);
  });
});
