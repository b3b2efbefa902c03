// The releases pages in a real browser (Debian's Chromium via playwright-core): log in, upload a
// torrent through the form, find it by search, open it, download the .torrent and check that
// it carries the passkey and private=1. Screenshots go to test-artifacts/screenshots/.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { TestApp } from '../helpers/app.js';
import { launchChromium, SHOTS, skip, serveTestApp } from '../helpers/browser.js';
import { bencode, createMember, makeTorrent, type Member } from '../helpers/releases.js';
import { SESSION_COOKIE } from '../../src/web/session.js';
import { text } from '../helpers/text.js';



/** Logs in through the real form when the accounts pages exist, else with a session cookie. */
async function logIn(page: Page, context: BrowserContext, base: string, member: Member, password: string): Promise<void> {
  const res = await page.goto(`${base}/login`);
  const hasForm = res?.status() === 200 && (await page.locator('form input[name="password"]').count()) > 0;
  if (hasForm) {
    await page.fill('input[name="username"]', member.username);
    await page.fill('input[name="password"]', password);
    await Promise.all([page.waitForLoadState('load'), page.locator('form:has(input[name="password"]) button[type="submit"]').click()]);
    if ((await context.cookies()).some((c) => c.name === SESSION_COOKIE)) return;
  }
  const token = member.cookie.split('=')[1];
  await context.addCookies([{ name: SESSION_COOKIE, value: token, url: base, httpOnly: true, sameSite: 'Lax' }]);
}

describe('releases in a browser', { skip, timeout: 120_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let member: Member;

  before(async () => {
    ({ t, base } = await serveTestApp());
    // baseUrl feeds the announce URLs in downloads; point it at this server.
    (t.app.config as { baseUrl: string }).baseUrl = base;
    member = await createMember(t.app, 'browseruser');
    browser = await launchChromium();
    context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    await logIn(page, context, base, member, 'browseruser-password-1');
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('uploads a torrent through the form, finds it, and downloads a personal private copy', async () => {
    await page.goto(`${base}/upload`);
    assert.equal(await page.locator('h1').innerText(), 'Upload a release');
    await page.setInputFiles('#torrent', {
      name: 'Browser.Test.Album.torrent',
      mimeType: 'application/x-bittorrent',
      buffer: makeTorrent({ name: 'Browser.Test.Album', files: [[['CD1', '01 - Opening.flac'], 2_500_000], [['CD1', '02 - Middle.flac'], 3_100_000], [['cover.jpg'], 120_000]] }),
    });
    await page.selectOption('#category', { label: 'Music' });
    await page.fill('#description', 'Recorded live.\nTracklist:\n1. Opening\n2. Middle');
    await page.screenshot({ path: `${SHOTS}/releases-upload.png`, fullPage: true });
    await Promise.all([page.waitForURL(/\/releases\/\d+$/), page.click('form.stacked button[type="submit"]')]);
    assert.match(await page.locator('.flash').innerText(), /download the \.torrent/i);
    const detailsUrl = page.url();

    // A few neighbours so the browse page looks like a site in use.
    for (const name of ['Another.Movie.2024.1080p', 'Some.Show.S02E05.720p', 'Linux.Distro.ISO']) {
      await page.goto(`${base}/upload`);
      await page.setInputFiles('#torrent', { name: `${name}.torrent`, mimeType: 'application/x-bittorrent', buffer: makeTorrent({ name, length: 4_000_000 }) });
      await page.selectOption('#category', { index: 1 });
      await Promise.all([page.waitForURL(/\/releases\/\d+$/), page.click('form.stacked button[type="submit"]')]);
    }

    await page.goto(`${base}/releases`);
    await page.fill('#q', 'test album');
    await Promise.all([page.waitForURL(/q=test/), page.click('form.toolbar button[type="submit"]')]);
    const names = await page.locator('table.releases td.name a').allInnerTexts();
    assert.deepEqual(names, ['Browser.Test.Album']);
    await page.goto(`${base}/releases`);
    await page.screenshot({ path: `${SHOTS}/releases-browse.png`, fullPage: true });

    await page.goto(detailsUrl);
    assert.match(await page.locator('h1').innerText(), /Browser\.Test\.Album/);
    assert.match(await page.locator('.file-tree').first().innerText(), /01 - Opening\.flac/);
    await page.screenshot({ path: `${SHOTS}/releases-details.png`, fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a.button[href$="/download"]')]);
    assert.equal(download.suggestedFilename(), 'Browser.Test.Album.torrent');
    const torrent = bencode.decode(readFileSync((await download.path())!));
    assert.equal(text(torrent.announce), `${base}/announce/${member.passkey}`);
    assert.ok(torrent['announce-list'].flat().map(text).every((url: string) => url.includes(member.passkey)));
    assert.equal(torrent.info.private, 1);

    // The same file again: refused beside the field, with a link to the release.
    await page.goto(`${base}/upload`);
    await page.setInputFiles('#torrent', { name: 'again.torrent', mimeType: 'application/x-bittorrent', buffer: readFileSync((await download.path())!) });
    await page.selectOption('#category', { label: 'Music' });
    await Promise.all([page.waitForLoadState('load'), page.click('form.stacked button[type="submit"]')]);
    assert.match(await page.locator('#torrent-error').innerText(), /Already uploaded: Browser\.Test\.Album/);
    assert.equal(await page.locator('#torrent-error a').getAttribute('href'), new URL(detailsUrl).pathname);
    await page.screenshot({ path: `${SHOTS}/releases-upload-error.png`, fullPage: true });

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/releases`);
    await page.screenshot({ path: `${SHOTS}/releases-browse-phone.png`, fullPage: true });
  });
});
