// The staff pages in the staff member's language: an admin who chose Brazilian Portuguese and
// one who chose Russian read every admin page, its flash messages and a settings problem in
// their language (docs/i18n.md); English stays the default for staff who chose none.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { settingsToForm } from '../../src/web/admin/settings-form.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { addTrackedRelease, fieldError, flashOf, postForm } from '../helpers/admin.js';
import { createMember, type Member } from '../helpers/releases.js';

type Lang = 'pt-BR' | 'ru';

/** A page, texts each language must show on it, and English texts that must be gone. */
interface PageCase {
  url: (member: number) => string;
  'pt-BR': string[];
  ru: string[];
  english: string[];
}

const PAGES: PageCase[] = [
  { url: () => '/admin', 'pt-BR': ['Painel da equipe', 'Membros e lançamentos', 'Rodar a tarefa de política agora'], ru: ['Сводка администрации', 'Участники и раздачи', 'Запустить задачу политики сейчас'], english: ['Staff dashboard', 'Run the policy job now', 'Traffic per day'] },
  { url: () => '/admin/users', 'pt-BR': ['<h1>Membros</h1>', 'Visto por último', 'Em observação de ratio'], ru: ['<h1>Участники</h1>', 'Срок наблюдения', 'Под наблюдением'], english: ['Watch deadline', 'Everyone', 'Part of the username.'] },
  { url: (member) => `/admin/users/${member}`, 'pt-BR': ['Advertir', 'Suspender o direito de baixar', '<dd>Usuário, ', 'Peers agora'], ru: ['Предупредить', 'Запретить скачивание', '<dd>Пользователь, 0 токенов', 'Пиры сейчас'], english: ['Withdraw download rights', 'Peers now', 'Snatches', 'Required; goes into the moderation log.'] },
  { url: () => '/admin/releases', 'pt-BR': ['Freeleech geral', 'Aplicar aos lançamentos marcados', 'Upload em dobro'], ru: ['Общий фрилич', 'Применить к отмеченным', 'Двойная отдача'], english: ['Site-wide freeleech', 'Apply to ticked releases', 'Double upload'] },
  { url: () => '/admin/reports', 'pt-BR': ['<h1>Denúncias</h1>', 'Assumidas por mim'], ru: ['<h1>Жалобы</h1>', 'Взятые мной'], english: ['<h1>Reports</h1>', 'Claimed by me'] },
  { url: () => '/admin/settings', 'pt-BR': ['<h1>Configurações</h1>', 'Observação de ratio', 'Intervalo de announce (segundos)', 'Só com convite'], ru: ['<h1>Настройки</h1>', 'Наблюдение за рейтингом', 'Интервал анонса (секунд)', 'Только по инвайтам'], english: ['Save settings', 'Announce interval (seconds)', 'Invite only', 'Required ratio table'] },
  { url: () => '/admin/log', 'pt-BR': ['Registro de moderação', 'Qualquer ação', 'advertência'], ru: ['Журнал модерации', 'Любое действие', 'предупреждение'], english: ['Moderation log', 'Any action', 'Nothing logged.'] },
  { url: () => '/admin/classes', 'pt-BR': ['<h1>Classes</h1>', 'Salvar classes', 'Convites / mês'], ru: ['<h1>Классы</h1>', 'Сохранить классы', 'Инвайтов в месяц'], english: ['Save classes', 'Invites / month', 'Empty rows are ignored.'] },
  { url: () => '/admin/shop', 'pt-BR': ['Loja de bônus', 'Salvar a loja', 'freeleech pessoal'], ru: ['Бонусный магазин', 'Сохранить магазин', 'личный фрилич'], english: ['Bonus shop', 'Save the shop', 'Latest purchases'] },
  { url: () => '/admin/news', 'pt-BR': ['<h1>Notícias</h1>', 'Escrever uma notícia', 'Pré-visualizar'], ru: ['<h1>Новости</h1>', 'Написать новость', 'Предпросмотр'], english: ['Write a post', 'No news yet.', '>Preview<'] },
  { url: () => '/admin/rules', 'pt-BR': ['Regras, FAQ e guia', 'Adicionar uma seção', 'Idioma da tradução'], ru: ['Правила, FAQ и руководство', 'Добавить раздел', 'Язык перевода'], english: ['Rules, FAQ and guide', 'Add a section', 'Language of the translation'] },
  { url: () => '/admin/inbox', 'pt-BR': ['Caixa de entrada da equipe', 'Sem responsável'], ru: ['Входящие администрации', 'Без ответственного'], english: ['Staff inbox', 'Unassigned'] },
];

/** The staff menu, on every page: none of its English names may remain. */
const ENGLISH_NAV = ['>Dashboard<', '>Members<', '>Moderation log<', '>Rules and FAQ<'];

describe('staff pages in the staff member’s language', () => {
  let t: TestApp;
  const admins = {} as Record<Lang, Member>;
  let target: Member;
  before(async () => {
    t = await buildTestApp();
    admins['pt-BR'] = await createMember(t.app, 'chefe', 'admin');
    admins.ru = await createMember(t.app, 'nachalnik', 'admin');
    target = await createMember(t.app, 'alvo');
    for (const lang of ['pt-BR', 'ru'] as const) await t.db.prisma.user.update({ where: { id: admins[lang].id }, data: { locale: lang } });
    await addTrackedRelease(t.app, { name: 'Some.Release.2026.1080p' });
  });
  after(() => t.close());

  const get = (lang: Lang, url: string) => t.app.inject({ url, headers: { cookie: admins[lang].cookie } });

  it('answers a staff action with a flash message in the acting admin’s language', async () => {
    const warned = await postForm(t.app, admins['pt-BR'], `/admin/users/${target.id}/warn`, { 'warn-reason': 'spam nos comentários', 'warn-days': '' }, { from: `/admin/users/${target.id}` });
    assert.equal(warned.statusCode, 303);
    assert.equal(flashOf(warned), 'Advertência enviada.');
    const bad = await postForm(t.app, admins.ru, `/admin/users/${target.id}/invites`, { 'invites-count': '500', 'invites-reason': 'за помощь' }, { from: `/admin/users/${target.id}` });
    assert.equal(bad.statusCode, 400);
    assert.equal(fieldError(bad.body, 'invites-count'), 'Введите целое число от 1 до 100.');
  });

  for (const lang of ['pt-BR', 'ru'] as const) {
    it(`shows every admin page in ${lang}, with no English heading left`, async () => {
      for (const page of PAGES) {
        const url = page.url(target.id);
        const res = await get(lang, url);
        assert.equal(res.statusCode, 200, url);
        for (const text of page[lang]) assert.ok(res.body.includes(text), `${lang} ${url}: expected “${text}”`);
        for (const text of [...page.english, ...ENGLISH_NAV]) assert.ok(!res.body.includes(text), `${lang} ${url}: English “${text}” remains`);
        assert.doesNotMatch(res.body, /\b(admin|charts)\.[a-z]+\.[a-zA-Z.]+/, `${lang} ${url}: a catalog key shown as text`);
      }
    });
  }

  it('says a settings problem beside its field in the admin’s language', async () => {
    const form = { ...settingsToForm(t.app.settings.all()), minInterval: '99999', 'settings-reason': '' };
    const pt = await postForm(t.app, admins['pt-BR'], '/admin/settings', form, { from: '/admin/settings' });
    assert.equal(pt.statusCode, 400);
    assert.equal(fieldError(pt.body, 'minInterval'), 'Digite segundos inteiros, no máximo o intervalo de announce.');
    assert.equal(fieldError(pt.body, 'settings-reason'), 'Informe um motivo (pelo menos 3 caracteres); ele vai para o registro de moderação.');
    const ru = await postForm(t.app, admins.ru, '/admin/settings', { ...form, clientDeny: 'has space' }, { from: '/admin/settings' });
    assert.equal(ru.statusCode, 400);
    assert.equal(fieldError(ru.body, 'minInterval'), 'Введите целое число секунд, не больше интервала анонса.');
    assert.equal(fieldError(ru.body, 'clientDeny'), '«has space» — не префикс peer_id (1–20 печатных символов без пробелов).');
    assert.match(ru.body, /Настройки не сохранены/);
  });

  it('counts in the language’s plural forms', async () => {
    assert.match((await get('ru', '/admin/users')).body, /3 участника/);
    assert.match((await get('ru', '/admin/log')).body, /1 запись/);
    assert.match((await get('pt-BR', '/admin/log')).body, /1 registro/);
  });

  it('keeps English for staff who chose no language', async () => {
    const english = await createMember(t.app, 'boss', 'admin');
    const res = await t.app.inject({ url: '/admin', headers: { cookie: english.cookie, 'accept-language': 'en' } });
    assert.match(res.body, /<h1>Staff dashboard<\/h1>/);
  });
});
