// The members' flow in a real browser (Debian's Chromium via playwright-core), with no help
// from the test: register the first account (it becomes the admin), create an invite, log
// out, register a second member with the invite link, log in, open the profile and reset the
// passkey. Screenshots of register, login and profile go to test-artifacts/screenshots/.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Browser, type Page } from 'playwright-core';
import type { TestApp } from '../helpers/app.js';
import { launchChromium, SHOTS, skip, serveTestApp } from '../helpers/browser.js';


describe('members in a browser', { skip, timeout: 120_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;

  before(async () => {
    ({ t, base } = await serveTestApp());
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.setDefaultTimeout(15_000);
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function register(username: string, password: string, url = `${base}/register`): Promise<void> {
    await page.goto(url);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Password again').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${base}/`);
  }

  it('registers the first member as admin, invites a second, who logs in and resets their passkey', async () => {
    await page.goto(`${base}/register`);
    await page.screenshot({ path: `${SHOTS}/members-register.png`, fullPage: true });
    await register('founder', 'founder-password-1');
    assert.match(await page.locator('.flash').innerText(), /first member, so you are the admin/);
    assert.equal(await page.getByRole('link', { name: 'Staff', exact: true }).count(), 1);

    await t.app.settings.update({ registrationMode: 'invite' });
    await page.getByRole('link', { name: 'Invites' }).click();
    await page.getByRole('button', { name: 'Create invite' }).click();
    const link = await page.locator('table code').first().innerText();
    const code = link.match(/invite=([0-9a-f]{32})/)![1];
    await page.getByRole('button', { name: 'Log out' }).click();

    await register('newcomer', 'newcomer-password-1', `${base}/register?invite=${code}`);
    assert.match(await page.locator('.site-header').innerText(), /newcomer/);
    await page.getByRole('button', { name: 'Log out' }).click();

    await page.goto(`${base}/login`);
    await page.getByLabel('Username').fill('newcomer');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Log in' }).click();
    assert.match(await page.locator('#login-error').innerText(), /Wrong username or password/);
    await page.getByLabel('Password').fill('newcomer-password-1');
    await page.screenshot({ path: `${SHOTS}/members-login.png`, fullPage: true });
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${base}/`);

    await page.locator('nav').getByRole('link', { name: 'Profile' }).click();
    const before = await page.locator('code.passkey').innerText();
    assert.match(before, /^[0-9a-f]{32}$/);
    await page.getByRole('link', { name: 'Reset passkey…' }).click();
    assert.equal(t.app.tracker.catalog.userByPasskey(before)?.id !== undefined, true, 'nothing is reset before confirming');
    await page.getByRole('button', { name: 'Yes, reset my passkey' }).click();
    await page.waitForSelector('.flash');
    const after = await page.locator('code.passkey').innerText();
    assert.notEqual(after, before);
    assert.equal(t.app.tracker.catalog.userByPasskey(before), undefined);
    await page.screenshot({ path: `${SHOTS}/members-profile.png`, fullPage: true });

    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${SHOTS}/members-profile-phone.png`, fullPage: true });
  });
});
