// The job's class step on a fake clock: promotion, demotion (logged, told to the member, shown
// on the profile with what the next class needs), monthly grants once per month, and hit-and-run
// immunity for the classes that have it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/clock.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createMember, type Member } from '../helpers/releases.js';

const GIB = 1024n ** 3n;
const DAY = 86_400_000;
let t: TestApp;
const clock = new FakeClock(Date.UTC(2026, 2, 10, 12));
let alice: Member;

const row = (id: number) =>
  t.app.db.prisma.user.findUniqueOrThrow({ where: { id }, select: { userClass: true, freeleechTokens: true, invitesLeft: true, perksMonth: true } });

before(async () => {
  t = await buildTestApp({ clock });
  await createMember(t.app, 'boss');
  alice = await createMember(t.app, 'alice');
  await t.app.db.prisma.user.update({ where: { id: alice.id }, data: { createdAt: new Date(clock.now() - 20 * DAY) } });
});

after(async () => {
  await t.close();
});

describe('classes in the policy job', () => {
  it('keeps a member short of every threshold in the first class, and says what the next one needs', async () => {
    const report = await t.app.policyJob.run();
    assert.equal(report.classes.promoted, 0);
    assert.equal((await row(alice.id)).userClass, 'User');
    const page = await t.app.inject({ url: `/users/${alice.id}`, headers: { cookie: alice.cookie } });
    assert.match(page.body, /<strong>User<\/strong>/);
    assert.match(page.body, /Member: needs 10\.00 GiB more uploaded \(credited\)/);
  });

  it('promotes a member who meets a class, logs it as the system and tells them', async () => {
    await t.app.db.prisma.user.update({ where: { id: alice.id }, data: { uploaded: 30n * GIB, downloaded: 20n * GIB } });
    const report = await t.app.policyJob.run();
    assert.equal(report.classes.promoted, 1);
    assert.equal((await row(alice.id)).userClass, 'Member');
    const log = await t.app.db.prisma.moderationLog.findFirstOrThrow({ where: { targetUserId: alice.id, action: 'class_promote' } });
    assert.equal(log.actorId, null);
    assert.equal(log.reason, 'User -> Member');
    const notices = await t.app.inject({ url: '/notices', headers: { cookie: alice.cookie } });
    assert.match(notices.body, /You were promoted to Member/);
    assert.match(notices.body, /aria-label="Notices, 1 unread"/, 'the header counts unread notices');
  });

  it('demotes when the ratio falls below the class minimum, and running again changes nothing', async () => {
    await t.app.db.prisma.user.update({ where: { id: alice.id }, data: { downloaded: 50n * GIB } });
    assert.equal((await t.app.policyJob.run()).classes.demoted, 1);
    assert.equal((await row(alice.id)).userClass, 'User');
    const again = await t.app.policyJob.run();
    assert.deepEqual([again.classes.promoted, again.classes.demoted], [0, 0]);
  });

  it('gives a class its tokens and invites once per UTC month, with a credit log row', async () => {
    await t.app.settings.update({ userClasses: t.app.settings.get('userClasses').map((c) => (c.name === 'User' ? { ...c, tokensPerMonth: 2, invitesPerMonth: 1 } : c)) });
    const before = await row(alice.id);
    await t.app.policyJob.run();
    // the first run of this test file already set this month: the new grant waits for the next month
    assert.equal((await row(alice.id)).freeleechTokens, before.freeleechTokens);
    clock.set(Date.UTC(2026, 3, 1, 0, 5));
    await t.app.policyJob.run();
    await t.app.policyJob.run();
    const after = await row(alice.id);
    assert.equal(after.freeleechTokens, before.freeleechTokens + 2);
    assert.equal(after.invitesLeft, before.invitesLeft + 1);
    assert.equal(after.perksMonth, '2026-04');
    const grants = await t.app.db.prisma.creditLog.findMany({ where: { userId: alice.id, kind: 'class_grant' } });
    assert.equal(grants.length, 1);
    assert.deepEqual([grants[0].tokens, grants[0].invites], [2, 1]);
  });
});
