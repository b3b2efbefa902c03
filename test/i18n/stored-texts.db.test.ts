// Texts the site stores when it sends them (docs/i18n.md): notices and the system's inbox
// messages keep a catalog key and its values, so each reader sees them in their own language;
// rows from before the keys read as they were written.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { addTrackedRelease, flashOf, postForm } from '../helpers/admin.js';
import { createMember, type Member } from '../helpers/releases.js';
import { addNotices } from '../../src/policy/notices.js';

let t: TestApp;
let pt: Member;
let ru: Member;
let en: Member;
let staff: Member;

const page = (m: Member, url: string) => t.app.inject({ url, headers: { cookie: m.cookie } });

before(async () => {
  t = await buildTestApp();
  pt = await createMember(t.app, 'joana');
  ru = await createMember(t.app, 'vanya');
  en = await createMember(t.app, 'ellen');
  staff = await createMember(t.app, 'chief', 'moderator');
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

  it('tells a Portuguese reporter the outcome of their report in Portuguese, and a Russian one in Russian', async () => {
    const { id: releaseId } = await addTrackedRelease(t.app, { name: 'Fake.Movie.2026' });
    for (const [who, kind] of [[pt, 'fake'], [ru, 'dupe']] as const) {
      const filed = await postForm(t.app, who, `/report?release=${releaseId}`, { kind, reason: 'A trailer only.' }, { from: `/report?release=${releaseId}` });
      assert.equal(filed.statusCode, 303);
      const report = await t.db.prisma.report.findFirstOrThrow({ where: { reporterId: who.id }, select: { id: true } });
      const resolved = await postForm(t.app, staff, `/admin/reports/${report.id}/resolve`, { outcome: 'Checked: $t(x) {{name}} stays as written.' }, { from: `/admin/reports/${report.id}` });
      assert.equal(resolved.statusCode, 303, flashOf(resolved) ?? resolved.body);
    }
    const ptInbox = (await page(pt, '/inbox')).body;
    assert.match(ptInbox, /Sua denúncia: Fake\.Movie\.2026/);
    const ptTicket = await t.db.prisma.ticket.findFirstOrThrow({ where: { memberId: pt.id, kind: 'report' }, select: { id: true, subject: true } });
    assert.equal(ptTicket.subject, 'Your report: Fake.Movie.2026', 'the English is kept in the row');
    const ptMessage = (await page(pt, `/inbox/${ptTicket.id}`)).body;
    assert.match(ptMessage, /Obrigado por denunciar o torrent “Fake\.Movie\.2026” \(falso\)\. A equipe analisou o caso:/);
    assert.match(ptMessage, /Checked: \$t\(x\) \{\{name\}\} stays as written\./, 'the staff\'s words are not read as a template');
    const ruTicket = await t.db.prisma.ticket.findFirstOrThrow({ where: { memberId: ru.id, kind: 'report' }, select: { id: true } });
    const ruMessage = (await page(ru, `/inbox/${ruTicket.id}`)).body;
    assert.match(ruMessage, /Спасибо за жалобу на раздачу «Fake\.Movie\.2026» \(дубль\)/);
    assert.match((await page(ru, '/inbox')).body, /Ваша жалоба: Fake\.Movie\.2026/);
  });

  it('shows the profile\'s class perks and what the next class needs in Russian and in Portuguese', async () => {
    const ruProfile = (await page(ru, `/users/${ru.id}`)).body;
    assert.match(ruProfile, /может выкладывать раздачи; не может создавать запросы; слоты скачивания без ограничений/);
    assert.match(ruProfile, /Member: [^<]*ещё 10,00 ГиБ отдано \(в зачёт\)/);
    assert.match(ruProfile, /ещё 7 дней на сайте/);
    assert.match((await page(pt, `/users/${pt.id}`)).body, /mais 7 dias como membro, mais 10,00 GiB enviados \(creditados\)/);
    assert.match((await page(en, `/users/${en.id}`)).body, /7 more days of membership, 10\.00 GiB more uploaded \(credited\)/);
  });

  it('lists the classes\' thresholds and perks on the rules page in Russian', async () => {
    const rules = (await page(ru, '/rules')).body;
    assert.match(rules, /Torrent Master<\/td><td>56 дней на сайте, 500 ГиБ отдано, рейтинг 1,05, 500 раздач/);
    assert.match(rules, /с него начинают все/);
    assert.match(rules, /4 фрилич-токена в месяц; 4 инвайта в месяц/);
  });
});
