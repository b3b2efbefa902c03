// A member's own settings at /users/:id/settings: which tracker URLs downloaded torrents
// carry (announceTiers: HTTP only by default), email, and the password change that ends
// every other session.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { bencode, firstCategoryId, seedReleases } from '../helpers/releases.js';
import { fieldError, WebClient } from '../helpers/web.js';
import { text } from '../helpers/text.js';

const BASE = 'https://tracker.example';

describe('member settings', () => {
  let t: TestApp;
  let admin: WebClient;
  let alice: WebClient;
  let aliceId: number;
  let releaseId: number;
  const settingsUrl = () => `/users/${aliceId}/settings`;
  const tiersOf = async () => (await t.db.prisma.user.findUniqueOrThrow({ where: { id: aliceId }, select: { announceTiers: true } })).announceTiers;
  const passkey = async () => (await t.db.prisma.user.findUniqueOrThrow({ where: { id: aliceId }, select: { passkey: true } })).passkey;

  async function announceTiers(client: WebClient): Promise<string[][]> {
    const res = await client.get(`/releases/${releaseId}/download`);
    assert.equal(res.statusCode, 200);
    return bencode.decode(res.rawPayload)['announce-list'].map((tier: Uint8Array[]) => tier.map(text));
  }

  before(async () => {
    t = await buildTestApp({ config: { baseUrl: BASE, udpEnabled: true, udpHost: 'tracker.example', udpPort: 6969 } });
    admin = new WebClient(t.app, '10.4.0.1');
    alice = new WebClient(t.app, '10.4.0.2');
    assert.equal((await admin.register('settingsboss')).statusCode, 303);
    assert.equal((await alice.register('alice')).statusCode, 303);
    aliceId = (await t.db.prisma.user.findUniqueOrThrow({ where: { usernameLower: 'alice' }, select: { id: true } })).id;
    [releaseId] = await seedReleases(t.app, [{ name: 'Settings.Test', categoryId: await firstCategoryId(t.app) }]);
  });
  after(async () => t.close());

  it('shows the owner a form with labelled fields', async () => {
    const res = await alice.get(settingsUrl());
    assert.equal(res.statusCode, 200);
    for (const id of ['announceTiers-http_only', 'announceTiers-http_then_udp', 'announceTiers-udp_first', 'email', 'current', 'password', 'confirm']) {
      assert.match(res.body, new RegExp(`<label for="${id}">`), `label for ${id}`);
      assert.match(res.body, new RegExp(`id="${id}"`));
    }
    assert.match(res.body, /<legend>Tracker URLs in downloaded torrents<\/legend>/);
    assert.match(res.body, /HTTP only \(every client — recommended\)/);
    assert.match(res.body, /id="announceTiers-http_only" name="announceTiers" value="http_only" checked/);
    // the clients that can use a UDP tier, and those that cannot, are named
    assert.match(res.body, /qBittorrent, Deluge/);
    assert.match(res.body, /Transmission, aria2 and rTorrent cannot/);
  });

  it('is the owner’s alone: other members get 403, visitors go to the login page', async () => {
    assert.equal((await admin.get(settingsUrl())).statusCode, 403);
    const post = await admin.post(settingsUrl(), { announceTiers: 'udp_first', email: '' }, '/');
    assert.equal(post.statusCode, 403);
    assert.equal(await tiersOf(), 'http_only');
    const visitor = await new WebClient(t.app).get(settingsUrl());
    assert.equal(visitor.statusCode, 302);
    assert.match(String(visitor.headers.location), /^\/login\?next=/);
  });

  it('refuses a form without a CSRF token', async () => {
    const res = await alice.post(settingsUrl(), { announceTiers: 'udp_first', email: '' }, false);
    assert.equal(res.statusCode, 403);
    assert.equal(await tiersOf(), 'http_only');
  });

  it('offers HTTP only, HTTP then UDP, and UDP first, each reflected in downloaded torrents', async () => {
    const key = await passkey();
    const http = [`${BASE}/announce/${key}`];
    const udp = [`udp://tracker.example:6969/${key}/announce`];
    assert.deepEqual(await announceTiers(alice), [http]);
    for (const [choice, tiers] of [['http_then_udp', [http, udp]], ['udp_first', [udp, http]], ['http_only', [http]]] as const) {
      const saved = await alice.post(settingsUrl(), { announceTiers: choice, email: '' });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, settingsUrl());
      assert.deepEqual(await announceTiers(alice), tiers, choice);
      assert.match((await alice.get(settingsUrl())).body, new RegExp(`id="announceTiers-${choice}" name="announceTiers" value="${choice}" checked`));
    }
  });

  it('refuses a choice it does not offer beside the field, saving nothing', async () => {
    for (const value of ['udp', 'UDP_FIRST', '']) {
      const bad = await alice.post(settingsUrl(), { announceTiers: value, email: 'new@example.org' });
      assert.equal(bad.statusCode, 400, value);
      assert.match(fieldError(bad.body, 'announceTiers') ?? '', /Choose which announce URLs/);
    }
    const missing = await alice.post(settingsUrl(), { email: 'new@example.org' });
    assert.equal(missing.statusCode, 400);
    const row = await t.db.prisma.user.findUniqueOrThrow({ where: { id: aliceId } });
    assert.deepEqual([row.announceTiers, row.email], ['http_only', null]);
  });

  it('saves an email, and refuses a malformed one beside the field', async () => {
    assert.equal((await alice.post(settingsUrl(), { announceTiers: 'http_only', email: 'alice@example.org' })).statusCode, 303);
    assert.equal((await t.db.prisma.user.findUniqueOrThrow({ where: { id: aliceId } })).email, 'alice@example.org');
    const bad = await alice.post(settingsUrl(), { email: 'not an <email>', announceTiers: 'udp_first' });
    assert.equal(bad.statusCode, 400);
    assert.match(fieldError(bad.body, 'email') ?? '', /does not look like an email/);
    assert.match(bad.body, /id="email" name="email" value="not an &lt;email&gt;"[^>]*aria-invalid="true"/);
    const row = await t.db.prisma.user.findUniqueOrThrow({ where: { id: aliceId } });
    assert.equal(row.email, 'alice@example.org', 'nothing saved');
    assert.equal(row.announceTiers, 'http_only');
    assert.equal((await alice.post(settingsUrl(), { announceTiers: 'http_only', email: '' })).statusCode, 303);
    assert.equal((await t.db.prisma.user.findUniqueOrThrow({ where: { id: aliceId } })).email, null);
  });
});

describe('member settings with the UDP tracker off', () => {
  let t: TestApp;

  before(async () => {
    t = await buildTestApp({ config: { baseUrl: BASE, udpEnabled: false } });
  });
  after(async () => t.close());

  it('gives torrents the HTTP tier alone whatever the member chose, and says so', async () => {
    const carol = new WebClient(t.app, '10.6.0.1');
    assert.equal((await carol.register('carol')).statusCode, 303);
    const { id, passkey } = await t.db.prisma.user.findUniqueOrThrow({ where: { usernameLower: 'carol' }, select: { id: true, passkey: true } });
    assert.equal((await carol.post(`/users/${id}/settings`, { announceTiers: 'udp_first', email: '' })).statusCode, 303);
    assert.match((await carol.get(`/users/${id}/settings`)).body, /The UDP tracker is off on this site/);
    const [releaseId] = await seedReleases(t.app, [{ name: 'Udp.Off', categoryId: await firstCategoryId(t.app) }]);
    const res = await carol.get(`/releases/${releaseId}/download`);
    assert.deepEqual(bencode.decode(res.rawPayload)['announce-list'].map((tier: Uint8Array[]) => tier.map(text)), [[`${BASE}/announce/${passkey}`]]);
  });
});

describe('password change', () => {
  let t: TestApp;
  let userId: number;
  const url = () => `/users/${userId}/password`;
  const from = () => `/users/${userId}/settings`;

  before(async () => {
    t = await buildTestApp();
    const first = new WebClient(t.app, '10.5.0.1');
    await first.register('pwboss');
    await first.register('bob');
    userId = (await t.db.prisma.user.findUniqueOrThrow({ where: { usernameLower: 'bob' }, select: { id: true } })).id;
  });
  after(async () => t.close());

  async function loggedIn(ip: string, password = 'bob-password-1'): Promise<WebClient> {
    const client = new WebClient(t.app, ip);
    assert.equal((await client.login('bob', password)).statusCode, 303);
    return client;
  }

  it('refuses a wrong current password beside the field, and keeps every session', async () => {
    const laptop = await loggedIn('10.5.0.2');
    const phone = await loggedIn('10.5.0.3');
    const res = await laptop.post(url(), { current: 'wrong-password-0', password: 'brand-new-pass-1', confirm: 'brand-new-pass-1' }, from());
    assert.equal(res.statusCode, 400);
    assert.match(fieldError(res.body, 'current') ?? '', /not your current password/);
    assert.match(res.body, /id="current"[^>]*aria-invalid="true"/);
    assert.equal((await phone.get(from())).statusCode, 200, 'the other session lives on');
  });

  it('checks the new password: rules beside "password", mismatch beside "confirm"', async () => {
    const laptop = await loggedIn('10.5.0.4');
    const short = await laptop.post(url(), { current: 'bob-password-1', password: 'short', confirm: 'short' }, from());
    assert.equal(short.statusCode, 400);
    assert.match(fieldError(short.body, 'password') ?? '', /at least 10 characters/);
    const mismatch = await laptop.post(url(), { current: 'bob-password-1', password: 'brand-new-pass-1', confirm: 'brand-new-pass-2' }, from());
    assert.equal(mismatch.statusCode, 400);
    assert.match(fieldError(mismatch.body, 'confirm') ?? '', /differ/);
    for (const body of [short.body, mismatch.body]) {
      assert.ok(!body.includes('bob-password-1') && !body.includes('brand-new-pass'), 'passwords are never echoed');
    }
    assert.equal((await new WebClient(t.app, '10.5.0.5').login('bob')).statusCode, 303, 'the old password still works');
  });

  it('refuses a form without a CSRF token', async () => {
    const laptop = await loggedIn('10.5.0.6');
    const res = await laptop.post(url(), { current: 'bob-password-1', password: 'brand-new-pass-1', confirm: 'brand-new-pass-1' }, false);
    assert.equal(res.statusCode, 403);
    assert.equal((await new WebClient(t.app, '10.5.0.7').login('bob')).statusCode, 303, 'unchanged');
  });

  it('changes the password, ends the other sessions and keeps this browser logged in', async () => {
    const laptop = await loggedIn('10.5.0.8');
    const phone = await loggedIn('10.5.0.9');
    const res = await laptop.post(url(), { current: 'bob-password-1', password: 'brand-new-pass-1', confirm: 'brand-new-pass-1' }, from());
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, from());
    assert.equal((await laptop.get(from())).statusCode, 200, 'a fresh session for this browser');
    const stale = await phone.get(from());
    assert.equal(stale.statusCode, 302, 'the phone is logged out');
    assert.match(String(stale.headers.location), /^\/login/);
    assert.equal(await t.db.prisma.session.count({ where: { userId } }), 1);
    assert.equal((await new WebClient(t.app, '10.5.0.10').login('bob')).statusCode, 401, 'the old password no longer works');
    assert.equal((await new WebClient(t.app, '10.5.0.11').login('bob', 'brand-new-pass-1')).statusCode, 303);
  });
});
