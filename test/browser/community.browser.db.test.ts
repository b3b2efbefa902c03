// The community pages in a real browser (Debian's Chromium via playwright-core), without
// JavaScript: a member writes to the staff and reads the answer, reports a release that staff
// claim and resolve (the reporter reads the outcome), comments on a release and edits the
// comment; staff post news; a disabled member appeals from the login page. Every new page is
// screenshot at desktop and 390 px phone widths into test-artifacts/screenshots/ and must fit
// the phone without sideways scrolling.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { SESSION_COOKIE } from '../../src/web/session.js';
import type { TestApp } from '../helpers/app.js';
import { launchChromium, SHOTS, skip, serveTestApp } from '../helpers/browser.js';
import { createMember, firstCategoryId, seedReleases, type Member } from '../helpers/releases.js';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const LONG_NAME = 'Some.Rather.Long.Release.Name.Without.Spaces.2026.2160p.WEB-DL.DDP5.1.H.265-GROUP';

describe('community pages in a browser', { skip, timeout: 240_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let staff: BrowserContext;
  let member: BrowserContext;
  let base: string;
  let releaseId: number;

  async function contextFor(who: Member): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: DESKTOP, javaScriptEnabled: false });
    context.setDefaultTimeout(15_000);
    await context.addCookies([{ name: SESSION_COOKIE, value: who.cookie.split('=')[1], url: base, httpOnly: true, sameSite: 'Lax' }]);
    return context;
  }

  before(async () => {
    ({ t, base } = await serveTestApp());
    const sysop = await createMember(t.app, 'sysop');
    const alice = await createMember(t.app, 'alice');
    const categoryId = await firstCategoryId(t.app);
    [releaseId] = await seedReleases(t.app, Array.from({ length: 4 }, (_, i) => ({ name: `${LONG_NAME}.${i}`, categoryId, uploaderId: sysop.id, size: 3n << 30n })));
    browser = await launchChromium();
    staff = await contextFor(sysop);
    member = await contextFor(alice);
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  /** How far the page, or a table inside its scrolling wrapper, overflows sideways (0: it fits). */
  // A string: this runs in the page, and the test's TypeScript has no DOM types.
  const overflow = async (page: Page): Promise<number> =>
    Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));

  async function shoot(page: Page, url: string, name: string): Promise<void> {
    await page.setViewportSize(DESKTOP);
    await page.goto(`${base}${url}`);
    await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: `${SHOTS}/${name}-phone.png`, fullPage: true });
    assert.equal(await overflow(page), 0, `${url} fits a ${PHONE.width} px phone`);
    await page.setViewportSize(DESKTOP);
  }

  it('walks a conversation: the member writes, staff answer and resolve, the member reads it', async () => {
    const mine = await member.newPage();
    await mine.goto(`${base}/`);
    await mine.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click();
    await mine.getByRole('link', { name: 'Write to staff' }).click();
    await shoot(mine, '/inbox/new', 'inbox-new');
    await mine.getByLabel('Subject').fill('My upload credit looks wrong');
    await mine.getByLabel('Message').fill('My client says **12 GiB** uploaded,\nthe site says 10 GiB.\n\n<script>alert(1)</script>');
    await mine.getByRole('button', { name: 'Send' }).click();
    await mine.waitForSelector('.flash');
    assert.match(await mine.locator('.message .markdown').innerText(), /My client says 12 GiB uploaded,\nthe site says 10 GiB\.\n+<script>alert\(1\)<\/script>/);

    const desk = await staff.newPage();
    await desk.goto(`${base}/`);
    assert.match(await desk.getByRole('link', { name: /Staff inbox/ }).innerText(), /Staff inbox\s+1/);
    await desk.getByRole('link', { name: /Staff inbox/ }).click();
    await shoot(desk, '/admin/inbox', 'admin-inbox');
    await desk.getByRole('link', { name: 'My upload credit looks wrong' }).click();
    await desk.getByLabel('Assigned to').selectOption({ label: 'sysop' });
    await desk.getByRole('button', { name: 'Assign' }).click();
    await desk.waitForSelector('.flash');
    await desk.getByLabel('Reply').fill('Credit is counted at each **announce**: give it an hour.');
    await desk.getByLabel('Resolve after sending').check();
    await desk.getByRole('button', { name: 'Send' }).click();
    await desk.waitForSelector('.flash');
    await shoot(desk, new URL(desk.url()).pathname, 'inbox-ticket-staff');

    await mine.goto(`${base}/releases`);
    const inboxLink = mine.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Inbox/ });
    assert.match(await inboxLink.innerText(), /Inbox\s+1/);
    await inboxLink.click();
    await shoot(mine, '/inbox', 'inbox');
    await mine.getByRole('link', { name: 'My upload credit looks wrong' }).click();
    assert.equal(await mine.locator('.message.from-staff strong').nth(1).innerText(), 'announce');
    await shoot(mine, new URL(mine.url()).pathname, 'inbox-ticket');
    await mine.close();
    await desk.close();
  });

  it('walks a report: the member reports a release, staff claim and resolve it, the member reads the outcome', async () => {
    const mine = await member.newPage();
    await mine.goto(`${base}/releases/${releaseId}`);
    await mine.getByRole('link', { name: 'Report' }).click();
    await shoot(mine, `/report?release=${releaseId}`, 'report-new');
    await mine.getByLabel('Fake: not what the name says').check();
    await mine.getByLabel('Reason').fill('The video is a 2-minute trailer, not the film.');
    await mine.getByRole('button', { name: 'Send report' }).click();
    await mine.waitForSelector('.flash');
    assert.match(await mine.locator('.flash').innerText(), /outcome in your inbox/);

    const desk = await staff.newPage();
    await desk.goto(`${base}/admin`);
    await desk.getByRole('navigation', { name: 'Staff' }).getByRole('link', { name: 'Reports' }).click();
    await shoot(desk, '/admin/reports', 'admin-reports');
    await desk.getByRole('link', { name: /^#\d+$/ }).first().click();
    await desk.getByRole('button', { name: 'Claim this report' }).click();
    await desk.waitForSelector('.flash');
    await shoot(desk, new URL(desk.url()).pathname, 'admin-report');
    await desk.getByLabel('Outcome').fill('Checked: it was a trailer. Thanks!');
    await desk.getByRole('button', { name: 'Resolve and tell the reporter' }).click();
    await desk.waitForSelector('.flash');
    assert.match(await desk.locator('.flash').innerText(), /alice was told the outcome/);

    await mine.goto(`${base}/inbox`);
    await mine.getByRole('link', { name: /^Your report:/ }).click();
    assert.match(await mine.locator('.message .markdown').first().innerText(), /Checked: it was a trailer\./);
    await mine.close();
    await desk.close();
  });

  it('walks a comment: the member comments and edits it within the window, and finds it on the profile', async () => {
    const mine = await member.newPage();
    await mine.goto(`${base}/releases/${releaseId}`);
    await mine.getByLabel('Add a comment').fill('Thanks! *Great* quality.\n\n[x](javascript:alert(1))');
    await mine.getByRole('button', { name: 'Post comment' }).click();
    assert.match(mine.url(), /#comment-\d+$/);
    await mine.locator('.comment').getByRole('link', { name: 'Edit' }).click();
    await shoot(mine, new URL(mine.url()).pathname, 'comment-edit');
    await mine.getByLabel('Comment').fill('Thanks! *Great* quality, seeding for a month.');
    await mine.getByRole('button', { name: 'Save comment' }).click();
    await mine.waitForSelector('.flash');
    assert.equal(await mine.locator('.comment em').innerText(), 'Great');
    assert.equal(await mine.locator('.comment a[href^="javascript"]').count(), 0);
    await shoot(mine, `/releases/${releaseId}`, 'release-with-comments');
    await mine.getByRole('link', { name: 'Profile' }).click();
    assert.match(await mine.locator('.profile-comments').innerText(), /seeding for a month/);
    await shoot(mine, new URL(mine.url()).pathname, 'profile-comments');
    await mine.close();
  });

  it('lets staff post news the members read on the home page, and an uploader edit a release', async () => {
    const desk = await staff.newPage();
    await desk.goto(`${base}/admin/news`);
    const add = desk.locator('#add');
    await add.getByLabel('Title').fill('Welcome to the new site');
    await add.getByLabel('Text').fill('We moved from **Gazelle**. Read the [rules](/rules) and the [FAQ](/faq).');
    await add.getByLabel('Reason').fill('launch announcement');
    await add.getByRole('button', { name: 'Post' }).click();
    await desk.waitForSelector('.flash');
    await shoot(desk, '/admin/news', 'admin-news');
    await desk.goto(`${base}/releases/${releaseId}`);
    await desk.getByRole('link', { name: 'Edit', exact: true }).first().click();
    await desk.getByLabel('Description').fill('## Notes\n\n**Source:** WEB-DL\n\n| Audio | Subs |\n|---|---|\n| EN 5.1 | PT, RU |');
    await desk.getByRole('button', { name: 'Preview the description' }).click();
    assert.equal(await desk.locator('.preview table td').first().innerText(), 'EN 5.1');
    await shoot(desk, new URL(desk.url()).pathname, 'release-edit');
    await desk.close();

    const mine = await member.newPage();
    await mine.goto(`${base}/`);
    assert.equal(await mine.locator('.news h3').first().innerText(), 'Welcome to the new site');
    assert.equal(await mine.locator('.news strong').first().innerText(), 'Gazelle');
    await shoot(mine, '/', 'home');
    await mine.close();
  });

  it('lets a disabled member appeal from the login page', async () => {
    const carol = await createMember(t.app, 'carol');
    await t.app.db.prisma.user.update({ where: { id: carol.id }, data: { enabled: false, disabledReason: 'Inactive for a year' } });
    const visitor = await browser.newContext({ viewport: DESKTOP, javaScriptEnabled: false });
    const page = await visitor.newPage();
    await page.goto(`${base}/login`);
    await page.getByLabel('Username').fill('carol');
    await page.getByLabel('Password').fill('carol-password-1');
    await page.getByRole('button', { name: 'Log in' }).click();
    assert.match(await page.locator('.banner.danger').innerText(), /disabled: Inactive for a year/);
    await page.getByLabel('Your appeal').fill('I was travelling; I will seed again.');
    await page.getByLabel('Password').fill('carol-password-1');
    await page.getByRole('button', { name: 'Send appeal' }).click();
    assert.match(await page.locator('.flash').innerText(), /appeal was sent/);
    await page.screenshot({ path: `${SHOTS}/appeal.png`, fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: `${SHOTS}/appeal-phone.png`, fullPage: true });
    assert.equal(await overflow(page), 0, 'the appeal page fits a phone');
    await visitor.close();
  });
});
