// Small things members and staff trip over: the favicon, form hints that screen readers can
// reach, the 429 page keeping the member's header, bonus points with two decimals, traffic
// amounts like 1.5 GiB on the staff member page, a confirmation before a passkey reset, and
// a member's uploads in pages.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { formatByteAmount, parseByteAmount } from '../../src/web/admin/form.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { flashOf, postForm } from '../helpers/admin.js';
import { createMember, firstCategoryId, getCsrf, seedReleases, type Member } from '../helpers/releases.js';

const GIB = 1024n ** 3n;
let t: TestApp;
let admin: Member;
let member: Member;

before(async () => {
  t = await buildTestApp();
  admin = await createMember(t.app, 'boss', 'admin');
  member = await createMember(t.app, 'someone');
});

after(() => t.close());

const get = (url: string, who?: Member) => t.app.inject({ method: 'GET', url, headers: who ? { cookie: who.cookie } : {} });

/** Every id an aria-describedby names must be on the page. */
function missingDescriptions(html: string): string[] {
  const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
  return [...html.matchAll(/aria-describedby="([^"]*)"/g)].flatMap((m) => m[1].split(/\s+/)).filter((id) => !ids.has(id));
}

describe('favicon', () => {
  it('serves /favicon.ico and the SVG icon the layout links', async () => {
    const ico = await get('/favicon.ico');
    assert.equal(ico.statusCode, 200);
    assert.match(String(ico.headers['content-type']), /icon/);
    assert.deepEqual([...ico.rawPayload.subarray(0, 4)], [0, 0, 1, 0], 'an ICO header');
    const svg = await get('/static/favicon.svg');
    assert.equal(svg.statusCode, 200);
    assert.match((await get('/login')).body, /<link rel="icon" href="\/favicon.ico"/);
  });
});

describe('form hints', () => {
  it('points aria-describedby only at ids on the page, with and without errors', async () => {
    assert.deepEqual(missingDescriptions((await get('/register')).body), []);
    assert.deepEqual(missingDescriptions((await get('/login')).body), []);
    assert.deepEqual(missingDescriptions((await get(`/users/${member.id}/settings`, member)).body), []);
    const csrf = await getCsrf(t.app, '', '/register');
    const failed = await t.app.inject({
      method: 'POST', url: '/register', remoteAddress: '10.77.0.1',
      headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf.token, username: 'x', password: 'short', confirm: 'other', email: 'not-an-email' }).toString(),
    });
    assert.equal(failed.statusCode, 400);
    assert.match(failed.body, /aria-invalid="true"/);
    assert.deepEqual(missingDescriptions(failed.body), []);
    assert.deepEqual(missingDescriptions((await get('/admin/rules', admin)).body), []);
    assert.deepEqual(missingDescriptions((await get(`/admin/users/${member.id}`, admin)).body), []);
  });
});

describe('rate-limited page', () => {
  it('shows a logged-in member their own header on a 429', async () => {
    const attempt = () => t.app.inject({
      method: 'POST', url: `/users/${member.id}/password`, remoteAddress: '10.77.0.2',
      headers: { cookie: member.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'current=x',
    });
    let res = await attempt();
    for (let i = 0; i < 20 && res.statusCode !== 429; i++) res = await attempt();
    assert.equal(res.statusCode, 429);
    assert.match(res.body, /Rate limit exceeded/);
    assert.match(res.body, new RegExp(`<a href="/users/${member.id}">someone</a>`), 'the header shows the member');
    assert.match(res.body, /Log out/);
    assert.doesNotMatch(res.body, /<a href="\/login">Log in<\/a>/);
  });
});

describe('bonus points', () => {
  it('shows two decimals on the staff member page and the bonus page', async () => {
    await t.app.db.prisma.user.update({ where: { id: member.id }, data: { bonusPoints: 1234.5678901234567 } });
    const staff = (await get(`/admin/users/${member.id}`, admin)).body;
    assert.match(staff, /<dt>Bonus points<\/dt><dd>1,234.56<\/dd>/);
    assert.doesNotMatch(staff, /1234\.567/);
    assert.match((await get('/bonus', member)).body, /<div class="value">1,234.56<\/div>/);
  });
});

describe('staff traffic inputs', () => {
  it('reads and writes amounts like 1.5 GiB exactly', () => {
    for (const bytes of [0n, 1023n, 1536n, 5n * GIB, 3n * GIB / 2n, 1024n ** 4n * 3n]) {
      const shown = formatByteAmount(bytes);
      assert.ok(shown.exact, `${bytes} is exact`);
      assert.equal(parseByteAmount(shown.text), bytes, shown.text);
    }
    assert.deepEqual(formatByteAmount(5n * GIB), { text: '5 GiB', exact: true });
    assert.deepEqual(formatByteAmount(123_456_789_012n), { text: '114.98 GiB', exact: false });
  });

  it('shows the totals as amounts and keeps a rounded total that was left as shown', async () => {
    const exactUp = 123_456_789_012n;
    await t.app.db.prisma.user.update({ where: { id: member.id }, data: { uploaded: exactUp, downloaded: 3n * GIB / 2n } });
    const page = (await get(`/admin/users/${member.id}`, admin)).body;
    assert.match(page, /name="traffic-uploaded" value="114.98 GiB"/);
    assert.match(page, /name="traffic-downloaded" value="1.5 GiB"/);
    const url = `/admin/users/${member.id}/traffic`;
    const from = `/admin/users/${member.id}`;
    const saved = await postForm(t.app, admin, url, {
      'traffic-uploaded': '114.98 GiB', 'traffic-uploaded-shown': '114.98 GiB',
      'traffic-downloaded': '2.25 GiB', 'traffic-downloaded-shown': '1.5 GiB', 'traffic-reason': 'correction',
    }, { from });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 300));
    const row = await t.app.db.prisma.user.findUniqueOrThrow({ where: { id: member.id }, select: { uploaded: true, downloaded: true } });
    assert.equal(row.uploaded, exactUp, 'the untouched rounded amount kept the exact bytes');
    assert.equal(row.downloaded, 9n * GIB / 4n);
    const changed = await postForm(t.app, admin, url, {
      'traffic-uploaded': '100 GiB', 'traffic-uploaded-shown': '114.98 GiB',
      'traffic-downloaded': '2.25 GiB', 'traffic-downloaded-shown': '2.25 GiB', 'traffic-reason': 'another correction',
    }, { from });
    assert.equal(changed.statusCode, 303);
    assert.equal((await t.app.db.prisma.user.findUniqueOrThrow({ where: { id: member.id }, select: { uploaded: true } })).uploaded, 100n * GIB);
    const bad = await postForm(t.app, admin, url, { 'traffic-uploaded': 'lots', 'traffic-downloaded': '1 GiB', 'traffic-reason': 'typo' }, { from });
    assert.equal(bad.statusCode, 400);
  });
});

describe('passkey reset', () => {
  it('asks for confirmation before resetting, without JavaScript', async () => {
    const passkeyOf = async () => (await t.app.db.prisma.user.findUniqueOrThrow({ where: { id: member.id }, select: { passkey: true } })).passkey;
    const before = await passkeyOf();
    const profile = (await get(`/users/${member.id}`, member)).body;
    assert.match(profile, new RegExp(`<a class="button danger" href="/users/${member.id}/passkey">Reset passkey…</a>`));
    assert.doesNotMatch(profile, /<form method="post" action="\/users\/\d+\/passkey"/, 'no one-click reset');
    const confirm = await get(`/users/${member.id}/passkey`, member);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /<input type="hidden" name="confirm" value="yes">/);

    const unconfirmed = await postForm(t.app, member, `/users/${member.id}/passkey`, {}, { from: `/users/${member.id}/passkey` });
    assert.equal(unconfirmed.statusCode, 303);
    assert.equal(unconfirmed.headers.location, `/users/${member.id}/passkey`);
    assert.equal(await passkeyOf(), before, 'not reset without confirming');

    const confirmed = await postForm(t.app, member, `/users/${member.id}/passkey`, { confirm: 'yes' }, { from: `/users/${member.id}/passkey` });
    assert.equal(confirmed.statusCode, 303);
    assert.match(flashOf(confirmed) ?? '', /passkey was reset/);
    assert.notEqual(await passkeyOf(), before);
    assert.equal((await get(`/users/${member.id}/passkey`, admin)).statusCode, 403, 'only the owner');
  });
});

describe('uploads on a profile', () => {
  it('pages a long list of uploads, 25 at a time, newest first', async () => {
    const uploader = await createMember(t.app, 'prolific');
    const categoryId = await firstCategoryId(t.app);
    const ids = await seedReleases(t.app, Array.from({ length: 60 }, (_, i) => ({ name: `upload-${String(i).padStart(2, '0')}`, categoryId, uploaderId: uploader.id })));
    await Promise.all(ids.map((id, i) => t.app.db.prisma.release.update({ where: { id }, data: { createdAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000) } })));
    const names = (html: string) => [...html.matchAll(/<a href="\/releases\/\d+">(upload-\d\d)<\/a>/g)].map((m) => m[1]);

    const first = (await get(`/users/${uploader.id}`, member)).body;
    assert.match(first, /Uploaded releases <span class="muted">\(60\)<\/span>/);
    assert.equal(names(first).length, 25);
    assert.equal(names(first)[0], 'upload-59');
    assert.match(first, new RegExp(`<a href="/users/${uploader.id}\\?uploads=2#uploads-h" rel="next">Older</a>`));
    assert.doesNotMatch(first, /rel="prev">Newer/);

    const last = (await get(`/users/${uploader.id}?uploads=3`, member)).body;
    assert.deepEqual(names(last), Array.from({ length: 10 }, (_, i) => `upload-${String(9 - i).padStart(2, '0')}`));
    assert.match(last, /51–60 of 60/);
    assert.match(last, /rel="prev">Newer/);
    assert.doesNotMatch(last, /rel="next">Older/);

    for (const bad of ['0', '-1', 'abc', '9999999999']) {
      const res = await get(`/users/${uploader.id}?uploads=${bad}`, member);
      assert.equal(res.statusCode, 200, `?uploads=${bad}`);
      assert.equal(names(res.body)[0], 'upload-59');
    }
    const beyond = await get(`/users/${uploader.id}?uploads=50`, member);
    assert.equal(beyond.statusCode, 200);
    assert.match(beyond.body, /No uploads on this page/);
  });
});
