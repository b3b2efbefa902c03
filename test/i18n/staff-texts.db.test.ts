// Staff-written sections (rules, FAQ, guide additions) in the reader's language: a section is
// written in the site's default language and may have one translation per language; a reader
// sees the translation into theirs, else the section as written.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { postForm } from '../helpers/admin.js';
import { createMember, type Member } from '../helpers/releases.js';

describe('staff texts per language', () => {
  let t: TestApp;
  let admin: Member;
  before(async () => {
    t = await buildTestApp();
    admin = await createMember(t.app, 'editor', 'admin');
  });
  after(() => t.close());

  const page = (url: string, lang: string) => t.app.inject({ url, headers: { 'accept-language': lang } }).then((r) => r.body);
  const add = (fields: Record<string, string>) =>
    postForm(t.app, admin, '/admin/rules', { page: 'guide', body: 'text', position: '0', reason: 'newcomers asked', locale: '', translationOf: '', ...fields }, { from: '/admin/rules' });

  it('shows a guide addition to everyone, and its translation to readers of that language', async () => {
    assert.equal((await add({ title: 'Seedbox etiquette', body: 'Keep **seeding** from the box.' })).statusCode, 303);
    const section = await t.db.prisma.rulesSection.findFirstOrThrow({ where: { title: 'Seedbox etiquette' } });
    const translated = await add({ translationOf: String(section.id), locale: 'pt-BR', title: 'Etiqueta de seedbox', body: 'Continue **semeando** a partir da seedbox.', page: 'faq', position: '9' });
    assert.equal(translated.statusCode, 303);
    const row = await t.db.prisma.rulesSection.findFirstOrThrow({ where: { translationOfId: section.id } });
    assert.deepEqual([row.page, row.position, row.locale], ['guide', section.position, 'pt-BR'], 'a translation follows its section');

    assert.match(await page('/guide', 'pt-BR'), /<h3 id="section-\d+-h">Etiqueta de seedbox<\/h3>[\s\S]*Continue <strong>semeando<\/strong>/);
    assert.match(await page('/guide', 'ru'), /<h3 id="section-\d+-h">Seedbox etiquette<\/h3>/, 'no Russian translation: the section as written');
    assert.doesNotMatch(await page('/guide', 'en'), /Etiqueta de seedbox/);
  });

  it('refuses a second translation into the same language beside its field', async () => {
    const section = await t.db.prisma.rulesSection.findFirstOrThrow({ where: { title: 'Seedbox etiquette' } });
    const again = await add({ translationOf: String(section.id), locale: 'pt-BR', title: 'Outra', body: 'x' });
    assert.equal(again.statusCode, 400);
    assert.match(again.body, /id="locale-new-error">That section already has a translation into this language/);
    const noLanguage = await add({ translationOf: String(section.id), title: 'Sem idioma', body: 'x' });
    assert.match(noLanguage.body, /id="locale-new-error">Choose the language of the translation/);
  });

  it('deletes the translations with their section', async () => {
    const section = await t.db.prisma.rulesSection.findFirstOrThrow({ where: { title: 'Seedbox etiquette' } });
    const res = await postForm(t.app, admin, `/admin/rules/${section.id}/delete`, { 'delete-reason': 'outdated' }, { from: '/admin/rules' });
    assert.equal(res.statusCode, 303);
    assert.equal(await t.db.prisma.rulesSection.count(), 0);
  });
});
