import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../src/clock.js';
import { totpCodeAt } from '../../src/web/two-factor/totp.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { WebClient } from '../helpers/web.js';

const SECRET = /id="totp-secret">([A-Z2-7 ]+)</;
const CODES = /<li><code>([a-z2-7]{5}-[a-z2-7]{5})<\/code><\/li>/g;

describe('two-factor login', () => {
  let t: TestApp;
  const clock = new FakeClock(Date.UTC(2026, 10, 2, 12, 0, 0));
  const ids: Record<string, number> = {};
  let secret = '';
  let recovery: string[] = [];

  const idOf = async (name: string) => (await t.db.prisma.user.findUniqueOrThrow({ where: { usernameLower: name } })).id;
  const code = (offsetMs = 0) => totpCodeAt(secret, clock.now() + offsetMs);
  /** Logs in with the password; the next page asks for the code. */
  async function passwordStep(client: WebClient, name: string) {
    const res = await client.login(name);
    assert.equal(res.statusCode, 303);
    assert.match(res.headers.location as string, /^\/login\/two-factor/);
    return res;
  }

  before(async () => {
    t = await buildTestApp({ clock });
    for (const [i, name] of ['founder', 'ana', 'boris'].entries()) {
      await new WebClient(t.app, `10.1.0.${i + 1}`).register(name);
      ids[name] = await idOf(name);
    }
  });
  after(() => t.close());

  it('enrols with a QR code drawn as SVG, refuses a wrong code, and shows ten recovery codes once', async () => {
    const ana = new WebClient(t.app, '10.1.0.2');
    await ana.login('ana');
    const other = new WebClient(t.app, '10.1.9.9');
    await other.login('ana');
    const page = await ana.get(`/users/${ids.ana}/two-factor`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<figure class="qr" id="totp-qr"><svg [^>]*viewBox/);
    assert.doesNotMatch(page.body, /<script/);
    secret = SECRET.exec(page.body)![1].replace(/ /g, '');
    assert.equal((await ana.get(`/users/${ids.ana}/two-factor`)).body.match(SECRET)![1].replace(/ /g, ''), secret, 'a reload shows the same secret');

    const wrong = await ana.post(`/users/${ids.ana}/two-factor/enable`, { code: '000000' === code() ? '111111' : '000000' }, `/users/${ids.ana}/two-factor`);
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /id="code-error"/);

    const ok = await ana.post(`/users/${ids.ana}/two-factor/enable`, { code: code() }, `/users/${ids.ana}/two-factor`);
    assert.equal(ok.statusCode, 200);
    recovery = [...ok.body.matchAll(CODES)].map((m) => m[1]);
    assert.equal(recovery.length, 10);
    assert.equal(new Set(recovery).size, 10);
    const stored = await t.db.prisma.recoveryCode.findMany({ where: { userId: ids.ana } });
    assert.equal(stored.length, 10);
    for (const row of stored) {
      assert.match(row.codeHash, /^\$argon2id\$/);
      assert.ok(!recovery.some((c) => row.codeHash.includes(c)));
    }
    const manage = await ana.get(`/users/${ids.ana}/two-factor`);
    assert.match(manage.body, /10 unused recovery codes left/);
    assert.equal([...manage.body.matchAll(CODES)].length, 0, 'the codes are not shown again');
    assert.equal((await other.get(`/users/${ids.ana}/settings`)).statusCode, 302, 'the other session ended');
  });

  it('asks for a code after the password; the half-logged-in state is not a session', async () => {
    clock.advance(60_000);
    const ana = new WebClient(t.app, '10.1.1.1');
    await passwordStep(ana, 'ana');
    assert.equal((await ana.get(`/users/${ids.ana}`)).statusCode, 302, 'no profile without the second step');
    assert.equal((await ana.get('/login/two-factor')).statusCode, 200);
    const wrong = await ana.post('/login/two-factor', { code: '12345' }, '/login/two-factor');
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.body, /not right/);
    const done = await ana.post('/login/two-factor', { code: code(), next: `/users/${ids.ana}` }, '/login/two-factor');
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, `/users/${ids.ana}`);
    assert.equal((await ana.get(`/users/${ids.ana}`)).statusCode, 200);
    assert.equal((await ana.get('/login/two-factor')).headers.location, '/', 'nothing to do once logged in');
  });

  it('refuses a code already used, even within its 30 seconds, and a challenge used once', async () => {
    const used = code();
    const again = new WebClient(t.app, '10.1.1.2');
    await passwordStep(again, 'ana');
    const reused = await again.post('/login/two-factor', { code: used }, '/login/two-factor');
    assert.equal(reused.statusCode, 401);
    clock.advance(30_000);
    const challenge = again.cookieHeader.split('; ').find((c) => c.startsWith('sk_login2fa='))!;
    assert.equal((await again.post('/login/two-factor', { code: code() }, '/login/two-factor')).statusCode, 303);
    // the spent challenge, replayed without the session it made, sends back to the password
    const replay = await t.app.inject({ method: 'GET', url: '/login/two-factor', headers: { cookie: challenge }, remoteAddress: '10.1.1.2' });
    assert.equal(replay.headers.location, '/login');
  });

  it('lets a challenge expire after five minutes', async () => {
    clock.advance(60_000);
    const slow = new WebClient(t.app, '10.1.1.3');
    await passwordStep(slow, 'ana');
    const form = await slow.csrf('/login/two-factor');
    clock.advance(6 * 60_000);
    const late = await t.app.inject({
      method: 'POST', url: '/login/two-factor', remoteAddress: '10.1.1.3',
      headers: { cookie: slow.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: form, code: code() }).toString(),
    });
    assert.equal(late.statusCode, 303);
    assert.equal(late.headers.location, '/login');
    assert.equal((await slow.get(`/users/${ids.ana}`)).statusCode, 302);
  });

  it('accepts each recovery code once', async () => {
    clock.advance(60_000);
    const first = new WebClient(t.app, '10.1.1.4');
    await passwordStep(first, 'ana');
    const ok = await first.post('/login/two-factor', { code: recovery[0].toUpperCase().replace('-', ' ') }, '/login/two-factor');
    assert.equal(ok.statusCode, 303);
    assert.match((await first.get('/')).body, /You used a recovery code: 9 left/);
    const second = new WebClient(t.app, '10.1.1.5');
    await passwordStep(second, 'ana');
    assert.equal((await second.post('/login/two-factor', { code: recovery[0] }, '/login/two-factor')).statusCode, 401);
  });

  it('counts wrong codes in the login throttle: five lock the account whatever the address', async () => {
    clock.advance(16 * 60_000); // past the earlier specs' wrong codes
    for (let i = 0; i < 5; i++) {
      const guesser = new WebClient(t.app, `10.2.0.${i + 1}`);
      await passwordStep(guesser, 'ana');
      assert.equal((await guesser.post('/login/two-factor', { code: '000001' }, '/login/two-factor')).statusCode, 401);
    }
    const locked = new WebClient(t.app, '10.2.1.1');
    const refused = await locked.login('ana');
    assert.equal(refused.statusCode, 429, 'the password step is locked too');
    assert.match(refused.body, /Too many failed attempts/);
    clock.advance(16 * 60_000);
    const later = new WebClient(t.app, '10.2.1.2');
    await passwordStep(later, 'ana');
    assert.equal((await later.post('/login/two-factor', { code: code() }, '/login/two-factor')).statusCode, 303);
  });

  it('refuses every two-factor form without a CSRF token, and another member’s page', async () => {
    const ana = new WebClient(t.app, '10.1.1.6');
    clock.advance(60_000);
    await passwordStep(ana, 'ana');
    await ana.post('/login/two-factor', { code: code() }, '/login/two-factor');
    for (const action of ['enable', 'disable', 'recovery-codes']) {
      assert.equal((await ana.post(`/users/${ids.ana}/two-factor/${action}`, { code: '123456' }, false)).statusCode, 403, action);
    }
    assert.equal((await ana.post('/login/two-factor', { code: '123456' }, false)).statusCode, 403);
    assert.equal((await ana.get(`/users/${ids.boris}/two-factor`)).statusCode, 403);
  });

  it('makes new recovery codes only with a code from the app', async () => {
    clock.advance(60_000);
    const ana = new WebClient(t.app, '10.1.1.7');
    await passwordStep(ana, 'ana');
    await ana.post('/login/two-factor', { code: code() }, '/login/two-factor');
    const page = `/users/${ids.ana}/two-factor`;
    assert.equal((await ana.post(`${page}/recovery-codes`, { 'renew-code': recovery[1] }, page)).statusCode, 400);
    clock.advance(30_000);
    const renewed = await ana.post(`${page}/recovery-codes`, { 'renew-code': code() }, page);
    assert.equal(renewed.statusCode, 200);
    recovery = [...renewed.body.matchAll(CODES)].map((m) => m[1]);
    assert.equal(recovery.length, 10);
    assert.equal(await t.db.prisma.recoveryCode.count({ where: { userId: ids.ana } }), 10);
  });

  it('turns off only with the password and a code, and ends the other sessions', async () => {
    clock.advance(60_000);
    const ana = new WebClient(t.app, '10.1.1.8');
    await passwordStep(ana, 'ana');
    await ana.post('/login/two-factor', { code: code() }, '/login/two-factor');
    const other = new WebClient(t.app, '10.1.1.9');
    clock.advance(30_000);
    await passwordStep(other, 'ana');
    await other.post('/login/two-factor', { code: code() }, '/login/two-factor');
    const page = `/users/${ids.ana}/two-factor`;
    const noPassword = await ana.post(`${page}/disable`, { 'disable-password': 'wrong-password', 'disable-code': recovery[0] }, page);
    assert.equal(noPassword.statusCode, 400);
    assert.match(noPassword.body, /id="disable-password-error"/);
    const badCode = await ana.post(`${page}/disable`, { 'disable-password': 'ana-password-1', 'disable-code': '99999' }, page);
    assert.equal(badCode.statusCode, 400);
    assert.equal((await ana.post(`${page}/disable`, { 'disable-password': 'ana-password-1', 'disable-code': recovery[0] }, page)).statusCode, 303);
    assert.equal(await t.db.prisma.recoveryCode.count({ where: { userId: ids.ana } }), 0);
    assert.equal((await other.get(`/users/${ids.ana}/settings`)).statusCode, 302, 'the other session ended');
    assert.equal((await ana.get(`/users/${ids.ana}/settings`)).statusCode, 200, 'this one stays');
    const plain = new WebClient(t.app, '10.1.2.1');
    assert.equal((await plain.login('ana')).headers.location, '/', 'the password alone logs in again');
  });

  it('sends staff without two-factor login to enrol when the site requires it', async () => {
    const founder = new WebClient(t.app, '10.1.0.1');
    await founder.login('founder');
    await t.app.settings.update({ staffTwoFactor: 'required' });
    try {
      const sent = await founder.get('/admin');
      assert.equal(sent.statusCode, 303);
      assert.equal(sent.headers.location, `/users/${ids.founder}/two-factor`);
      assert.match((await founder.get(`/users/${ids.founder}/two-factor`)).body, /requires two-factor login for staff/);
      assert.equal((await founder.post(`/admin/users/${ids.boris}/warn`, { 'warn-reason': 'x' }, `/users/${ids.founder}/two-factor`)).statusCode, 403);
      const boris = new WebClient(t.app, '10.1.0.3');
      await boris.login('boris');
      assert.equal((await boris.get('/releases')).statusCode, 200, 'members are not asked');
      const page = await founder.get(`/users/${ids.founder}/two-factor`);
      const own = SECRET.exec(page.body)![1].replace(/ /g, '');
      await founder.post(`/users/${ids.founder}/two-factor/enable`, { code: totpCodeAt(own, clock.now()) }, `/users/${ids.founder}/two-factor`);
      assert.equal((await founder.get('/admin')).statusCode, 200);
    } finally {
      await t.app.settings.update({ staffTwoFactor: 'optional' });
    }
  });

  it('lets staff turn off a member’s two-factor login with a reason, logged, ending their sessions', async () => {
    const boris = new WebClient(t.app, '10.1.0.3');
    await boris.login('boris');
    const page = await boris.get(`/users/${ids.boris}/two-factor`);
    const own = SECRET.exec(page.body)![1].replace(/ /g, '');
    await boris.post(`/users/${ids.boris}/two-factor/enable`, { code: totpCodeAt(own, clock.now()) }, `/users/${ids.boris}/two-factor`);
    assert.equal((await boris.get(`/users/${ids.boris}/settings`)).statusCode, 200);

    const founder = new WebClient(t.app, '10.1.0.1');
    clock.advance(30_000);
    await passwordStep(founder, 'founder');
    const founderSecret = (await t.db.prisma.user.findUniqueOrThrow({ where: { id: ids.founder } })).totpSecret!;
    await founder.post('/login/two-factor', { code: totpCodeAt(founderSecret, clock.now()) }, '/login/two-factor');
    const admin = `/admin/users/${ids.boris}`;
    assert.match((await founder.get(admin)).body, /Turn off two-factor login/);
    assert.equal((await founder.post(`${admin}/two-factor`, { 'two-factor-reason': '' }, admin)).statusCode, 400);
    assert.equal((await founder.post(`${admin}/two-factor`, { 'two-factor-reason': 'lost phone, checked on IRC' }, false)).statusCode, 403);
    assert.equal((await founder.post(`${admin}/two-factor`, { 'two-factor-reason': 'lost phone, checked on IRC' }, admin)).statusCode, 303);
    const log = await t.db.prisma.moderationLog.findFirstOrThrow({ where: { action: 'reset_two_factor', targetUserId: ids.boris } });
    assert.equal(log.actorId, ids.founder);
    assert.equal((await boris.get(`/users/${ids.boris}/settings`)).statusCode, 302, 'their sessions ended');
    assert.equal((await new WebClient(t.app, '10.1.0.3').login('boris')).headers.location, '/');
  });
});
