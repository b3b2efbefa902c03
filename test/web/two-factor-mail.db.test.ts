import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../src/clock.js';
import { totpCodeAt } from '../../src/web/two-factor/totp.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { SmtpSink } from '../helpers/smtp-sink.js';
import { WebClient } from '../helpers/web.js';

describe('two-factor notices by e-mail', () => {
  let t: TestApp;
  let sink: SmtpSink;
  const clock = new FakeClock(Date.UTC(2026, 10, 3, 9, 0, 0));
  const ids: Record<string, number> = {};

  before(async () => {
    sink = new SmtpSink();
    const smtpUrl = await sink.start();
    t = await buildTestApp({ clock, config: { smtpUrl, mailFrom: 'seedkeep <noreply@tracker.test>' } });
    for (const [i, name] of ['founder', 'rita', 'sam'].entries()) {
      await new WebClient(t.app, `10.5.0.${i + 1}`).register(name, { email: `${name}@example.org` });
      ids[name] = (await t.db.prisma.user.findUniqueOrThrow({ where: { usernameLower: name } })).id;
    }
    // rita's address is verified; sam's is not
    await t.db.prisma.user.update({ where: { id: ids.rita }, data: { emailVerifiedAt: new Date(clock.now()) } });
  });
  after(async () => {
    await t.close();
    await sink.close();
  });

  async function enable(name: string): Promise<{ client: WebClient; secret: string }> {
    const client = new WebClient(t.app, `10.5.1.${ids[name]}`);
    await client.login(name);
    const page = `/users/${ids[name]}/two-factor`;
    await client.get(page);
    const secret = (await t.db.prisma.user.findUniqueOrThrow({ where: { id: ids[name] } })).totpPendingSecret!;
    const res = await client.post(`${page}/enable`, { code: totpCodeAt(secret, clock.now()) }, page);
    assert.equal(res.statusCode, 200);
    return { client, secret };
  }

  it('tells a verified address when two-factor login is turned on, off, or reset by staff', async () => {
    const { client, secret } = await enable('rita');
    assert.match((await sink.waitFor(1)).subject, /two-factor login was turned on/);
    clock.advance(30_000);
    const page = `/users/${ids.rita}/two-factor`;
    const off = await client.post(`${page}/disable`, { 'disable-password': 'rita-password-1', 'disable-code': totpCodeAt(secret, clock.now()) }, page);
    assert.equal(off.statusCode, 303);
    const second = await sink.waitFor(2);
    assert.match(second.subject, /turned off/);
    assert.equal(second.to, 'rita@example.org');
    assert.match(second.text, /If this was not you, change your password/);

    clock.advance(30_000);
    await enable('rita');
    await sink.waitFor(3);
    const founder = new WebClient(t.app, '10.5.0.1');
    await founder.login('founder');
    const admin = `/admin/users/${ids.rita}`;
    assert.equal((await founder.post(`${admin}/two-factor`, { 'two-factor-reason': 'lost phone, checked by voice' }, admin)).statusCode, 303);
    assert.match((await sink.waitFor(4)).subject, /the staff turned off two-factor login/);
  });

  it('sends nothing to an address that is not verified', async () => {
    const before = sink.mails.length;
    await enable('sam');
    assert.equal(await t.db.prisma.user.count({ where: { id: ids.sam, totpEnabledAt: { not: null } } }), 1);
    assert.equal(sink.mails.length, before);
  });
});
