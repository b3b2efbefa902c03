// Account security in a real browser (Debian's Chromium via playwright-core), with no help from
// the test beyond what a member has: turn on two-factor login from the settings page (the code
// comes from otpauth in the spec, as an authenticator app would make it), log out and in again
// with a code; then verify an e-mail address and recover a lost password through the mailed
// link; save a search, see the upload it matches and a site notice under the header's one
// Notifications link and count, bookmark it, and make the lists private. Screenshots go to test-artifacts/screenshots/.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import { type Browser, type Page } from 'playwright-core';
import { FakeClock } from '../../src/clock.js';
import { addNotices } from '../../src/policy/notices.js';
import type { TestApp } from '../helpers/app.js';
import { launchChromium, SHOTS, skip, serveTestApp } from '../helpers/browser.js';
import { createMember, firstCategoryId, makeTorrent, uploadOk } from '../helpers/releases.js';
import { linkIn, SmtpSink } from '../helpers/smtp-sink.js';

describe('account security in a browser', { skip, timeout: 120_000 }, () => {
  let t: TestApp;
  let sink: SmtpSink;
  let browser: Browser;
  let page: Page;
  let base: string;
  // the app's clock: moved on 30 seconds between two codes, since a code works only once
  const clock = new FakeClock(Date.now());

  before(async () => {
    sink = new SmtpSink();
    const smtpUrl = await sink.start();
    ({ t, base } = await serveTestApp({ clock, config: { smtpUrl, mailFrom: 'seedkeep <noreply@tracker.test>' } }));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.setDefaultTimeout(15_000);
  });

  after(async () => {
    await browser?.close();
    await t?.close();
    await sink?.close();
  });

  async function register(username: string, password: string, email = ''): Promise<void> {
    await page.goto(`${base}/register`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Password again').fill(password);
    if (email) await page.getByLabel(/Email/).fill(email);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${base}/`);
  }

  async function logIn(username: string, password: string): Promise<void> {
    await page.goto(`${base}/login`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
  }

  it('turns on two-factor login from the settings page and logs in with a code', async () => {
    await register('founder', 'founder-password-1');
    await page.getByRole('link', { name: 'Profile' }).click();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('link', { name: 'Two-factor login' }).click();
    assert.equal(await page.locator('#totp-qr svg').count(), 1, 'the QR code is on the page');
    await page.screenshot({ path: `${SHOTS}/two-factor-enrol.png`, fullPage: true });
    const key = (await page.locator('#totp-secret').innerText()).replace(/\s/g, '');
    const app = new TOTP({ secret: Secret.fromBase32(key), digits: 6, period: 30, algorithm: 'SHA1' });
    await page.getByLabel('Six-digit code').fill(app.generate({ timestamp: clock.now() }));
    await page.getByRole('button', { name: 'Turn on two-factor login' }).click();
    assert.equal(await page.locator('#recovery-codes li').count(), 10);
    await page.screenshot({ path: `${SHOTS}/two-factor-codes.png`, fullPage: true });
    await page.getByRole('link', { name: 'I saved them' }).click();
    assert.match(await page.locator('#two-factor-status').innerText(), /on/);

    await page.getByRole('button', { name: 'Log out' }).click();
    clock.advance(30_000);
    await logIn('founder', 'founder-password-1');
    await page.waitForURL(/\/login\/two-factor/);
    assert.match(await page.locator('.site-header').innerText(), /Log in/, 'not logged in between the two steps');
    await page.screenshot({ path: `${SHOTS}/two-factor-login.png`, fullPage: true });
    await page.getByLabel('Code').fill('000000' === app.generate({ timestamp: clock.now() }) ? '111111' : '000000');
    await page.getByRole('button', { name: 'Log in' }).click();
    assert.match(await page.locator('#code-error').innerText(), /not right/);
    await page.getByLabel('Code').fill(app.generate({ timestamp: clock.now() }));
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${base}/`);
    assert.match(await page.locator('.site-header').innerText(), /founder/);
    await page.getByRole('button', { name: 'Log out' }).click();
  });

  it('recovers a lost password through a verified address and the mailed link', async () => {
    await register('dora', 'dora-password-1', 'dora@example.org');
    await page.getByRole('link', { name: 'Profile' }).click();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Send a verification link' }).click();
    await page.goto(`${base}${linkIn(await sink.waitFor(1), 'verify-email')}`);
    await page.getByRole('button', { name: 'Verify this address' }).click();
    await page.getByRole('button', { name: 'Log out' }).click();

    await page.goto(`${base}/login`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Username or e-mail address').fill('dora@example.org');
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await page.goto(`${base}${linkIn(await sink.waitFor(2), 'reset')}`);
    await page.getByLabel('New password', { exact: true }).fill('dora-new-password-2');
    await page.getByLabel('New password again').fill('dora-new-password-2');
    await page.getByRole('button', { name: 'Save the new password' }).click();
    await logIn('dora', 'dora-new-password-2');
    await page.waitForURL(`${base}/`);
    assert.match(await page.locator('.site-header').innerText(), /dora/);
  });

  it('saves a search, is told of a matching upload, bookmarks it, and keeps the lists private', async () => {
    // dora is still logged in from the previous spec
    await page.goto(`${base}/releases`);
    await page.getByLabel('Search names').fill('concert 2026');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Notify me of new uploads like this' }).click();
    assert.equal(await page.getByLabel('Words').inputValue(), 'concert 2026');
    await page.getByRole('button', { name: 'Save filter' }).click();
    assert.match(await page.locator('.flash').innerText(), /Filter saved/);

    const uploader = await createMember(t.app, 'uploader');
    const music = await firstCategoryId(t.app, 'Music');
    const releaseId = await uploadOk(t.app, uploader, { torrent: makeTorrent({ name: 'Live.Concert.2026.FLAC' }), category: music });
    const dora = await t.app.db.prisma.user.findUniqueOrThrow({ where: { usernameLower: 'dora' }, select: { id: true } });
    await addNotices(t.app.db.prisma, [{ userId: dora.id, kind: 'class', text: { key: 'notices.text.promoted', params: { className: 'Member' } }, link: `/users/${dora.id}#class`, at: new Date(clock.now()) }]);
    await page.goto(`${base}/`);
    assert.equal(await page.locator('#unread-count').innerText(), '2', 'the match and the notice, one count');
    assert.equal(await page.getByRole('link', { name: /Notices/ }).count(), 0, 'one link for both');
    await page.getByRole('link', { name: /Notifications/ }).click();
    assert.match(await page.locator('ul.notices').innerText(), /You were promoted to Member/);
    await page.screenshot({ path: `${SHOTS}/notifications.png`, fullPage: true });
    await page.getByRole('link', { name: 'Live.Concert.2026.FLAC' }).click();
    await page.waitForURL(`${base}/releases/${releaseId}`);
    await page.getByRole('button', { name: 'Bookmark' }).click();
    await page.getByRole('link', { name: 'Bookmarks' }).click();
    assert.match(await page.locator('table.bookmarks').innerText(), /Live\.Concert\.2026\.FLAC/);
    await page.getByRole('link', { name: /Notifications/ }).click();
    await page.getByRole('button', { name: 'Mark all as read' }).click();
    assert.equal(await page.locator('#unread-count').count(), 0);

    await page.getByRole('link', { name: 'Profile' }).click();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Only me').check();
    await page.getByRole('button', { name: 'Save privacy' }).click();
    assert.match(await page.locator('.flash').innerText(), /only you see them/);
  });
});
