// Credit movements under concurrency, called as the web actions call them, all at once: a
// confirmation raced against itself pays once, a withdrawal raced against a fill either refunds
// or leaves a fill (never both), and parallel purchases, spends and bounties never take more
// than the member holds. Each balance is checked against its credit log. Both databases.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/clock.js';
import { buyItem } from '../../src/web/shop/buy-item.js';
import { spendToken } from '../../src/web/shop/spend-token.js';
import { addBounty, createRequest, fillRequest } from '../../src/web/requests/escrow.js';
import { confirmFill, withdrawRequest } from '../../src/web/requests/settle-request.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { addTrackedRelease } from '../helpers/admin.js';
import { createMember, firstCategoryId } from '../helpers/releases.js';

const GIB = 1024n ** 3n;
const MIB = 1024n ** 2n;
let t: TestApp;
const clock = new FakeClock(Date.UTC(2026, 6, 1));
let category: number;

const settle = <T>(calls: Array<Promise<T>>) => Promise.allSettled(calls);
const ok = (results: PromiseSettledResult<unknown>[]) => results.filter((r) => r.status === 'fulfilled').length;
const row = (id: number) => t.app.db.prisma.user.findUniqueOrThrow({ where: { id }, select: { uploaded: true, bonusPoints: true, freeleechTokens: true } });
const logged = async (userId: number) => {
  const rows = await t.app.db.prisma.creditLog.findMany({ where: { userId }, select: { bytes: true, points: true, tokens: true } });
  return { bytes: rows.reduce((a, r) => a + r.bytes, 0n), points: rows.reduce((a, r) => a + r.points, 0), tokens: rows.reduce((a, r) => a + r.tokens, 0) };
};
const member = async (name: string, uploaded: bigint) => {
  const m = await createMember(t.app, name);
  await t.app.db.prisma.user.update({ where: { id: m.id }, data: { uploaded, userClass: 'Member' } });
  return { id: m.id, staff: false };
};
const input = (bounty: bigint) => ({ name: 'Wanted thing', categoryId: category, description: '', links: '', bounty });

before(async () => {
  t = await buildTestApp({ clock });
  await createMember(t.app, 'boss');
  category = await firstCategoryId(t.app);
});

after(async () => {
  await t.close();
});

describe('economy under concurrency', () => {
  it('pays a bounty once when the requester confirms the same fill many times at once', async () => {
    const [asker, filler] = [await member('c-asker', 10n * GIB), await member('c-filler', 0n)];
    const id = await createRequest({ app: t.app, actor: asker, input: input(GIB) });
    const release = await addTrackedRelease(t.app);
    await fillRequest({ app: t.app, actor: filler, requestId: id, releaseId: release.id });
    const results = await settle(Array.from({ length: 8 }, () => confirmFill({ app: t.app, actor: asker, requestId: id })));
    assert.equal(ok(results), 1);
    assert.equal((await row(filler.id)).uploaded, GIB);
    assert.equal((await logged(filler.id)).bytes, GIB);
  });

  it('either refunds or keeps a fill when a withdrawal races a fill, never both', async () => {
    const [asker, filler] = [await member('r-asker', 10n * GIB), await member('r-filler', 0n)];
    const id = await createRequest({ app: t.app, actor: asker, input: input(GIB) });
    const release = await addTrackedRelease(t.app);
    const [withdrawn, filled] = await settle([withdrawRequest({ app: t.app, actor: asker, requestId: id }), fillRequest({ app: t.app, actor: filler, requestId: id, releaseId: release.id })]);
    assert.equal([withdrawn, filled].filter((r) => r.status === 'fulfilled').length, 1);
    const request = await t.app.db.prisma.request.findUniqueOrThrow({ where: { id }, select: { status: true } });
    const uploaded = (await row(asker.id)).uploaded;
    if (withdrawn.status === 'fulfilled') assert.deepEqual([request.status, uploaded], ['withdrawn', 10n * GIB]);
    else assert.deepEqual([request.status, uploaded], ['filled', 9n * GIB]);
    assert.equal(10n * GIB + (await logged(asker.id)).bytes, uploaded, 'the log matches the balance');
  });

  it('never lets parallel bounties from one member overdraw their credited upload', async () => {
    const [asker, giver] = [await member('b-asker', 10n * GIB), await member('b-giver', 350n * MIB)];
    const id = await createRequest({ app: t.app, actor: asker, input: input(100n * MIB) });
    const results = await settle(Array.from({ length: 10 }, () => addBounty({ app: t.app, actor: giver, requestId: id, amount: 100n * MIB })));
    assert.equal(ok(results), 3);
    assert.equal((await row(giver.id)).uploaded, 50n * MIB);
    assert.equal((await logged(giver.id)).bytes, -300n * MIB);
  });

  it('never spends points or tokens that are not there under parallel purchases and spends', async () => {
    const buyer = await member('p-buyer', 0n);
    await t.app.db.prisma.user.update({ where: { id: buyer.id }, data: { bonusPoints: 3000 } });
    const bought = await settle(Array.from({ length: 10 }, () => buyItem({ app: t.app, userId: buyer.id, key: 'token' })));
    assert.equal(ok(bought), 2, '1500 points each');
    const releases = await Promise.all(Array.from({ length: 6 }, () => addTrackedRelease(t.app)));
    const spent = await settle(releases.map((r) => spendToken({ app: t.app, userId: buyer.id, releaseId: r.id })));
    assert.equal(ok(spent), 2);
    const after = await row(buyer.id);
    assert.deepEqual([after.bonusPoints, after.freeleechTokens], [0, 0]);
    const log = await logged(buyer.id);
    assert.deepEqual([log.points, log.tokens], [-3000, 0]);
  });
});
