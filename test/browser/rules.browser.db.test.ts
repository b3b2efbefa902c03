// The rules and FAQ pages in a real browser (Debian's Chromium via playwright-core): an admin
// writes a staff section on /admin/rules without JavaScript, a visitor reads it on /rules and
// follows the anchors, and no page a member or an admin opens is wider than a 390 px phone.
// Screenshots at desktop and phone widths go to test-artifacts/screenshots/.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { SESSION_COOKIE } from '../../src/web/session.js';
import type { TestApp } from '../helpers/app.js';
import { launchChromium, SHOTS, skip, serveTestApp } from '../helpers/browser.js';
import { createMember, firstCategoryId, seedReleases, type Member } from '../helpers/releases.js';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

describe('rules and FAQ in a browser', { skip, timeout: 180_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let admin: BrowserContext;
  let visitor: BrowserContext;
  let base: string;

  before(async () => {
    ({ t, base } = await serveTestApp());
    const sysop: Member = await createMember(t.app, 'sysop');
    const categoryId = await firstCategoryId(t.app);
    await seedReleases(t.app, Array.from({ length: 6 }, (_, i) => ({
      name: `Some.Rather.Long.Release.Name.Without.Spaces.2026.S0${i}.2160p.WEB-DL.DDP5.1.H.265-GROUP`, categoryId, uploaderId: sysop.id, size: 3n << 30n,
    })));
    browser = await launchChromium();
    admin = await browser.newContext({ viewport: DESKTOP, javaScriptEnabled: false });
    admin.setDefaultTimeout(15_000);
    await admin.addCookies([{ name: SESSION_COOKIE, value: sysop.cookie.split('=')[1], url: base, httpOnly: true, sameSite: 'Lax' }]);
    visitor = await browser.newContext({ viewport: DESKTOP, javaScriptEnabled: false });
    visitor.setDefaultTimeout(15_000);
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  /** How far the page, or a table inside its scrolling wrapper, overflows sideways (0: it fits). */
  // A string: this runs in the page, and the test's TypeScript has no DOM types.
  const overflow = async (page: Page): Promise<number> =>
    Number(await page.evaluate(`Math.max(
      document.documentElement.scrollWidth - document.documentElement.clientWidth,
      ...[...document.querySelectorAll('.table-wrap')].map((wrap) => wrap.scrollWidth - wrap.clientWidth))`));

  async function shoot(page: Page, url: string, name: string): Promise<void> {
    await page.setViewportSize(DESKTOP);
    await page.goto(`${base}${url}`);
    await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: `${SHOTS}/${name}-phone.png`, fullPage: true });
    assert.equal(await overflow(page), 0, `${url} fits a ${PHONE.width} px phone`);
  }

  it('lets an admin add a rules section and an FAQ entry without JavaScript', async () => {
    const page = await admin.newPage();
    await page.goto(`${base}/admin/rules`);
    const add = page.locator('#add');
    await add.getByLabel('Title').fill('Seedboxes and VPNs');
    await add.getByLabel('Text').fill('Seedboxes are **welcome**. Keep to [the ratio rules](/rules#ratio).\n\n- one account per person\n- no <b>sharing</b>');
    await add.getByLabel('Position').fill('1');
    await add.getByLabel('Reason').fill('questions from new members');
    await add.getByRole('button', { name: 'Add section' }).click();
    await page.waitForSelector('.flash');
    assert.match(await page.locator('.flash').innerText(), /Seedboxes and VPNs/);

    await add.getByLabel('Page').selectOption('faq');
    await add.getByLabel('Title').fill('Do I have to seed forever?');
    await add.getByLabel('Text').fill('No: see *hit-and-runs*.');
    await add.getByLabel('Reason').fill('common question');
    await add.getByRole('button', { name: 'Add section' }).click();
    await page.waitForSelector('.flash');
    await shoot(page, '/admin/rules', 'rules-admin');
    await page.close();
  });

  it('shows /rules and /faq to a visitor, with working anchors, at desktop and phone widths', async () => {
    const page = await visitor.newPage();
    await shoot(page, '/rules', 'rules');
    assert.equal(await page.locator('section#ratio table tbody tr').count(), 10);
    assert.equal(await page.locator('.staff-section h2').innerText(), 'Seedboxes and VPNs');
    assert.equal(await page.locator('.staff-section strong').innerText(), 'welcome');
    assert.equal(await page.locator('.staff-section b').count(), 0, 'raw HTML is not rendered');
    await page.setViewportSize(DESKTOP);
    await page.getByRole('navigation', { name: 'On this page' }).getByRole('link', { name: 'Allowed clients' }).click();
    assert.match(page.url(), /#clients$/);
    assert.ok(await page.locator('#clients-h').isVisible());

    await shoot(page, '/faq', 'faq');
    await page.getByRole('link', { name: 'allowed clients' }).click();
    assert.equal(page.url(), `${base}/rules#clients`);
    await page.goto(`${base}/`);
    await page.getByRole('contentinfo').getByRole('link', { name: 'FAQ' }).click();
    assert.equal(page.url(), `${base}/faq`);
    await page.close();
  });

  it('fits browse, the admin settings and a profile on a 390 px phone', async () => {
    const page = await admin.newPage();
    for (const [url, name] of [['/releases', 'browse'], ['/admin/settings', 'admin-settings'], ['/users/1', 'profile-uploads'], ['/admin/users/1', 'admin-member']]) {
      await shoot(page, url, name);
    }
    await page.close();
  });
});
