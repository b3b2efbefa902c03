import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../src/clock.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { linkIn, SmtpSink } from '../helpers/smtp-sink.js';
import { fieldError, WebClient } from '../helpers/web.js';

/** The page without its per-request CSRF token: what a visitor could compare between answers. */
const sameShape = (html: string): string => html.replace(/name="_csrf" value="[^"]+"/g, '');

describe('password recovery by e-mail', () => {
  let t: TestApp;
  let sink: SmtpSink;
  const clock = new FakeClock(Date.UTC(2026, 10, 1));
  let aliceId = 0;
  let ip = 0;
  /** Each anonymous visitor from a new address, so the per-address limit only bites where tested. */
  const visitor = () => new WebClient(t.app, `10.1.0.${++ip}`);
  const resetsOf = (userId: number) => t.db.prisma.accountToken.count({ where: { userId, purpose: 'reset' } });

  before(async () => {
    sink = new SmtpSink();
    const smtpUrl = await sink.start();
    t = await buildTestApp({ clock, config: { smtpUrl, mailFrom: 'seedkeep <noreply@tracker.test>' } });
    await new WebClient(t.app, '10.0.0.1').register('founder');
    await new WebClient(t.app, '10.0.0.2').register('bob', { email: 'bob@example.org' });
    await new WebClient(t.app, '10.0.0.3').register('alice', { email: 'Alice@Example.org' });
    aliceId = (await t.db.prisma.user.findUniqueOrThrow({ where: { usernameLower: 'alice' } })).id;
  });
  after(async () => {
    await t.close();
    await sink.close();
  });

  it('links to "Forgot your password?" from the login page', async () => {
    const login = await visitor().get('/login');
    assert.match(login.body, /href="\/forgot"/);
    const forgot = await visitor().get('/forgot');
    assert.equal(forgot.statusCode, 200);
    assert.match(forgot.body, /name="who"/);
  });

  it('verifies an address through the link mailed to it, and only then', async () => {
    const alice = new WebClient(t.app, '10.0.0.3');
    await alice.login('alice');
    const settings = await alice.get(`/users/${aliceId}/settings`);
    assert.match(settings.body, /is not verified yet/);
    const noMail = await visitor().post('/forgot', { who: 'alice' }, '/forgot');
    assert.equal(noMail.statusCode, 200);
    assert.equal(await resetsOf(aliceId), 0, 'an unverified address receives no reset link');

    const sent = await alice.post(`/users/${aliceId}/email/verify`, {}, `/users/${aliceId}/settings`);
    assert.equal(sent.statusCode, 303);
    const mail = await sink.waitFor(1);
    assert.match(mail.to, /^alice@example\.org$/i);
    assert.match(mail.from, /noreply@tracker\.test/);
    const link = linkIn(mail, 'verify-email');
    const stranger = visitor();
    const page = await stranger.get(link);
    assert.equal(page.statusCode, 200, 'the link opens in any browser, logged in or not');
    assert.equal((await t.db.prisma.user.findUniqueOrThrow({ where: { id: aliceId } })).emailVerifiedAt, null, 'opening the link alone verifies nothing');
    const confirmed = await stranger.post(link, {}, link);
    assert.equal(confirmed.statusCode, 303);
    assert.ok((await t.db.prisma.user.findUniqueOrThrow({ where: { id: aliceId } })).emailVerifiedAt);
    assert.equal((await stranger.get(link)).statusCode, 410, 'a verification link works once');
    assert.match((await alice.get(`/users/${aliceId}/settings`)).body, /is verified/);
  });

  it('mails a reset link that sets a new password once and ends every session', async () => {
    const laptop = new WebClient(t.app, '10.0.0.3');
    const phone = new WebClient(t.app, '10.0.0.4');
    await laptop.login('alice');
    await phone.login('alice');
    const before = sink.mails.length;
    const answer = await visitor().post('/forgot', { who: 'ALICE@example.ORG' }, '/forgot');
    assert.equal(answer.statusCode, 200);
    assert.match(answer.body, /id="forgot-sent"/);
    const mail = await sink.waitFor(before + 1);
    assert.match(mail.subject, /reset your password/);
    const link = linkIn(mail, 'reset');
    assert.equal(await t.db.prisma.accountToken.count({ where: { id: link.split('/').pop() } }), 0, 'the table keeps only a hash of the token');

    const browser = visitor();
    const form = await browser.get(link);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /alice/);
    const done = await browser.post(link, { password: 'a brand new password', confirm: 'a brand new password' }, link);
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/login');
    assert.equal(await t.db.prisma.session.count({ where: { userId: aliceId } }), 0, 'every session ended');
    assert.equal((await laptop.get(`/users/${aliceId}/settings`)).statusCode, 302, 'the old session now goes to the login page');
    assert.equal((await new WebClient(t.app, '10.0.0.5').login('alice')).statusCode, 401, 'the old password no longer works');
    assert.equal((await new WebClient(t.app, '10.0.0.5').login('alice', 'a brand new password')).statusCode, 303);

    assert.equal((await browser.get(link)).statusCode, 410, 'a used link is dead');
    const again = await browser.post(link, { password: 'another new password', confirm: 'another new password' }, '/forgot');
    assert.equal(again.statusCode, 410);
  });

  it('answers the same page and status for an unknown name, an unverified address and a real account', async () => {
    const mailed = sink.mails.length;
    const answers = [];
    for (const who of ['nobody-here', 'bob', 'bob@example.org', 'alice', 'nobody@example.org', '']) {
      const response = await visitor().post('/forgot', { who }, '/forgot');
      answers.push({ status: response.statusCode, body: sameShape(response.body) });
    }
    for (const answer of answers) assert.deepEqual(answer, answers[0]);
    const bob = await t.db.prisma.user.findUniqueOrThrow({ where: { usernameLower: 'bob' } });
    assert.equal(await resetsOf(bob.id), 0);
    await sink.waitFor(mailed + 1); // alice's: mails are sent after the answer, so let it land
  });

  it('refuses an expired link (by the app clock) and leaves the password alone', async () => {
    clock.advance(2 * 60 * 60 * 1000);
    const before = sink.mails.length;
    await visitor().post('/forgot', { who: 'alice' }, '/forgot');
    const link = linkIn(await sink.waitFor(before + 1), 'reset');
    const browser = visitor();
    const form = await browser.get(link);
    assert.equal(form.statusCode, 200);
    clock.advance(61 * 60 * 1000);
    assert.equal((await browser.get(link)).statusCode, 410);
    // The link's page has no form any more: the CSRF token comes from another page.
    const posted = await browser.post(link, { password: 'too late password', confirm: 'too late password' }, '/forgot');
    assert.equal(posted.statusCode, 410);
    assert.equal((await new WebClient(t.app, '10.0.0.6').login('alice', 'a brand new password')).statusCode, 303);
  });

  it('mails at most three reset links an hour per account, whatever address asks', async () => {
    clock.advance(2 * 60 * 60 * 1000);
    const since = new Date(clock.now() - 1);
    const mailed = sink.mails.length;
    const pages = [];
    for (let i = 0; i < 5; i++) {
      const response = await visitor().post('/forgot', { who: 'alice' }, '/forgot');
      pages.push({ status: response.statusCode, body: sameShape(response.body) });
    }
    for (const page of pages) assert.deepEqual(page, pages[0], 'the limit does not show');
    assert.equal(await t.db.prisma.accountToken.count({ where: { userId: aliceId, purpose: 'reset', createdAt: { gt: since } } }), 3);
    await sink.waitFor(mailed + 3);
  });

  it('rate limits the form per address', async () => {
    const same = new WebClient(t.app, '10.2.0.1');
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await same.post('/forgot', { who: 'nobody' }, '/forgot')).statusCode);
    assert.ok(statuses.includes(429), statuses.join(','));
  });

  it('refuses a reset without a CSRF token, and a password that breaks the registration rules', async () => {
    clock.advance(2 * 60 * 60 * 1000);
    const before = sink.mails.length;
    await visitor().post('/forgot', { who: 'alice' }, '/forgot');
    const link = linkIn(await sink.waitFor(before + 1), 'reset');
    const browser = visitor();
    assert.equal((await browser.post(link, { password: 'csrf-less password', confirm: 'csrf-less password' }, false)).statusCode, 403);
    const short = await browser.post(link, { password: 'short', confirm: 'short' }, link);
    assert.equal(short.statusCode, 400);
    assert.match(fieldError(short.body, 'password') ?? '', /at least 10/);
    const differ = await browser.post(link, { password: 'long enough one', confirm: 'long enough two' }, link);
    assert.equal(differ.statusCode, 400);
    assert.match(fieldError(differ.body, 'confirm') ?? '', /differ/);
    assert.equal((await browser.get(link)).statusCode, 200, 'a refused form does not spend the link');
  });

  it('answers hostile tokens with a 4xx page', async () => {
    const browser = visitor();
    for (const path of ['/reset/abc', `/reset/${'A'.repeat(43)}`, `/reset/${'x'.repeat(5000)}`, '/reset/%00%ff', '/verify-email/..%2F..', `/verify-email/${'A'.repeat(43)}`]) {
      const response = await browser.get(path);
      assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${path}: ${response.statusCode}`);
    }
  });

  it('forgets the verification when the member changes the address', async () => {
    const alice = new WebClient(t.app, '10.0.0.7');
    await alice.login('alice', 'a brand new password');
    const saved = await alice.post(`/users/${aliceId}/settings`, { announceTiers: 'http_only', email: 'alice@elsewhere.org' }, `/users/${aliceId}/settings`);
    assert.equal(saved.statusCode, 303);
    assert.equal((await t.db.prisma.user.findUniqueOrThrow({ where: { id: aliceId } })).emailVerifiedAt, null);
  });

  it('lets only the member ask for their own verification link', async () => {
    const bob = new WebClient(t.app, '10.0.0.8');
    await bob.login('bob');
    const response = await bob.post(`/users/${aliceId}/email/verify`, {}, '/forgot');
    assert.equal(response.statusCode, 403);
  });
});
