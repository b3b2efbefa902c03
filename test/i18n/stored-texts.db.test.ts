// Texts the site stores when it sends them (docs/i18n.md): notices and the system's inbox
// messages keep a catalog key and its values, so each reader sees them in their own language;
// rows from before the keys read as they were written.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createMember, type Member } from '../helpers/releases.js';
import { addNotices } from '../../src/policy/notices.js';

let t: TestApp;
let pt: Member;
let ru: Member;
let en: Member;

const page = (m: Member, url: string) => t.app.inject({ url, headers: { cookie: m.cookie } });

before(async () => {
  t = await buildTestApp();
  pt = await createMember(t.app, 'joana');
  ru = await createMember(t.app, 'vanya');
  en = await createMember(t.app, 'ellen');
  await t.db.prisma.user.update({ where: { id: pt.id }, data: { locale: 'pt-BR' } });
  await t.db.prisma.user.update({ where: { id: ru.id }, data: { locale: 'ru' } });
});
after(() => t.close());

describe('stored texts in the reader\'s language', () => {
  it('shows a notice in the language of the member who reads it, with its English kept in the row', async () => {
    const at = new Date();
    const filled = { key: 'notices.text.requestFilled', params: { name: 'Solaris.1972' } };
    await addNotices(t.db.prisma, [pt, ru, en].map((m) => ({ userId: m.id, kind: 'request', text: filled, link: '/requests/1', at })));
    assert.match((await page(pt, '/notifications')).body, /<a href="\/requests\/1">Seu pedido &quot;Solaris\.1972&quot; foi atendido/);
    assert.match((await page(ru, '/notifications')).body, /<a href="\/requests\/1">Ваш запрос «Solaris\.1972» выполнен/);
    assert.match((await page(en, '/notifications')).body, /<a href="\/requests\/1">Your request &quot;Solaris\.1972&quot; was filled/);
    const row = await t.db.prisma.notice.findFirstOrThrow({ where: { userId: pt.id }, select: { body: true } });
    assert.match(row.body, /^Your request "Solaris\.1972" was filled/);
  });

  it('shows a class change in Russian and an old notice stored as text only as it was written', async () => {
    await addNotices(t.db.prisma, [{ userId: ru.id, kind: 'class', text: { key: 'notices.text.promoted', params: { className: 'Elite' } }, at: new Date() }]);
    await t.db.prisma.notice.create({ data: { userId: ru.id, kind: 'class', body: 'You were promoted to Member.', createdAt: new Date(Date.now() - 60_000) } });
    const body = (await page(ru, '/notifications')).body;
    assert.match(body, /Вас повысили до класса Elite\./);
    assert.match(body, /You were promoted to Member\./);
  });
});
