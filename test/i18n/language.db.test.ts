// Which language a page is in (src/i18n/negotiate.ts): the member's setting, else the
// switcher's cookie, else Accept-Language, else the site default; the switcher works as a
// plain form (no JavaScript); the guide shows the live settings in each language.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fromAcceptLanguage } from '../../src/i18n/negotiate.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { fieldError, WebClient } from '../helpers/web.js';

const htmlLang = (body: string) => /<html lang="([^"]+)"/.exec(body)?.[1];

describe('choosing the language', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers });

  it('reads Accept-Language with its q values, Portuguese of any region as Brazilian', () => {
    assert.equal(fromAcceptLanguage('pt-PT,pt;q=0.9,en;q=0.8'), 'pt-BR');
    assert.equal(fromAcceptLanguage('de-DE,de;q=0.9,ru;q=0.8,en;q=0.7'), 'ru');
    assert.equal(fromAcceptLanguage('ru;q=0.2, en-GB'), 'en');
    assert.equal(fromAcceptLanguage('fr, *;q=0.5'), null);
    assert.equal(fromAcceptLanguage('ru;q=0, pt-br'), 'pt-BR');
    assert.equal(fromAcceptLanguage(undefined), null);
  });

  it('serves a page in the language the browser asks for, else the site default', async () => {
    assert.equal(htmlLang((await get('/')).body), 'en');
    const pt = await get('/register', { 'accept-language': 'pt-BR,pt;q=0.9' });
    assert.equal(htmlLang(pt.body), 'pt-BR');
    assert.match(pt.body, /<h1>Cadastro<\/h1>/);
    assert.match(pt.body, /Criar conta/);
    const ru = await get('/register', { 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.5' });
    assert.match(ru.body, /<h1>Регистрация<\/h1>/);
    await t.app.settings.update({ defaultLocale: 'ru' });
    try {
      assert.match((await get('/login', { 'accept-language': 'ja' })).body, /<h1>Вход<\/h1>/, 'the site default for a language we lack');
      assert.match((await get('/login')).body, /<h1>Вход<\/h1>/);
    } finally {
      await t.app.settings.update({ defaultLocale: 'en' });
    }
  });

  it('switches a visitor with a plain form that sets a cookie, which beats Accept-Language', async () => {
    const web = new WebClient(t.app, '10.1.0.1');
    const res = await web.post('/language', { lang: 'ru', next: '/login' }, '/login');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/login');
    const page = await t.app.inject({ url: '/login', headers: { cookie: web.cookieHeader, 'accept-language': 'pt-BR' } });
    assert.match(page.body, /<h1>Вход<\/h1>/);
    assert.match(page.body, /<button type="submit" name="lang" value="pt-BR"[^>]*>Português \(Brasil\)<\/button>/, 'the switcher offers the others');
    assert.equal((await web.post('/language', { lang: 'xx', next: '/' }, '/login')).statusCode, 400);
    assert.equal((await web.post('/language', { lang: 'en', next: '//evil.example' }, '/login')).headers.location, '/', 'only same-site paths');
  });

  it('keeps a member in the language they chose, whatever the browser says, and tells the tracker', async () => {
    const web = new WebClient(t.app, '10.1.0.2');
    await web.register('linguist');
    const saved = await web.post('/language', { lang: 'pt-BR', next: '/' }, '/');
    assert.equal(saved.statusCode, 303);
    const user = await t.db.prisma.user.findUniqueOrThrow({ where: { usernameLower: 'linguist' } });
    assert.equal(user.locale, 'pt-BR');
    assert.equal(t.app.tracker.catalog.userByPasskey(user.passkey)?.locale, 'pt-BR');
    // a fresh browser (no language cookie) asking for Russian still gets Portuguese
    const fresh = new WebClient(t.app, '10.1.0.3');
    await fresh.login('linguist');
    const page = await t.app.inject({ url: '/', headers: { cookie: fresh.cookieHeader, 'accept-language': 'ru' } });
    assert.equal(htmlLang(page.body), 'pt-BR');
    assert.match(page.body, /Explorar/);
  });

  it('shows form errors in the reader\'s language', async () => {
    const web = new WebClient(t.app, '10.1.0.4');
    await web.post('/language', { lang: 'ru', next: '/register' }, '/register');
    const res = await web.post('/register', { username: 'ab', password: 'long enough pw', confirm: 'other pw here' });
    assert.equal(res.statusCode, 400);
    assert.equal(fieldError(res.body, 'confirm'), 'Пароли не совпадают.');
    const login = await web.post('/login', { username: 'nobody', password: 'wrong password' });
    assert.match(login.body, /Неверное имя пользователя или пароль/);
  });
});

describe('the guide', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  const guide = (lang: string) => t.app.inject({ url: '/guide', headers: { 'accept-language': lang } });

  it('explains torrents to a newcomer in each language, with the live numbers', async () => {
    await t.app.settings.update({ watchDays: 21, hnrSeedHours: 96, watchAllowanceGiB: 2.5 });
    const en = (await guide('en')).body;
    assert.match(en, /I downloaded — let others download/);
    for (const client of ['qBittorrent', 'Transmission', 'Deluge', 'aria2', 'rTorrent']) assert.match(en, new RegExp(client));
    assert.match(en, /you have 21 days to get back/);
    assert.match(en, /more than 2.5 GiB while on watch/);
    assert.match(en, /you owe it 96 hours of seeding/);
    const pt = (await guide('pt-BR')).body;
    assert.match(pt, /Eu baixei — agora deixo os outros baixarem/);
    assert.match(pt, /tem 21 dias para voltar/);
    assert.match(pt, /mais de 2,5 GiB durante a vigilância/);
    assert.match(pt, /você deve 96 horas de seed/);
    const ru = (await guide('ru')).body;
    assert.match(ru, /Скачал сам — дай скачать другим/);
    assert.match(ru, /у вас есть 21 день, чтобы его поднять/, 'Russian one-form after 21');
    assert.match(ru, /больше 2,5 ГиБ/);
    assert.match(ru, /простоять на ней 96 часов/, 'Russian many-form');
  });

  it('is linked from the home page, the header for visitors and the ratio banners', async () => {
    const home = (await t.app.inject({ url: '/' })).body;
    assert.match(home, /<a href="\/guide">Read the guide<\/a>/);
    const web = new WebClient(t.app, '10.2.0.1');
    await web.register('watched');
    await t.db.prisma.user.update({ where: { usernameLower: 'watched' }, data: { watchDeadline: new Date(Date.UTC(2026, 11, 20)), canLeech: false } });
    const page = (await web.get('/')).body;
    assert.match(page, /class="banner warning"[\s\S]*href="\/guide#ratio"/);
    assert.match(page, /class="banner danger"[\s\S]*href="\/guide#seed"/);
  });
});
