// The API tokens page through the real routes, as a browser without JavaScript uses it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hashApiToken } from '../../src/web/api/tokens.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { postForm } from '../helpers/admin.js';
import { createMember, type Member } from '../helpers/releases.js';
import { fieldError } from '../helpers/web.js';
import { parseXml } from '../helpers/api.js';

describe('API tokens page', () => {
  let t: TestApp;
  let member: Member;
  let other: Member;
  const page = (who: Member) => t.app.inject({ method: 'GET', url: '/tokens', headers: { cookie: who.cookie } });
  const create = (who: Member, fields: Record<string, string | string[]>, options: { csrf?: boolean } = {}) => postForm(t.app, who, '/tokens', fields, { from: '/tokens', ...options });
  const torznabCode = async (token: string): Promise<number | null> => {
    const res = await t.app.inject({ method: 'GET', url: `/api/torznab?t=search&apikey=${token}` });
    const doc = parseXml(res.body);
    return doc.error ? Number(doc.error['@code']) : null;
  };
  const newToken = (html: string): string => /<code id="new-token">(sk_[A-Za-z0-9_-]{32})<\/code>/.exec(html)?.[1] ?? assert.fail('no token on the page');

  before(async () => {
    t = await buildTestApp();
    member = await createMember(t.app, 'member1');
    other = await createMember(t.app, 'member2');
  });
  after(async () => t.close());

  it('is reachable from the member\'s settings and needs a session', async () => {
    const settings = await t.app.inject({ method: 'GET', url: `/users/${member.id}/settings`, headers: { cookie: member.cookie } });
    assert.match(settings.body, /href="\/tokens"/);
    const anonymous = await t.app.inject({ method: 'GET', url: '/tokens' });
    assert.equal(anonymous.statusCode, 302);
    assert.match(String(anonymous.headers.location), /^\/login/);
    assert.equal((await page(member)).statusCode, 200);
  });

  it('creates a named token with scopes, shows it once and stores only its SHA-256', async () => {
    const res = await create(member, { name: 'Prowlarr', scopes: ['read', 'download'] });
    assert.equal(res.statusCode, 201);
    assert.match(String(res.headers['cache-control']), /no-store/);
    const token = newToken(res.body);
    const row = await t.app.db.prisma.apiToken.findFirstOrThrow({ where: { userId: member.id, name: 'Prowlarr' } });
    assert.equal(row.tokenHash, hashApiToken(token));
    assert.equal(row.scopes, 'read,download');
    assert.ok(!JSON.stringify(row).includes(token));
    const later = await page(member);
    assert.ok(!later.body.includes(token), 'the token is shown again');
    assert.match(later.body, /Prowlarr/);
    assert.match(later.body, new RegExp(`${token.slice(0, 8)}…`));
    assert.equal(await torznabCode(token), null);
  });

  it('shows when each token was last used', async () => {
    const token = newToken((await create(member, { name: 'Sonarr', scopes: 'read' })).body);
    const sonarrRow = (html: string) => /<td>Sonarr<\/td>[\s\S]*?<\/tr>/.exec(html)?.[0] ?? '';
    assert.match(sonarrRow((await page(member)).body), /never/);
    await torznabCode(token);
    // "0 seconds ago", "1 second ago" or more on a slow machine: anything but never
    assert.match(sonarrRow((await page(member)).body), /\d+ seconds? ago/);
  });

  it('refuses a form without its CSRF token, a missing name and no scope', async () => {
    assert.equal((await create(member, { name: 'x', scopes: 'read' }, { csrf: false })).statusCode, 403);
    const unnamed = await create(member, { name: '  ', scopes: 'read' });
    assert.equal(unnamed.statusCode, 400);
    assert.match(fieldError(unnamed.body, 'name') ?? '', /name/);
    const scopeless = await create(member, { name: 'Radarr' });
    assert.equal(scopeless.statusCode, 400);
    assert.match(scopeless.body, /Tick at least one scope/);
    const unknown = await create(member, { name: 'Radarr', scopes: ['admin', '__proto__'] });
    assert.equal(unknown.statusCode, 400);
  });

  it('revokes a token at once, and only the member\'s own', async () => {
    const token = newToken((await create(member, { name: 'Radarr', scopes: 'read' })).body);
    const row = await t.app.db.prisma.apiToken.findFirstOrThrow({ where: { tokenHash: hashApiToken(token) } });
    const foreign = await postForm(t.app, other, `/tokens/${row.id}/revoke`, {}, { from: '/tokens' });
    assert.equal(foreign.statusCode, 404);
    assert.equal(await torznabCode(token), null);
    const revoked = await postForm(t.app, member, `/tokens/${row.id}/revoke`, {}, { from: '/tokens' });
    assert.equal(revoked.statusCode, 303);
    assert.equal(await torznabCode(token), 100);
    assert.equal((await postForm(t.app, member, '/tokens/abc/revoke', {}, { from: '/tokens' })).statusCode, 404);
  });

  it('lets the token die with the account: a disabled member\'s token is refused', async () => {
    const token = newToken((await create(other, { name: 'Lidarr', scopes: 'read' })).body);
    await t.app.db.prisma.user.update({ where: { id: other.id }, data: { enabled: false } });
    assert.equal(await torznabCode(token), 101);
  });
});
