// Requests with bounties through the web: escrow from credited upload, adding to a bounty,
// filling, confirming (the requester at once, staff after the delay), rejecting, withdrawing
// with refunds, bad input, parallel escrow that can never overdraw, and reseed requests.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/clock.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { addTrackedRelease, postForm } from '../helpers/admin.js';
import { createMember, firstCategoryId, type Member } from '../helpers/releases.js';

const GIB = 1024n ** 3n;
const DAY = 86_400_000;
let t: TestApp;
const clock = new FakeClock(Date.UTC(2026, 4, 1, 12));
let staff: Member;
let asker: Member;
let giver: Member;
let filler: Member;
let category: string;

const uploaded = async (id: number) => (await t.app.db.prisma.user.findUniqueOrThrow({ where: { id }, select: { uploaded: true } })).uploaded;
const setUploaded = (id: number, bytes: bigint) => t.app.db.prisma.user.update({ where: { id }, data: { uploaded: bytes, userClass: 'Member' } });
const post = (m: Member, url: string, fields: Record<string, string> = {}) => postForm(t.app, m, url, fields, { from: '/requests/new' });
const idOf = (res: { headers: Record<string, unknown> }) => Number(String(res.headers.location).split('/').pop());

async function newRequest(m: Member, bounty = '1 GiB'): Promise<number> {
  const res = await post(m, '/requests', { name: 'Some album 1999 FLAC', category, description: 'CD rip', links: 'https://musicbrainz.org/release/x', bounty });
  assert.equal(res.statusCode, 303, res.body.slice(0, 300));
  return idOf(res);
}

before(async () => {
  t = await buildTestApp({ clock });
  staff = await createMember(t.app, 'boss');
  [asker, giver, filler] = [await createMember(t.app, 'asker'), await createMember(t.app, 'giver'), await createMember(t.app, 'filler')];
  for (const m of [asker, giver, filler]) await setUploaded(m.id, 10n * GIB);
  category = String(await firstCategoryId(t.app));
});

after(async () => {
  await t.close();
});

describe('requests with bounties', () => {
  it('escrows the bounty at once, lets others add to it, and pays the filler on confirmation', async () => {
    const id = await newRequest(asker);
    assert.equal(await uploaded(asker.id), 9n * GIB);
    assert.equal((await post(giver, `/requests/${id}/bounty`, { bounty: '512 MiB' })).statusCode, 303);
    assert.equal(await uploaded(giver.id), 10n * GIB - 512n * 1024n ** 2n);
    const release = await addTrackedRelease(t.app);
    assert.equal((await post(filler, `/requests/${id}/fill`, { release: `http://x/releases/${release.id}` })).statusCode, 303);
    assert.equal((await post(filler, `/requests/${id}/confirm`)).statusCode, 403, 'only the requester confirms');
    assert.equal((await post(asker, `/requests/${id}/confirm`)).statusCode, 303);
    assert.equal(await uploaded(filler.id), 10n * GIB + GIB + 512n * 1024n ** 2n);
    assert.equal((await post(asker, `/requests/${id}/confirm`)).statusCode, 409, 'paid once');
    const history = await t.app.inject({ url: `/users/${filler.id}/history`, headers: { cookie: filler.cookie } });
    assert.match(history.body, /Bounty paid to you/);
    const notices = await t.app.inject({ url: '/notifications', headers: { cookie: asker.cookie } });
    assert.match(notices.body, /was filled/);
  });

  it('returns every contributor their part when an unfilled request is withdrawn', async () => {
    const [a, g] = [await uploaded(asker.id), await uploaded(giver.id)];
    const id = await newRequest(asker, '200 MiB');
    await post(giver, `/requests/${id}/bounty`, { bounty: '300 MiB' });
    assert.equal((await post(giver, `/requests/${id}/withdraw`)).statusCode, 403);
    assert.equal((await post(asker, `/requests/${id}/withdraw`)).statusCode, 303);
    assert.deepEqual([await uploaded(asker.id), await uploaded(giver.id)], [a, g]);
    assert.equal((await post(asker, `/requests/${id}/withdraw`)).statusCode, 409);
  });

  it('lets staff confirm a fill only after the delay, and the requester reject a wrong one', async () => {
    const id = await newRequest(asker, '100 MiB');
    const release = await addTrackedRelease(t.app);
    await post(filler, `/requests/${id}/fill`, { release: String(release.id) });
    assert.equal((await post(asker, `/requests/${id}/reject`)).statusCode, 303);
    await post(filler, `/requests/${id}/fill`, { release: String(release.id) });
    assert.equal((await post(staff, `/requests/${id}/confirm`)).statusCode, 403);
    clock.advance(7 * DAY);
    assert.equal((await post(staff, `/requests/${id}/confirm`)).statusCode, 303);
  });

  it('refuses bad input with a 4xx: a bounty under the minimum or over the credit, no name, a missing release, no CSRF', async () => {
    const small = await post(asker, '/requests', { name: 'Thing', category, bounty: '1 MiB' });
    assert.equal(small.statusCode, 409);
    assert.match(small.body, /at least 100 MiB/);
    const much = await post(asker, '/requests', { name: 'Thing', category, bounty: '1 TiB' });
    assert.match(much.body, /more upload credit than you have/);
    assert.equal((await post(asker, '/requests', { name: '', category, bounty: '1 GiB' })).statusCode, 400);
    assert.equal((await post(asker, '/requests', { name: 'Thing', category, bounty: 'lots' })).statusCode, 400);
    const id = await newRequest(asker, '100 MiB');
    assert.equal((await post(filler, `/requests/${id}/fill`, { release: '99999' })).statusCode, 409);
    assert.equal((await post(filler, `/requests/${id}/fill`, { release: 'x' })).statusCode, 404);
    assert.equal((await post(asker, '/requests/abc/withdraw')).statusCode, 404);
    assert.equal((await postForm(t.app, asker, `/requests/${id}/withdraw`, {}, { csrf: false })).statusCode, 403);
  });

  it('keeps members of a class without the request perk from creating requests', async () => {
    const newbie = await createMember(t.app, 'newbie');
    assert.equal((await post(newbie, '/requests', { name: 'Thing', category, bounty: '100 MiB' })).statusCode, 403);
  });

  it('never overdraws under parallel bounties', async () => {
    const poor = await createMember(t.app, 'poor');
    await setUploaded(poor.id, 300n * 1024n ** 2n);
    const id = await newRequest(asker, '100 MiB');
    const results = await Promise.all(Array.from({ length: 6 }, () => post(poor, `/requests/${id}/bounty`, { bounty: '100 MiB' })));
    assert.equal(results.filter((r) => r.statusCode === 303).length, 3);
    assert.equal(await uploaded(poor.id), 0n);
    const row = await t.app.db.prisma.request.findUniqueOrThrow({ where: { id }, select: { bounty: true } });
    assert.equal(row.bounty, 400n * 1024n ** 2n);
  });
});

describe('reseed requests', () => {
  it('tells the snatchers of a release nobody seeds, at most once a week', async () => {
    const release = await addTrackedRelease(t.app);
    await t.app.db.prisma.snatch.createMany({ data: [{ userId: filler.id, releaseId: release.id }, { userId: giver.id, releaseId: release.id }] });
    const res = await postForm(t.app, asker, `/releases/${release.id}/reseed`, {}, { from: `/releases/${release.id}` });
    assert.equal(res.statusCode, 303);
    const notices = await t.app.inject({ url: '/notifications', headers: { cookie: filler.cookie } });
    assert.match(notices.body, /Please seed/);
    assert.equal((await postForm(t.app, asker, `/releases/${release.id}/reseed`, {}, { from: '/shop' })).statusCode, 409);
  });
});
