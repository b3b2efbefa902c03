// Mails in the member's language: the password reset mail goes in the account owner's language
// (whoever asked for it, in whatever language), the verification mail in the language of the
// member who asked for it from their settings page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { linkIn, SmtpSink } from '../helpers/smtp-sink.js';
import { WebClient } from '../helpers/web.js';

describe('mails in the member\'s language', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let anaId = 0;

  before(async () => {
    sink = new SmtpSink();
    t = await buildTestApp({ config: { smtpUrl: await sink.start(), mailFrom: 'seedkeep <noreply@tracker.test>' } });
    await new WebClient(t.app, '10.3.0.1').register('founder');
    const ana = new WebClient(t.app, '10.3.0.2');
    await ana.register('ana', { email: 'ana@example.org' });
    anaId = (await t.db.prisma.user.findUniqueOrThrow({ where: { usernameLower: 'ana' } })).id;
    await ana.post('/language', { lang: 'pt-BR', next: '/' }, '/');
  });
  after(async () => {
    await t.close();
    await sink.close();
  });

  it('verifies an address with a mail in Portuguese, and sends the reset mail in Portuguese to a visitor asking in Russian', async () => {
    const ana = new WebClient(t.app, '10.3.0.2');
    await ana.login('ana');
    assert.equal((await ana.post(`/users/${anaId}/email/verify`, {}, `/users/${anaId}/settings`)).statusCode, 303);
    const verify = await sink.waitFor(1);
    assert.match(verify.subject, /verifique o seu e-mail/);
    assert.match(verify.text, /Confirme-o aqui dentro de um dia/);
    await ana.post(linkIn(verify, 'verify-email'), {}, linkIn(verify, 'verify-email'));

    const stranger = new WebClient(t.app, '10.3.0.3');
    await stranger.post('/language', { lang: 'ru', next: '/forgot' }, '/forgot');
    const asked = await stranger.post('/forgot', { who: 'ana' }, '/forgot');
    assert.match(asked.body, /ссылка для выбора нового пароля уже в пути/, 'the visitor reads Russian');
    const reset = await sink.waitFor(2);
    assert.match(reset.subject, /redefina a sua senha/, 'the owner reads Portuguese');
    assert.match(reset.text, /Escolha uma nova senha aqui dentro de uma hora/);
  });
});
