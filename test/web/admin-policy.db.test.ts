// The ratio policy end to end: the job puts a member on watch, withdraws leeching when the
// deadline passes (the tracker refuses their next leeching announce and still credits a
// seeding one), and gives the right back once they have uploaded enough. Also the ratio
// gamble, hit-and-run marks, bonus accrual and exchange, site stats and the timed freeleech.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/clock.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { addTrackedRelease, announce, flashOf, postForm } from '../helpers/admin.js';
import { createMember, type Member } from '../helpers/releases.js';

const GIB = 1024n ** 3n;
const DAY = 86_400_000;
const HOUR = 3_600_000;

let t: TestApp;
const clock = new FakeClock(Date.UTC(2026, 2, 1, 12));
let admin: Member;

async function userRow(id: number) {
  return t.app.db.prisma.user.findUniqueOrThrow({
    where: { id },
    select: { canLeech: true, leechWithdrawnBy: true, watchDeadline: true, watchDownloaded: true, requiredRatio: true, uploaded: true, downloaded: true, bonusPoints: true },
  });
}

async function logActions(userId: number): Promise<string[]> {
  const rows = await t.app.db.prisma.moderationLog.findMany({ where: { targetUserId: userId }, select: { action: true, actorId: true }, orderBy: { id: 'asc' } });
  for (const r of rows.filter((r) => r.action.startsWith('watch') || r.action.startsWith('leech'))) assert.equal(r.actorId, null, 'policy changes are logged as the system');
  return rows.map((r) => r.action);
}

before(async () => {
  t = await buildTestApp({ clock });
  admin = await createMember(t.app, 'boss');
});

after(async () => {
  await t.close();
});

describe('ratio watch through the job and the tracker', () => {
  let alice: Member;
  let seedRelease: { id: number; hash: Buffer };
  let leechRelease: { id: number; hash: Buffer };

  before(async () => {
    alice = await createMember(t.app, 'alice');
    // 30 GiB downloaded, 1 GiB up, nothing snatched: the 30-40 band requires 0.4.
    await t.app.db.prisma.user.update({ where: { id: alice.id }, data: { downloaded: 30n * GIB, uploaded: 1n * GIB } });
    seedRelease = await addTrackedRelease(t.app, { size: 20n * GIB });
    leechRelease = await addTrackedRelease(t.app);
  });

  it('puts a member below the required ratio on watch and records the requirement', async () => {
    await t.app.policyJob.run();
    const row = await userRow(alice.id);
    assert.equal(row.requiredRatio, 0.4);
    assert.equal(row.watchDeadline?.getTime(), clock.now() + 14 * DAY);
    assert.equal(row.watchDownloaded, 30n * GIB);
    assert.equal(row.canLeech, true);
    assert.deepEqual(await logActions(alice.id), ['watch_start']);
  });

  it('shows the member the watch banner with the deadline', async () => {
    const res = await t.app.inject({ url: '/bonus', headers: { cookie: alice.cookie } });
    assert.match(res.body, /Ratio watch:/);
  });

  it('is idempotent: a second run changes nothing', async () => {
    await t.app.policyJob.run();
    assert.deepEqual(await logActions(alice.id), ['watch_start']);
  });

  it('withdraws leeching when the deadline passes; the tracker refuses leeching at once', async () => {
    clock.advance(14 * DAY + 1000);
    await t.app.policyJob.run();
    const row = await userRow(alice.id);
    assert.equal(row.canLeech, false);
    assert.equal(row.leechWithdrawnBy, 'ratio');
    assert.equal(row.watchDeadline, null);
    assert.equal(t.app.tracker.catalog.userById(alice.id)?.canLeech, false);
    assert.deepEqual(await logActions(alice.id), ['watch_start', 'leech_withdraw']);
    const leech = await announce(t.app, alice.passkey, leechRelease.hash, { peerId: 'L1', left: 1000n, event: 'started' });
    assert.match(leech.failure ?? '', /leeching forbidden/);
  });

  it('keeps crediting a seeding announce, and the right returns once the ratio recovers', async () => {
    const first = await announce(t.app, alice.passkey, seedRelease.hash, { peerId: 'S1', left: 0n, event: 'started' });
    assert.equal(first.failure, null);
    clock.advance(30 * 60_000);
    const second = await announce(t.app, alice.passkey, seedRelease.hash, { peerId: 'S1', left: 0n, uploaded: 12n * GIB });
    assert.equal(second.failure, null);
    await t.app.policyJob.run(); // flushes the tracker's ledger first
    const row = await userRow(alice.id);
    assert.equal(row.uploaded, 13n * GIB, 'the seeding upload was credited');
    assert.equal(row.canLeech, true);
    assert.equal(row.leechWithdrawnBy, null);
    assert.equal(t.app.tracker.catalog.userById(alice.id)?.canLeech, true);
    assert.deepEqual(await logActions(alice.id), ['watch_start', 'leech_withdraw', 'leech_restore']);
    const leech = await announce(t.app, alice.passkey, leechRelease.hash, { peerId: 'L2', left: 1000n, event: 'started' });
    assert.equal(leech.failure, null);
  });
});

describe('ratio gamble', () => {
  it('withdraws leeching at once when more than the allowance is downloaded on watch', async () => {
    const bob = await createMember(t.app, 'bob');
    await t.app.db.prisma.user.update({ where: { id: bob.id }, data: { downloaded: 20n * GIB, uploaded: 0n } });
    await t.app.policyJob.run();
    assert.notEqual((await userRow(bob.id)).watchDeadline, null);
    await t.app.db.prisma.user.update({ where: { id: bob.id }, data: { downloaded: { increment: 10n * GIB + 1n } } });
    clock.advance(HOUR);
    await t.app.policyJob.run();
    const row = await userRow(bob.id);
    assert.equal(row.canLeech, false);
    assert.equal(row.leechWithdrawnBy, 'ratio');
    const log = await t.app.db.prisma.moderationLog.findFirstOrThrow({ where: { targetUserId: bob.id, action: 'leech_withdraw' }, select: { reason: true } });
    assert.match(log.reason, /more than 10 GiB/);
  });

  it("never undoes a moderator's withdrawal", async () => {
    const carol = await createMember(t.app, 'carol');
    await t.app.db.prisma.user.update({ where: { id: carol.id }, data: { canLeech: false, leechWithdrawnBy: 'staff' } });
    await t.app.policyJob.run();
    const row = await userRow(carol.id);
    assert.equal(row.canLeech, false);
    assert.equal(row.leechWithdrawnBy, 'staff');
  });
});

describe('hit-and-run', () => {
  it('marks a completed download not seeded 72 h within 14 days, and N marks withdraw leeching', async () => {
    const dave = await createMember(t.app, 'dave');
    await t.app.db.prisma.user.update({ where: { id: dave.id }, data: { uploaded: 100n * GIB } });
    const completed = new Date(clock.now() - 15 * DAY);
    for (let i = 0; i < 3; i++) {
      const release = await addTrackedRelease(t.app, { size: 1000n });
      await t.app.db.prisma.transfer.create({
        data: { userId: dave.id, releaseId: release.id, downloadedActual: 1000n, downloaded: 1000n, seedtime: 3600, firstAnnounceAt: completed, completedAt: completed },
      });
    }
    await t.app.policyJob.run();
    const marked = await t.app.db.prisma.transfer.count({ where: { userId: dave.id, hitAndRunAt: { not: null } } });
    assert.equal(marked, 3);
    const row = await userRow(dave.id);
    assert.equal(row.canLeech, false);
    assert.equal(row.leechWithdrawnBy, 'hnr');
    const page = await t.app.inject({ url: `/admin/users/${dave.id}`, headers: { cookie: admin.cookie } });
    assert.equal((page.body.match(/badge danger">active</g) ?? []).length, 3);
  });
});

describe('bonus points', () => {
  it('pays active seeders per hour and lets them buy upload credit with a CSRF-checked form', async () => {
    const erin = await createMember(t.app, 'erin');
    const release = await addTrackedRelease(t.app, { size: 4n * GIB });
    await announce(t.app, erin.passkey, release.hash, { peerId: 'E1', left: 0n, event: 'started' });
    await t.app.tracker.flush();
    await t.app.db.prisma.release.update({ where: { id: release.id }, data: { seeders: 1 } });
    await t.app.policyJob.run(); // sets the accrual mark
    const before = (await userRow(erin.id)).bonusPoints;
    clock.advance(30 * 60_000);
    await t.app.policyJob.run();
    const earned = (await userRow(erin.id)).bonusPoints - before;
    assert.ok(Math.abs(earned - 1) < 1e-9, `4 GiB alone for half an hour earns 1 point, got ${earned}`);
    await t.app.policyJob.run();
    assert.ok(Math.abs((await userRow(erin.id)).bonusPoints - before - 1) < 1e-9, 'an immediate rerun pays nothing');

    await t.app.db.prisma.user.update({ where: { id: erin.id }, data: { bonusPoints: 150 } });
    const uploadedBefore = (await userRow(erin.id)).uploaded;
    const res = await postForm(t.app, erin, '/bonus', { points: '100' });
    assert.equal(res.statusCode, 303);
    assert.match(flashOf(res) ?? '', /100 points/);
    const after = await userRow(erin.id);
    assert.equal(after.bonusPoints, 50);
    assert.equal(after.uploaded - uploadedBefore, 100n * 1024n * 1024n);
    const tooMany = await postForm(t.app, erin, '/bonus', { points: '51' });
    assert.equal(tooMany.statusCode, 400);
    assert.match(tooMany.body, /do not have that many points/);
    const noCsrf = await postForm(t.app, erin, '/bonus', { points: '1' }, { csrf: false });
    assert.equal(noCsrf.statusCode, 403);
    assert.equal((await userRow(erin.id)).bonusPoints, 50);
  });
});

describe('site statistics and timed freeleech', () => {
  it("writes today's site_stats_daily row for the dashboard", async () => {
    await t.app.policyJob.run();
    const day = new Date(new Date(clock.now()).toISOString().slice(0, 10));
    const row = await t.app.db.prisma.siteStatsDaily.findUniqueOrThrow({ where: { day } });
    assert.equal(row.members, await t.app.db.prisma.user.count({ where: { enabled: true } }));
    assert.ok(row.releases >= 5);
    const page = await t.app.inject({ url: '/admin', headers: { cookie: admin.cookie } });
    assert.match(page.body, /<svg class="chart"/);
  });

  it('switches the site-wide freeleech off when its time has passed', async () => {
    const res = await postForm(t.app, admin, '/admin/site-freeleech', { 'site-hours': '2', 'site-reason': 'weekend event' }, { from: '/admin/releases' });
    assert.equal(res.statusCode, 303);
    assert.equal(t.app.tracker.policy().siteFreeleech, true);
    clock.advance(HOUR);
    await t.app.policyJob.run();
    assert.equal(t.app.tracker.policy().siteFreeleech, true);
    clock.advance(HOUR + 1000);
    await t.app.policyJob.run();
    assert.equal(t.app.tracker.policy().siteFreeleech, false);
    const ended = await t.app.db.prisma.moderationLog.findFirst({ where: { action: 'site_freeleech_end', actorId: null } });
    assert.ok(ended);
  });
});
