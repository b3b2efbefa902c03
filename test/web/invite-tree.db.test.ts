import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createMember, type Member } from '../helpers/releases.js';

const GIB = 1024n ** 3n;

describe('invite tree', () => {
  let t: TestApp;
  const m: Record<string, Member> = {};
  const get = (who: Member, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: who.cookie } });

  before(async () => {
    t = await buildTestApp();
    // founder (admin) -> ana -> (bob -> carl), dora;  mod joined without an invite
    for (const name of ['founder', 'ana', 'bob', 'carl', 'dora', 'mod', 'eve']) m[name] = await createMember(t.app, name);
    const link = (child: string, parent: string, uploaded: bigint, downloaded: bigint, extra: Record<string, unknown> = {}) =>
      t.db.prisma.user.update({ where: { id: m[child].id }, data: { invitedById: m[parent].id, uploaded, downloaded, ...extra } });
    await link('ana', 'founder', 10n * GIB, 5n * GIB);
    await link('bob', 'ana', 1n * GIB, 10n * GIB);
    await link('carl', 'bob', 0n, 3n * GIB, { enabled: false });
    await link('dora', 'ana', 2n * GIB, 0n);
    await t.db.prisma.user.update({ where: { id: m.mod.id }, data: { role: 'moderator' } });
  });
  after(() => t.close());

  it('shows a member whom they invited, with ratios, and no further', async () => {
    const page = await get(m.ana, '/invites/invitees');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`href="/users/${m.bob.id}">bob<`));
    assert.match(page.body, new RegExp(`href="/users/${m.dora.id}">dora<`));
    assert.match(page.body, /class="num bad">0\.10</, "bob's ratio, marked low");
    assert.match(page.body, />∞</, "dora downloaded nothing");
    assert.doesNotMatch(page.body, /carl/, 'not the invitees of invitees');
    assert.match((await get(m.eve, '/invites/invitees')).body, /Nobody has joined with one of your invites yet/);
    assert.match((await get(m.ana, '/invites')).body, /id="invitees-link"/);
  });

  it('shows staff the whole tree below any member, and the inviters above', async () => {
    const page = await get(m.mod, `/admin/users/${m.bob.id}/invites`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`id="inviters">Invited by: <a href="/admin/users/${m.founder.id}/invites">founder</a> → <a href="/admin/users/${m.ana.id}/invites">ana</a> → bob`));
    assert.match(page.body, /carl<\/a>[^]*?disabled/);
    const top = await get(m.mod, `/admin/users/${m.founder.id}/invites`);
    assert.match(top.body, /id="tree-totals">4 members below, 3 levels deep; <span class="bad">1 disabled<\/span>, <span class="bad">2 with a ratio under 0\.4/);
    // nested: carl's list sits inside bob's item, inside ana's
    const nested = new RegExp(`ana</a>[^]*?<ul class="invite-tree">[^]*?bob</a>[^]*?<ul class="invite-tree">[^]*?carl</a>`);
    assert.match(top.body, nested);
    assert.match((await get(m.mod, `/admin/users/${m.mod.id}/invites`)).body, /nobody \(joined without an invite\)/);
    assert.match((await get(m.mod, `/admin/users/${m.ana.id}`)).body, /id="invite-tree-link"/);
  });

  it('keeps the staff tree from members, and answers 404 for an unknown member', async () => {
    assert.equal((await get(m.ana, `/admin/users/${m.bob.id}/invites`)).statusCode, 403);
    assert.equal((await get(m.mod, '/admin/users/999999/invites')).statusCode, 404);
    assert.equal((await get(m.mod, '/admin/users/abc/invites')).statusCode, 404);
  });
});
