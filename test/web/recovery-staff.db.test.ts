import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../src/clock.js';
import { issueToken } from '../../src/web/auth/recovery/account-tokens.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { WebClient } from '../helpers/web.js';

const RESET_LINK = /\/reset\/[A-Za-z0-9_-]{43}/;

describe('password recovery without e-mail, through staff', () => {
  let t: TestApp;
  const clock = new FakeClock(Date.UTC(2026, 10, 1));
  let admin: WebClient;
  const ids: Record<string, number> = {};

  before(async () => {
    t = await buildTestApp({ clock });
    admin = new WebClient(t.app, '10.0.0.1');
    await admin.register('founder');
    for (const [i, name] of ['carol', 'mod', 'dave'].entries()) {
      await new WebClient(t.app, `10.0.0.${i + 2}`).register(name, { email: `${name}@example.org` });
      ids[name] = (await t.db.prisma.user.findUniqueOrThrow({ where: { usernameLower: name } })).id;
    }
    ids.founder = (await t.db.prisma.user.findUniqueOrThrow({ where: { usernameLower: 'founder' } })).id;
    await t.db.prisma.user.update({ where: { id: ids.mod }, data: { role: 'moderator' } });
  });
  after(() => t.close());

  it('says on the forgot-password page that recovery goes through staff, and sends nothing', async () => {
    const visitor = new WebClient(t.app, '10.3.0.1');
    const page = await visitor.get('/forgot');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /id="forgot-staff"/);
    assert.doesNotMatch(page.body, /name="who"/);
    const posted = await visitor.post('/forgot', { who: 'carol' }, '/login');
    assert.equal(posted.statusCode, 200);
    assert.equal(await t.db.prisma.accountToken.count(), 0);
    const carol = new WebClient(t.app, '10.0.0.2');
    await carol.login('carol');
    const settings = await carol.get(`/users/${ids.carol}/settings`);
    assert.doesNotMatch(settings.body, /Send a verification link/);
    assert.equal((await carol.post(`/users/${ids.carol}/email/verify`, {}, `/users/${ids.carol}/settings`)).statusCode, 409);
  });

  it('lets staff issue a reset link with a reason, logged, shown once, ending the member’s sessions when used', async () => {
    const carol = new WebClient(t.app, '10.0.0.2');
    await carol.login('carol');
    const page = `/admin/users/${ids.carol}`;
    const noReason = await admin.post(`${page}/reset-link`, { 'reset-link-reason': '' }, page);
    assert.equal(noReason.statusCode, 400);
    assert.equal(await t.db.prisma.accountToken.count(), 0);

    const issued = await admin.post(`${page}/reset-link`, { 'reset-link-reason': 'lost password, asked on IRC' }, page);
    assert.equal(issued.statusCode, 303);
    const shown = await admin.get(page);
    const link = RESET_LINK.exec(shown.body)?.[0];
    assert.ok(link, 'the link is on the next page');
    assert.doesNotMatch((await admin.get(page)).body, RESET_LINK, 'and only once');
    const log = await t.db.prisma.moderationLog.findFirstOrThrow({ where: { action: 'issue_reset_link', targetUserId: ids.carol } });
    assert.equal(log.actorId, ids.founder);
    assert.equal(log.reason, 'lost password, asked on IRC');
    assert.doesNotMatch(JSON.stringify(log), new RegExp(link.split('/').pop()!), 'the log keeps no token');

    clock.advance(23 * 60 * 60 * 1000); // a staff link lasts a day
    const browser = new WebClient(t.app, '10.3.0.2');
    assert.equal((await browser.get(link)).statusCode, 200);
    const done = await browser.post(link, { password: 'carol is back again', confirm: 'carol is back again' }, link);
    assert.equal(done.statusCode, 303);
    assert.equal((await carol.get(`/users/${ids.carol}/settings`)).statusCode, 302, 'the old session ended');
    assert.equal((await new WebClient(t.app, '10.3.0.3').login('carol', 'carol is back again')).statusCode, 303);
    assert.equal((await browser.get(link)).statusCode, 410);
  });

  it('lets a moderator issue links for members but not for staff, and members not at all', async () => {
    const mod = new WebClient(t.app, '10.0.0.3');
    await mod.login('mod');
    const forMember = await mod.post(`/admin/users/${ids.dave}/reset-link`, { 'reset-link-reason': 'forgot it' }, `/admin/users/${ids.dave}`);
    assert.equal(forMember.statusCode, 303);
    const forAdmin = await mod.post(`/admin/users/${ids.founder}/reset-link`, { 'reset-link-reason': 'take over' }, `/admin/users/${ids.dave}`);
    assert.equal(forAdmin.statusCode, 403);
    const dave = new WebClient(t.app, '10.0.0.4');
    await dave.login('dave');
    const byMember = await dave.post(`/admin/users/${ids.carol}/reset-link`, { 'reset-link-reason': 'please' }, `/users/${ids.dave}/settings`);
    assert.equal(byMember.statusCode, 403);
    assert.equal(await t.db.prisma.accountToken.count({ where: { userId: { in: [ids.founder, ids.carol] }, usedAt: null } }), 0);
  });
});

describe('sessions page', () => {
  let t: TestApp;
  const clock = new FakeClock(Date.UTC(2026, 10, 1));
  let aliceId = 0;
  const sessionIds = (html: string): string[] => [...html.matchAll(/name="session" value="([0-9a-f]{64})"/g)].map((m) => m[1]);

  before(async () => {
    t = await buildTestApp({ clock });
    await new WebClient(t.app, '10.0.0.1').register('founder');
    await new WebClient(t.app, '10.0.0.2').register('alice');
    await new WebClient(t.app, '10.0.0.3').register('bob');
    aliceId = (await t.db.prisma.user.findUniqueOrThrow({ where: { usernameLower: 'alice' } })).id;
  });
  after(() => t.close());

  it('lists each live session with its address, and is linked from the settings', async () => {
    const laptop = new WebClient(t.app, '192.0.2.10');
    const phone = new WebClient(t.app, '198.51.100.20');
    await laptop.login('alice');
    await phone.login('alice');
    assert.match((await laptop.get(`/users/${aliceId}/settings`)).body, new RegExp(`href="/users/${aliceId}/sessions"`));
    const page = await laptop.get(`/users/${aliceId}/sessions`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /192\.0\.2\.10/);
    assert.match(page.body, /198\.51\.100\.20/);
    assert.match(page.body, /\(this browser\)/);
    assert.ok(sessionIds(page.body).length >= 2);
  });

  it('ends one chosen session, then all the others, keeping this one', async () => {
    const laptop = new WebClient(t.app, '192.0.2.11');
    const phone = new WebClient(t.app, '198.51.100.21');
    const tablet = new WebClient(t.app, '203.0.113.5');
    for (const browser of [laptop, phone, tablet]) await browser.login('alice');
    const url = `/users/${aliceId}/sessions`;
    const phoneRow = (await t.db.prisma.session.findFirstOrThrow({ where: { userId: aliceId, ip: '198.51.100.21' } })).id;
    const ended = await laptop.post(`${url}/revoke`, { session: phoneRow }, url);
    assert.equal(ended.statusCode, 303);
    assert.equal((await phone.get(url)).statusCode, 302, 'the phone is logged out');
    assert.equal((await tablet.get(url)).statusCode, 200);

    const others = await laptop.post(`${url}/revoke-others`, {}, url);
    assert.equal(others.statusCode, 303);
    assert.equal((await tablet.get(url)).statusCode, 302);
    assert.equal(await t.db.prisma.session.count({ where: { userId: aliceId } }), 1);
    const left = await laptop.get(url);
    assert.equal(left.statusCode, 200, 'this browser stays logged in');
    assert.deepEqual(sessionIds(left.body).length, 1);
  });

  it('logs out when the member ends the session they are using', async () => {
    const browser = new WebClient(t.app, '192.0.2.12');
    await browser.login('alice');
    const url = `/users/${aliceId}/sessions`;
    const mine = (await t.db.prisma.session.findFirstOrThrow({ where: { userId: aliceId, ip: '192.0.2.12' } })).id;
    const response = await browser.post(`${url}/revoke`, { session: mine }, url);
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/login');
    assert.equal((await browser.get(url)).statusCode, 302);
  });

  it('keeps another member’s sessions out of reach (403), and answers bad input with a 4xx', async () => {
    const alice = new WebClient(t.app, '192.0.2.13');
    await alice.login('alice');
    const aliceSession = (await t.db.prisma.session.findFirstOrThrow({ where: { userId: aliceId, ip: '192.0.2.13' } })).id;
    const bob = new WebClient(t.app, '10.0.0.3');
    await bob.login('bob');
    const bobId = (await t.db.prisma.user.findUniqueOrThrow({ where: { usernameLower: 'bob' } })).id;
    assert.equal((await bob.get(`/users/${aliceId}/sessions`)).statusCode, 403);
    assert.equal((await bob.post(`/users/${aliceId}/sessions/revoke`, { session: aliceSession }, `/users/${bobId}/sessions`)).statusCode, 403);
    assert.equal((await bob.post(`/users/${aliceId}/sessions/revoke-others`, {}, `/users/${bobId}/sessions`)).statusCode, 403);
    const own = await bob.post(`/users/${bobId}/sessions/revoke`, { session: aliceSession }, `/users/${bobId}/sessions`);
    assert.equal(own.statusCode, 303, 'through his own page a guessed id ends nothing');
    assert.equal(await t.db.prisma.session.count({ where: { id: aliceSession } }), 1);

    assert.equal((await bob.get('/users/abc/sessions')).statusCode, 404);
    assert.equal((await bob.post(`/users/${bobId}/sessions/revoke`, { session: 'not-a-session' }, `/users/${bobId}/sessions`)).statusCode, 400);
    assert.equal((await bob.post(`/users/${bobId}/sessions/revoke-others`, {}, false)).statusCode, 403, 'no CSRF token');
    assert.equal((await new WebClient(t.app, '10.9.9.9').get(`/users/${aliceId}/sessions`)).statusCode, 302, 'anonymous: to the login page');
  });

  it('ends the other sessions and voids reset links when the member changes their password', async () => {
    const link = `/reset/${await issueToken(t.db.prisma, { userId: aliceId, purpose: 'reset', now: clock.now(), ttlMs: 3600_000 })}`;
    const one = new WebClient(t.app, '192.0.2.14');
    const two = new WebClient(t.app, '192.0.2.15');
    await one.login('alice');
    await two.login('alice');
    const url = `/users/${aliceId}/settings`;
    const changed = await one.post(`/users/${aliceId}/password`, { current: 'alice-password-1', password: 'alice new password', confirm: 'alice new password' }, url);
    assert.equal(changed.statusCode, 303);
    assert.equal((await two.get(url)).statusCode, 302);
    assert.equal((await one.get(url)).statusCode, 200);
    assert.equal(await t.db.prisma.session.count({ where: { userId: aliceId } }), 1);
    assert.equal((await two.get(link)).statusCode, 410, 'a reset link from before the change is dead');
  });
});
