// The bonus shop, freeleech tokens and the credit history through the web: CSRF, prices,
// limits per period, bad input, and parallel purchases and spends that can never go negative
// or spend twice (on PGlite and PostgreSQL alike).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/clock.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { addTrackedRelease, announce, flashOf, postForm } from '../helpers/admin.js';
import { createMember, type Member } from '../helpers/releases.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const GIB = 1024n ** 3n;
let t: TestApp;
const clock = new FakeClock(Date.UTC(2026, 4, 1, 12));
let alice: Member;
let bob: Member;

const me = (id: number) =>
  t.app.db.prisma.user.findUniqueOrThrow({ where: { id }, select: { bonusPoints: true, freeleechTokens: true, uploaded: true, personalFreeleechUntil: true, invitesLeft: true } });
const setPoints = (id: number, bonusPoints: number) => t.app.db.prisma.user.update({ where: { id }, data: { bonusPoints } });
const buy = (m: Member, key: string) => postForm(t.app, m, `/shop/${key}`, {}, { from: '/shop' });

before(async () => {
  t = await buildTestApp({ clock });
  await createMember(t.app, 'boss');
  alice = await createMember(t.app, 'alice');
  bob = await createMember(t.app, 'bob');
});

after(async () => {
  await t.close();
});

describe('the bonus shop', () => {
  it('lists the items with their prices and limits', async () => {
    const page = await t.app.inject({ url: '/shop', headers: { cookie: alice.cookie } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /1 freeleech token/);
    assert.match(page.body, /3 per 7 days/);
  });

  it('sells upload credit for points, with a log row in the history', async () => {
    await setPoints(alice.id, 5000);
    const before = await me(alice.id);
    const res = await buy(alice, 'upload-1');
    assert.equal(res.statusCode, 303);
    assert.match(flashOf(res)!, /Bought 1 GiB of upload credit for 1100 points/);
    const after = await me(alice.id);
    assert.equal(after.bonusPoints, 3900);
    assert.equal(after.uploaded - before.uploaded, GIB);
    const history = await t.app.inject({ url: `/users/${alice.id}/history`, headers: { cookie: alice.cookie } });
    assert.match(history.body, /Shop: 1 GiB of upload credit/);
  });

  it('refuses a purchase the member cannot pay, and one past the limit per period, with a 409', async () => {
    await setPoints(alice.id, 10);
    const poor = await buy(alice, 'token');
    assert.equal(poor.statusCode, 409);
    assert.match(poor.body, /costs 1500 points; you have 10/);
    await setPoints(alice.id, 100_000);
    for (let i = 0; i < 3; i++) assert.equal((await buy(alice, 'token')).statusCode, 303);
    const limited = await buy(alice, 'token');
    assert.equal(limited.statusCode, 409);
    assert.match(limited.body, /3 per 7 days/);
    clock.advance(7 * DAY + 1);
    assert.equal((await buy(alice, 'token')).statusCode, 303, 'the period has passed');
    assert.equal((await me(alice.id)).freeleechTokens, 4);
  });

  it('adds bought personal freeleech to what is left of a running one', async () => {
    await buy(alice, 'freeleech-24h');
    const first = (await me(alice.id)).personalFreeleechUntil!.getTime();
    assert.equal(first, clock.now() + 24 * HOUR);
    assert.equal(t.app.tracker.catalog.userById(alice.id)?.perks?.freeleechUntil, first, 'the tracker knows at once');
    await buy(alice, 'double-24h');
    assert.equal(t.app.tracker.catalog.userById(alice.id)?.perks?.doubleUploadUntil, clock.now() + 24 * HOUR);
  });

  it('answers an unknown item with 404, a missing CSRF token with 403, a visitor with the login page', async () => {
    assert.equal((await buy(alice, 'nope')).statusCode, 404);
    assert.equal((await postForm(t.app, alice, '/shop/token', {}, { from: '/shop', csrf: false })).statusCode, 403);
    const visitor = await t.app.inject({ method: 'GET', url: '/shop' });
    assert.equal(visitor.statusCode, 302);
  });

  it('never spends the same points twice under parallel purchases', async () => {
    await setPoints(bob.id, 2200); // two of the 1100-point item, not three
    const results = await Promise.all(Array.from({ length: 6 }, () => buy(bob, 'upload-1')));
    assert.equal(results.filter((r) => r.statusCode === 303).length, 2);
    assert.equal(results.filter((r) => r.statusCode === 409).length, 4);
    const row = await me(bob.id);
    assert.equal(row.bonusPoints, 0);
    const log = await t.app.db.prisma.creditLog.count({ where: { userId: bob.id, kind: 'shop' } });
    assert.equal(log, 2);
  });
});

describe('freeleech tokens on a release', () => {
  it('spends one token, shows it on the release page and refuses a second on the same release', async () => {
    const carol = await createMember(t.app, 'carol');
    await t.app.db.prisma.user.update({ where: { id: carol.id }, data: { freeleechTokens: 2 } });
    const release = await addTrackedRelease(t.app);
    const page = await t.app.inject({ url: `/releases/${release.id}`, headers: { cookie: carol.cookie } });
    assert.match(page.body, /Spend a freeleech token/);
    const res = await postForm(t.app, carol, `/releases/${release.id}/token`, {}, { from: `/releases/${release.id}` });
    assert.equal(res.statusCode, 303);
    assert.equal((await me(carol.id)).freeleechTokens, 1);
    const use = await t.app.db.prisma.freeleechTokenUse.findUniqueOrThrow({ where: { userId_releaseId: { userId: carol.id, releaseId: release.id } } });
    assert.equal(use.expiresAt.getTime(), clock.now() + 96 * HOUR);
    assert.equal(t.app.tracker.catalog.userById(carol.id)?.perks?.tokens.get(release.id), clock.now() + 96 * HOUR, 'the tracker knows at once');
    const again = await postForm(t.app, carol, `/releases/${release.id}/token`, {}, { from: '/shop' });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /already spent a token/);
  });

  it('refuses a token on a release that is already freeleech, and on a bad release number', async () => {
    const dave = await createMember(t.app, 'dave');
    await t.app.db.prisma.user.update({ where: { id: dave.id }, data: { freeleechTokens: 1 } });
    const release = await addTrackedRelease(t.app);
    await t.app.db.prisma.release.update({ where: { id: release.id }, data: { freeleech: 'freeleech' } });
    const res = await postForm(t.app, dave, `/releases/${release.id}/token`, {}, { from: '/shop' });
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /already freeleech/);
    assert.equal((await postForm(t.app, dave, '/releases/abc/token', {}, { from: '/shop' })).statusCode, 404);
    assert.equal((await postForm(t.app, dave, '/releases/999999/token', {}, { from: '/shop' })).statusCode, 404);
    assert.equal((await me(dave.id)).freeleechTokens, 1);
  });

  it('never takes more tokens than the member has under parallel spends', async () => {
    const erin = await createMember(t.app, 'erin');
    await t.app.db.prisma.user.update({ where: { id: erin.id }, data: { freeleechTokens: 2 } });
    const releases = await Promise.all(Array.from({ length: 5 }, () => addTrackedRelease(t.app)));
    const results = await Promise.all(releases.map((r) => postForm(t.app, erin, `/releases/${r.id}/token`, {}, { from: '/shop' })));
    assert.equal(results.filter((r) => r.statusCode === 303).length, 2);
    assert.equal((await me(erin.id)).freeleechTokens, 0);
    assert.equal(await t.app.db.prisma.freeleechTokenUse.count({ where: { userId: erin.id } }), 2);
  });

  it('keeps the history to the member and staff', async () => {
    const other = await t.app.inject({ url: `/users/${alice.id}/history`, headers: { cookie: bob.cookie } });
    assert.equal(other.statusCode, 403);
  });
});

describe('the tracker honours what the economy sold', () => {
  it('credits no download on a token release through a real announce, actual exact', async () => {
    const fay = await createMember(t.app, 'fay');
    await t.app.db.prisma.user.update({ where: { id: fay.id }, data: { freeleechTokens: 1 } });
    const release = await addTrackedRelease(t.app, { size: 10n * GIB });
    await postForm(t.app, fay, `/releases/${release.id}/token`, {}, { from: '/shop' });
    await announce(t.app, fay.passkey, release.hash, { peerId: 'fay1', event: 'started', left: 10n * GIB });
    clock.advance(60_000);
    const res = await announce(t.app, fay.passkey, release.hash, { peerId: 'fay1', downloaded: 3n * GIB, left: 7n * GIB });
    assert.equal(res.failure, null);
    await t.app.tracker.flush();
    const row = await t.app.db.prisma.user.findUniqueOrThrow({ where: { id: fay.id }, select: { downloaded: true, downloadedActual: true } });
    assert.deepEqual([row.downloaded, row.downloadedActual], [0n, 3n * GIB]);
  });

  it('refuses leeching past the download slots a class was given on the classes page', async () => {
    const ladder = t.app.settings.get('userClasses');
    await t.app.settings.update({ userClasses: ladder.map((c, i) => (i === 0 ? { ...c, downloadSlots: 1 } : c)) });
    try {
      const gus = await createMember(t.app, 'gus');
      const [a, b] = [await addTrackedRelease(t.app), await addTrackedRelease(t.app)];
      assert.equal((await announce(t.app, gus.passkey, a.hash, { peerId: 'gus1', event: 'started', left: 1000n })).failure, null);
      const second = await announce(t.app, gus.passkey, b.hash, { peerId: 'gus2', event: 'started', left: 1000n });
      assert.match(second.failure ?? '', /Download slots full: your class may leech 1 torrent at once/);
      assert.equal((await announce(t.app, gus.passkey, b.hash, { peerId: 'gus3', event: 'started', left: 0n })).failure, null, 'seeding is never limited');
    } finally {
      await t.app.settings.update({ userClasses: ladder });
    }
  });
});
