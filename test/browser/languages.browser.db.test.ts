// The site in each language in a real browser (Debian's Chromium via playwright-core): a
// newcomer whose browser asks for English, Brazilian Portuguese or Russian registers, reads
// the guide, uploads a torrent, finds it on the browse page, opens it and downloads the
// .torrent (application/x-bittorrent with a file name, so the browser hands it to a client);
// then switches language with the footer's buttons, without JavaScript. Screenshots of every
// step go to test-artifacts/screenshots/i18n-<language>-<page>.png.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { TestApp } from '../helpers/app.js';
import { launchChromium, SHOTS, skip, serveTestApp } from '../helpers/browser.js';
import { makeTorrent } from '../helpers/releases.js';

interface Language {
  locale: string;
  /** what the pages say, to check they are in this language */
  register: string;
  create: string;
  guide: string;
  slogan: RegExp;
  upload: string;
  category: string;
  browseSearch: string;
  download: string;
  uploaded: RegExp;
}

const LANGUAGES: Language[] = [
  { locale: 'en', register: 'Register', create: 'Create account', guide: 'Guide for newcomers', slogan: /I downloaded — let others download/, upload: 'Upload a release', category: 'Music', browseSearch: 'Search', download: 'Download .torrent', uploaded: /download the \.torrent/i },
  { locale: 'pt-BR', register: 'Cadastro', create: 'Criar conta', guide: 'Guia para iniciantes', slogan: /Eu baixei — agora deixo os outros baixarem/, upload: 'Enviar um torrent', category: 'Music', browseSearch: 'Buscar', download: 'Baixar .torrent', uploaded: /baixe o \.torrent/i },
  { locale: 'ru', register: 'Регистрация', create: 'Зарегистрироваться', guide: 'Руководство для новичков', slogan: /Скачал сам — дай скачать другим/, upload: 'Создать раздачу', category: 'Music', browseSearch: 'Найти', download: 'Скачать .torrent', uploaded: /скачайте \.torrent/i },
];

describe('the site in each language, in a browser', { skip, timeout: 240_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  before(async () => {
    ({ t, base } = await serveTestApp());
    (t.app.config as { baseUrl: string }).baseUrl = base;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  for (const lang of LANGUAGES) {
    it(`walks registration, the guide, upload, browse and details in ${lang.locale}`, async () => {
      // the browser's language (Accept-Language), as a newcomer's browser sends it
      const context = await browser.newContext({ locale: lang.locale, acceptDownloads: true, viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
      context.setDefaultTimeout(15_000);
      const page = await context.newPage();
      const shot = (name: string) => page.screenshot({ path: `${SHOTS}/i18n-${lang.locale}-${name}.png`, fullPage: true });
      try {
        await page.goto(`${base}/register`);
        assert.equal(await page.locator('html').getAttribute('lang'), lang.locale);
        assert.equal(await page.locator('h1').innerText(), lang.register);
        await shot('register');
        const name = `newcomer-${lang.locale.toLowerCase()}`;
        await page.fill('#username', name);
        await page.fill('#password', `${name}-password-1`);
        await page.fill('#confirm', `${name}-password-1`);
        await Promise.all([page.waitForURL(`${base}/`), page.getByRole('button', { name: lang.create }).click()]);
        await shot('welcome');

        await page.locator('.guide-callout a[href="/guide"]').click();
        assert.equal(await page.locator('h1').innerText(), lang.guide);
        assert.match(await page.locator('#seed').innerText(), lang.slogan);
        await shot('guide');

        await page.goto(`${base}/upload`);
        assert.equal(await page.locator('h1').innerText(), lang.upload);
        const release = `Livro.${lang.locale}.Audiobook`;
        await page.setInputFiles('#torrent', { name: `${release}.torrent`, mimeType: 'application/x-bittorrent', buffer: makeTorrent({ name: release, files: [[['01.mp3'], 1_500_000], [['02.mp3'], 1_700_000]] }) });
        await page.selectOption('#category', { label: lang.category });
        await shot('upload');
        await Promise.all([page.waitForURL(/\/releases\/\d+$/), page.click('form.stacked button[type="submit"]')]);
        assert.match(await page.locator('.flash').innerText(), lang.uploaded);
        const details = page.url();

        await page.goto(`${base}/releases`);
        await page.fill('#q', release);
        await Promise.all([page.waitForURL(/q=/), page.getByRole('button', { name: lang.browseSearch }).click()]);
        assert.deepEqual(await page.locator('table.releases td.name a').allInnerTexts(), [release]);
        await shot('browse');

        await page.goto(details);
        await shot('details');
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: lang.download }).click()]);
        assert.equal(download.suggestedFilename(), `${release}.torrent`);
        const head = await context.request.get(`${base}${new URL(details).pathname}/download`);
        assert.equal(head.headers()['content-type'], 'application/x-bittorrent');
        assert.match(head.headers()['content-disposition'], /^attachment; filename="Livro\./);
      } finally {
        await context.close();
      }
    });
  }

  it('switches language with the footer buttons, without JavaScript, and keeps the choice', async () => {
    const context = await browser.newContext({ locale: 'en-US', javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await page.goto(`${base}/guide`);
      assert.equal(await page.locator('h1').innerText(), 'Guide for newcomers');
      await Promise.all([page.waitForURL(`${base}/guide`), page.locator('.language-switcher button[value="ru"]').click()]);
      assert.equal(await page.locator('h1').innerText(), 'Руководство для новичков');
      await page.goto(`${base}/login`);
      assert.equal(await page.locator('h1').innerText(), 'Вход');
      await page.screenshot({ path: `${SHOTS}/i18n-switcher-ru.png`, fullPage: true });
    } finally {
      await context.close();
    }
  });
});
