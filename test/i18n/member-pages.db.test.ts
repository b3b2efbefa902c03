// The member side in the member's language (docs/i18n.md): a member set to Brazilian
// Portuguese and one set to Russian read the requests, notification filters, credit history,
// invitees, release edit and comment history pages, a flash message or refusal from each route
// family, and the news in their language where staff translated it, else as written.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { addTrackedRelease, fieldError, flashOf, postForm } from '../helpers/admin.js';
import { createMember, firstCategoryId, type Member } from '../helpers/releases.js';

const GIB = 1024n ** 3n;
let t: TestApp;
let pt: Member;
let ru: Member;
let staff: Member;
let releaseId = 0;
let category = '';

const page = (m: Member, url: string) => t.app.inject({ url, headers: { cookie: m.cookie } });
const post = (m: Member, url: string, fields: Record<string, string> = {}, from = '/requests/new') => postForm(t.app, m, url, fields, { from });

before(async () => {
  t = await buildTestApp();
  staff = await createMember(t.app, 'chief', 'admin');
  pt = await createMember(t.app, 'joana');
  ru = await createMember(t.app, 'vanya');
  await t.db.prisma.user.update({ where: { id: pt.id }, data: { locale: 'pt-BR', uploaded: 10n * GIB, userClass: 'Member' } });
  await t.db.prisma.user.update({ where: { id: ru.id }, data: { locale: 'ru', uploaded: 10n * GIB, userClass: 'Member' } });
  category = String(await firstCategoryId(t.app));
  releaseId = (await addTrackedRelease(t.app, { name: 'Shared.Release.2026' })).id;
});
after(() => t.close());

describe('the member pages in the member\'s language', () => {
  it('shows the request form, a request and its errors and flashes in Portuguese and Russian', async () => {
    assert.match((await page(pt, '/requests/new')).body, /<button type="submit">Criar pedido<\/button>/);
    assert.match((await page(ru, '/requests/new')).body, /<button type="submit">Создать запрос<\/button>/);
    const bad = await post(pt, '/requests', { name: 'Um disco', category, bounty: 'lots' });
    assert.equal(bad.statusCode, 400);
    assert.equal(fieldError(bad.body, 'bounty'), 'Informe uma quantidade de crédito de upload, por exemplo 500 MiB ou 2 GiB.');
    const created = await post(ru, '/requests', { name: 'Альбом 1999 FLAC', category, description: 'CD', bounty: '1 GiB' });
    assert.equal(created.statusCode, 303);
    assert.match(flashOf(created)!, /Запрос создан/);
    const id = String(created.headers.location).split('/').pop();
    const shown = (await page(ru, `/requests/${id}`)).body;
    assert.match(shown, /<span class="badge neutral">открытые<\/span>/);
    assert.match(shown, /<h2>Награды<\/h2>/);
    assert.match((await page(pt, `/requests/${id}`)).body, /<h2>Recompensas<\/h2>/);
    assert.match((await page(pt, '/requests')).body, /<strong>abertos<\/strong>/);
    const own = await post(ru, `/requests/${id}/fill`, { release: String(releaseId) });
    assert.equal(own.statusCode, 409);
    assert.match(own.body, /Нельзя выполнить собственный запрос\./, 'an economy refusal in Russian');
    const added = await post(pt, `/requests/${id}/bounty`, { bounty: '512 MiB' });
    assert.match(flashOf(added)!, /^512(,0+)? MiB adicionados à recompensa\.$/);
  });

  it('shows the notification filters, their errors and flashes', async () => {
    assert.match((await page(pt, '/notifications/filters')).body, /<h1>Filtros de notificação<\/h1>/);
    const empty = await post(pt, '/notifications/filters', {}, '/notifications/filters');
    assert.equal(empty.statusCode, 400);
    assert.match(fieldError(empty.body, 'words')!, /^Informe ao menos uma palavra/);
    const saved = await post(ru, '/notifications/filters', { words: '1080p' }, '/notifications/filters');
    assert.match(flashOf(saved)!, /^Фильтр сохранён/);
    assert.match((await page(ru, '/notifications/filters')).body, /<h1>Фильтры уведомлений<\/h1>/);
  });

  it('shows the credit history and the shop\'s refusals', async () => {
    const poor = await post(pt, '/shop/token', {}, '/shop');
    assert.equal(poor.statusCode, 409);
    assert.match(poor.body, /Isto custa 1500 pontos; você tem 0\./);
    assert.match((await page(pt, '/shop')).body, /1 token de freeleech/);
    assert.match((await page(ru, '/shop')).body, /3 за 7 дней/);
    const history = (await page(ru, `/users/${ru.id}/history`)).body;
    assert.match(history, /История начислений: <a href="\/users\/\d+">vanya<\/a>/);
    assert.match(history, /Награда удержана/);
    assert.match((await page(pt, `/users/${pt.id}/history`)).body, /Histórico de créditos de/);
    assert.match((await page(pt, `/users/${ru.id}/history`)).body, /Só o próprio membro e a equipe veem o histórico de créditos\./);
  });

  it('shows the invitees, the comment history and the release edit page', async () => {
    assert.match((await page(pt, '/invites/invitees')).body, /<h1>Pessoas que você convidou<\/h1>/);
    assert.match((await page(ru, '/invites/invitees')).body, /По вашим инвайтам ещё никто не зарегистрировался\./);
    assert.match((await page(pt, `/users/${ru.id}/comments`)).body, /<h1>Comentários de <a href="\/users\/\d+">vanya<\/a><\/h1>/);
    assert.match((await page(ru, `/users/${pt.id}/comments`)).body, /<h1>Комментарии <a href="\/users\/\d+">joana<\/a><\/h1>/);
    await t.db.prisma.release.update({ where: { id: releaseId }, data: { uploaderId: pt.id } });
    assert.match((await page(pt, `/releases/${releaseId}/edit`)).body, /Pré-visualizar a descrição/);
    const unnamed = await post(pt, `/releases/${releaseId}/edit`, { name: '', category, description: '' }, `/releases/${releaseId}/edit`);
    assert.equal(unnamed.statusCode, 400);
    assert.equal(fieldError(unnamed.body, 'name'), 'Dê um nome ao torrent.');
    assert.match((await page(ru, `/releases/${releaseId}/edit`)).body, /Править эту раздачу могут только её автор и администрация\./);
  });

  it('answers the comments, bookmarks, reports, inbox, privacy and two-factor routes in the member\'s language', async () => {
    const comment = await post(pt, `/releases/${releaseId}/comments`, { body: ' ' }, `/releases/${releaseId}`);
    assert.equal(fieldError(comment.body, 'body'), 'Escreva um comentário.');
    const bookmark = await post(ru, `/releases/${releaseId}/bookmark`, { action: 'add' }, `/releases/${releaseId}`);
    assert.match(flashOf(bookmark)!, /^Добавлено в закладки/);
    assert.match((await page(pt, `/report?member=${pt.id}`)).body, /Você não pode denunciar a si mesmo\./);
    assert.match((await page(ru, '/inbox/999999')).body, /Переписки с таким номером нет\./);
    const empty = await post(ru, '/inbox', { subject: '', body: ' ' }, '/inbox/new');
    assert.equal(fieldError(empty.body, 'subject'), 'Укажите тему переписки.');
    assert.equal(fieldError(empty.body, 'body'), 'Напишите сообщение.');
    const privacy = await post(pt, `/users/${pt.id}/privacy`, { listsVisibleTo: 'nobody' }, `/users/${pt.id}/settings`);
    assert.match(flashOf(privacy)!, /^Suas listas agora são privadas/);
    await page(ru, `/users/${ru.id}/two-factor`);
    const wrong = await post(ru, `/users/${ru.id}/two-factor/enable`, { code: '000000' }, `/users/${ru.id}/two-factor`);
    assert.equal(wrong.statusCode, 400);
    assert.match(fieldError(wrong.body, 'code')!, /^Код неверный\./);
  });
});

describe('news per language', () => {
  const postNews = (fields: Record<string, string>) => post(staff, '/admin/news', fields, '/admin/news');

  it('shows a reader the translation into their language, else the post as written', async () => {
    assert.equal((await postNews({ title: 'Maintenance tonight', body: 'The tracker is down at 02:00 UTC.', reason: 'announce' })).statusCode, 303);
    const post0 = await t.db.prisma.newsPost.findFirstOrThrow({ where: { title: 'Maintenance tonight' }, select: { id: true } });
    const translated = await postNews({ title: 'Manutenção hoje à noite', body: 'O tracker fica fora do ar às 02:00 UTC.', reason: 'translate', translationOf: String(post0.id), locale: 'pt-BR' });
    assert.equal(translated.statusCode, 303);
    const ptHome = (await page(pt, '/')).body;
    assert.match(ptHome, /<h3>Manutenção hoje à noite<\/h3>/);
    assert.doesNotMatch(ptHome, /Maintenance tonight/);
    assert.match((await page(ru, '/')).body, /<h3>Maintenance tonight<\/h3>/, 'no Russian translation: the post as written');
    assert.match((await page(staff, '/')).body, /<h3>Maintenance tonight<\/h3>/);
    const editor = (await page(staff, '/admin/news')).body;
    assert.match(editor, /Português \(Brasil\) translation of “Maintenance tonight”/);
    const again = await postNews({ title: 'Outra', body: 'Outra tradução.', reason: 'translate', translationOf: String(post0.id), locale: 'pt-BR' });
    assert.equal(again.statusCode, 400);
    assert.equal(fieldError(again.body, 'locale-new'), 'That post already has a translation into this language: edit it instead.');
    const noLanguage = await postNews({ title: 'Outra', body: 'Outra tradução.', reason: 'translate', translationOf: String(post0.id) });
    assert.equal(fieldError(noLanguage.body, 'locale-new'), 'Choose the language of the translation.');
    await post(staff, `/admin/news/${post0.id}/delete`, { 'delete-reason': 'over' }, '/admin/news');
    assert.equal(await t.db.prisma.newsPost.count(), 0, 'the translation goes with its post');
  });
});
