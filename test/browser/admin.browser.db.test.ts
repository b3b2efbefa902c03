// The staff flow in a real browser (Debian's Chromium via playwright-core): open the
// dashboard, find the lowest-ratio member in the members table, warn them, withdraw their
// download rights, and see both in the moderation log. Screenshots of the dashboard, the
// members table and the member page go to test-artifacts/screenshots/.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { SESSION_COOKIE } from '../../src/web/session.js';
import type { TestApp } from '../helpers/app.js';
import { launchChromium, SHOTS, skip, serveTestApp } from '../helpers/browser.js';
import { addTrackedRelease, announce } from '../helpers/admin.js';
import { createMember, type Member } from '../helpers/releases.js';

const GIB = 1024n ** 3n;
const DAY = 86_400_000;

/** A site with some history: members with different ratios, releases, peers, daily stats. */
async function populate(t: TestApp): Promise<void> {
  const prisma = t.app.db.prisma;
  const totals: Array<[string, bigint, bigint]> = [['alice', 40n, 20n], ['bob', 3n, 25n], ['carol', 12n, 9n], ['dave', 1n, 60n], ['erin', 8n, 2n]];
  for (const [name, up, down] of totals) {
    const m = await createMember(t.app, name);
    await prisma.user.update({ where: { id: m.id }, data: { uploaded: up * GIB, downloaded: down * GIB, lastSeenAt: new Date() } });
    const release = await addTrackedRelease(t.app, { name: `${name}.Holiday.Video.2026.1080p`, size: 3n * GIB });
    await announce(t.app, m.passkey, release.hash, { peerId: name, left: name === 'bob' ? 1000n : 0n, event: 'started' });
  }
  await t.app.tracker.flush();
  for (let i = 1; i <= 20; i++) {
    const day = new Date(new Date(Date.now() - i * DAY).toISOString().slice(0, 10));
    await prisma.siteStatsDaily.create({
      data: { day, members: 6 - Math.floor(i / 4), releases: 5 - Math.floor(i / 5), peers: 4 + (i % 3), seeders: 3 + (i % 2), leechers: 1 + (i % 3), uploaded: BigInt(20 - i) * GIB, downloaded: BigInt(15 - (i % 7)) * GIB },
    });
  }
  await t.app.policyJob.run();
}

describe('staff pages in a browser', { skip, timeout: 120_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;

  before(async () => {
    ({ t, base } = await serveTestApp());
    const admin: Member = await createMember(t.app, 'sysop');
    await populate(t);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(15_000);
    await context.addCookies([{ name: SESSION_COOKIE, value: admin.cookie.split('=')[1], url: base, httpOnly: true, sameSite: 'Lax' }]);
    page = await context.newPage();
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the dashboard with counts and charts', async () => {
    await page.goto(`${base}/admin`);
    assert.equal(await page.locator('h1').innerText(), 'Staff dashboard');
    assert.equal(await page.locator('svg.chart').count(), 3);
    await page.screenshot({ path: `${SHOTS}/admin-dashboard.png`, fullPage: true });
  });

  it('finds the lowest-ratio member, warns them, withdraws leeching and sees it in the log', async () => {
    await page.click('nav.admin-nav >> text=Members');
    await page.click('th >> text=Ratio');
    await page.waitForURL(/sort=ratio&order=asc/);
    await page.screenshot({ path: `${SHOTS}/admin-members.png`, fullPage: true });
    const lowest = page.locator('table.members tbody tr').first().locator('td').first().locator('a');
    assert.equal(await lowest.innerText(), 'dave');
    await Promise.all([page.waitForURL(/\/admin\/users\/\d+$/), lowest.click()]);
    await page.screenshot({ path: `${SHOTS}/admin-member.png`, fullPage: true });

    await page.fill('#warn-reason', 'Your ratio is 0.01; seed what you download.');
    await Promise.all([page.waitForLoadState('load'), page.click('form[action$="/warn"] button[type="submit"]')]);
    assert.equal(await page.locator('.flash').innerText(), 'Warning sent.');

    await page.fill('#leech-reason', 'Ratio far below the requirement');
    await Promise.all([page.waitForLoadState('load'), page.click('form[action$="/leech"] button[type="submit"]')]);
    assert.equal(await page.locator('.flash').innerText(), 'Download rights withdrawn.');
    assert.match(await page.locator('h1').innerText(), /leech withdrawn \(staff\)/);

    await page.click('nav.admin-nav >> text=Moderation log');
    const rows = page.locator('table.log tbody tr');
    assert.match(await rows.nth(0).innerText(), /sysop\s+leech_withdraw\s+dave\s+Ratio far below the requirement/);
    assert.match(await rows.nth(1).innerText(), /sysop\s+warn\s+dave\s+Your ratio is 0\.01/);
    await page.screenshot({ path: `${SHOTS}/admin-log.png`, fullPage: true });
  });

  it('shows the settings page and refuses a bad value beside its field', async () => {
    await page.goto(`${base}/admin/settings`);
    await page.fill('#watchDays', 'two weeks');
    await page.fill('#settings-reason', 'testing');
    await Promise.all([page.waitForLoadState('load'), page.click('form.settings button[type="submit"]')]);
    assert.equal(await page.locator('#watchDays-error').innerText(), 'Enter a number.');
    assert.equal(await page.locator('#watchDays').getAttribute('aria-invalid'), 'true');
    await page.screenshot({ path: `${SHOTS}/admin-settings.png`, fullPage: true });
  });

  it('sets freeleech on ticked releases from the releases page', async () => {
    await page.goto(`${base}/admin/releases`);
    const boxes = page.locator('table.releases input[type="checkbox"]');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.selectOption('#mode', 'freeleech');
    await page.fill('#bulk-reason', 'Holiday freeleech');
    await page.screenshot({ path: `${SHOTS}/admin-releases.png`, fullPage: true });
    await Promise.all([page.waitForLoadState('load'), page.click('.bulk button[type="submit"]')]);
    assert.equal(await page.locator('.flash').innerText(), 'Traffic rule set on 2 releases.');
    assert.equal(await page.locator('table.releases .badge.free').count(), 2);
  });

  it('looks usable on a phone', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/admin/users?sort=ratio&order=asc`);
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
    assert.ok(overflow <= 1, `no sideways scrolling of the page (overflow ${overflow}px)`);
    await page.screenshot({ path: `${SHOTS}/admin-members-phone.png`, fullPage: true });
  });
});
