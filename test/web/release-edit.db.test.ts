// Uploaders edit their own release (name, category, Markdown description, media ids), staff
// any with a reason; the change is logged and the tracker's catalog synced. Descriptions are
// Markdown rendered safely, images only when the descriptionImages setting allows them. An
// .nfo may come with the upload and is shown in a monospace block.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fieldError, postForm } from '../helpers/admin.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createMember, firstCategoryId, getCsrf, makeTorrent, multipart, uploadOk, type Member } from '../helpers/releases.js';

let t: TestApp;
let moderator: Member;
let uploader: Member;
let other: Member;
let releaseId: number;
const synced: number[] = [];

before(async () => {
  t = await buildTestApp();
  await createMember(t.app, 'boss', 'admin');
  moderator = await createMember(t.app, 'mod', 'moderator');
  uploader = await createMember(t.app, 'upper');
  other = await createMember(t.app, 'other');
  releaseId = await uploadOk(t.app, uploader, { torrent: makeTorrent(), description: 'Plain text.' });
  const sync = t.app.tracker.syncRelease.bind(t.app.tracker);
  t.app.tracker.syncRelease = async (id: number) => {
    synced.push(id);
    await sync(id);
  };
});
after(() => t.close());

const get = (url: string, who: Member) => t.app.inject({ method: 'GET', url, headers: { cookie: who.cookie } });
const edit = (who: Member, fields: Record<string, string>) =>
  postForm(t.app, who, `/releases/${releaseId}/edit`, { name: 'Edited.Name.2026', category: String(fields.category ?? ''), description: '', ...fields }, { from: `/releases/${releaseId}` });

describe('an uploader editing their release', () => {
  it('saves name, category, description and media ids, logs it and syncs the tracker', async () => {
    assert.match((await get(`/releases/${releaseId}`, uploader)).body, new RegExp(`href="/releases/${releaseId}/edit">Edit`));
    const form = await get(`/releases/${releaseId}/edit`, uploader);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Plain text\.<\/textarea>/);
    const tv = await t.app.db.prisma.category.findUniqueOrThrow({ where: { name: 'TV' }, select: { id: true } });
    const res = await edit(uploader, { category: String(tv.id), description: '## Notes\n\n**1080p** WEB-DL\nsecond line', imdbId: 'tt0111161' });
    assert.equal(res.statusCode, 303, res.body);
    const page = (await get(`/releases/${releaseId}`, other)).body;
    assert.match(page, /Edited\.Name\.2026/);
    assert.match(page, /<h3>Notes<\/h3>\n<p><strong>1080p<\/strong> WEB-DL<br \/>\nsecond line<\/p>/);
    const row = await t.app.db.prisma.release.findUniqueOrThrow({ where: { id: releaseId }, select: { categoryId: true, imdbId: true } });
    assert.deepEqual(row, { categoryId: tv.id, imdbId: 'tt0111161' });
    const entry = await t.app.db.prisma.moderationLog.findFirstOrThrow({ where: { action: 'edit_release', releaseId }, select: { actorId: true, reason: true } });
    assert.deepEqual(entry, { actorId: uploader.id, reason: 'edited by the uploader' });
    assert.ok(synced.includes(releaseId), 'the tracker catalog was synced');
  });

  it('answers bad input beside its field with a 400', async () => {
    const category = String(await firstCategoryId(t.app));
    const noName = await edit(uploader, { name: '', category });
    assert.equal(noName.statusCode, 400);
    assert.equal(fieldError(noName.body, 'name'), 'Give the release a name.');
    assert.equal((await edit(uploader, { category: 'abc' })).statusCode, 400);
    const badImdb = await edit(uploader, { category, imdbId: 'nope' });
    assert.equal(badImdb.statusCode, 400);
    assert.ok(fieldError(badImdb.body, 'imdbId'));
    assert.equal((await edit(uploader, { category, description: 'x'.repeat(20_001) })).statusCode, 400);
    assert.equal((await postForm(t.app, uploader, `/releases/${releaseId}/edit`, { name: 'x', category }, { from: `/releases/${releaseId}`, csrf: false })).statusCode, 403);
  });

  it("refuses another member's edit, and unknown releases", async () => {
    assert.doesNotMatch((await get(`/releases/${releaseId}`, other)).body, /\/edit">Edit/);
    assert.equal((await get(`/releases/${releaseId}/edit`, other)).statusCode, 403);
    assert.equal((await edit(other, { category: String(await firstCategoryId(t.app)) })).statusCode, 403);
    assert.equal((await get('/releases/999999/edit', uploader)).statusCode, 404);
  });

  it('lets staff edit any release with a reason', async () => {
    const category = String(await firstCategoryId(t.app));
    const noReason = await edit(moderator, { category, name: 'Staff.Fixed.Name' });
    assert.equal(noReason.statusCode, 400);
    assert.ok(fieldError(noReason.body, 'reason'));
    assert.equal((await edit(moderator, { category, name: 'Staff.Fixed.Name', reason: 'Naming rules' })).statusCode, 303);
    const entry = await t.app.db.prisma.moderationLog.findFirstOrThrow({ where: { action: 'edit_release', releaseId, actorId: moderator.id }, select: { reason: true } });
    assert.equal(entry.reason, 'Naming rules');
  });
});

describe('Markdown descriptions', () => {
  const hostile = '<script>alert(1)</script>\n\n[x](javascript:alert(2)) [ok](https://example.org/a)\n\n![poster](https://img.example/p.jpg) ![plain](http://img.example/h.jpg)\n\n<iframe src="https://evil.example"></iframe>';

  it('shows hostile Markdown as text, links nofollow, and no images while the setting is off', async () => {
    await edit(uploader, { category: String(await firstCategoryId(t.app)), description: hostile });
    const res = await get(`/releases/${releaseId}`, other);
    assert.doesNotMatch(res.body, /<script>alert/);
    assert.doesNotMatch(res.body, /<iframe/);
    assert.doesNotMatch(res.body, /href="javascript:/);
    assert.doesNotMatch(res.body, /<img/);
    assert.match(res.body, /<a href="https:\/\/example.org\/a" rel="nofollow noopener">ok<\/a>/);
    assert.doesNotMatch(String(res.headers['content-security-policy']), /img-src[^;]*https:/);
  });

  it('shows https images without a referrer when the setting allows them, and the CSP admits them', async () => {
    await t.app.settings.update({ descriptionImages: 'https' });
    try {
      const res = await get(`/releases/${releaseId}`, other);
      assert.match(res.body, /<img src="https:\/\/img.example\/p.jpg" alt="poster" loading="lazy" referrerpolicy="no-referrer" \/>/);
      assert.doesNotMatch(res.body, /<img src="http:/);
      assert.match(String(res.headers['content-security-policy']), /img-src 'self' data: https:/);
    } finally {
      await t.app.settings.update({ descriptionImages: 'none' });
    }
  });
});

describe('an .nfo with the upload', () => {
  async function uploadWithNfo(nfo: Buffer, filename = 'release.nfo') {
    const csrf = await getCsrf(t.app, uploader.cookie, '/upload');
    const body = multipart([
      { name: '_csrf', value: csrf.token },
      { name: 'torrent', value: makeTorrent(), filename: 'a.torrent' },
      { name: 'category', value: String(await firstCategoryId(t.app)) },
      { name: 'nfo', value: nfo, filename, contentType: 'text/plain' },
    ]);
    return t.app.inject({ method: 'POST', url: '/upload', headers: { cookie: csrf.cookie, 'content-type': body.contentType }, payload: body.payload });
  }

  it('shows a CP437 .nfo in a monospace block, escaped', async () => {
    const art = Buffer.concat([Buffer.from([0xdb, 0xdb, 0xb2, 0xb1, 0xb0, 0x0d, 0x0a]), Buffer.from('<script>x</script> GROUP', 'latin1')]);
    const res = await uploadWithNfo(art);
    assert.equal(res.statusCode, 303, res.body);
    const page = (await get(String(res.headers.location), other)).body;
    assert.match(page, /<pre class="nfo">██▓▒░\n&lt;script&gt;x&lt;\/script&gt; GROUP<\/pre>/);
  });

  it('refuses a binary, oversized or misnamed .nfo beside its field', async () => {
    for (const [data, name] of [[Buffer.from([0x4d, 0x5a, 0x00]), 'a.nfo'], [Buffer.alloc(70_000, 0x41), 'a.nfo'], [Buffer.from('hi'), 'a.exe']] as const) {
      const res = await uploadWithNfo(data, name);
      assert.equal(res.statusCode, 400, name);
      assert.ok(fieldError(res.body, 'nfo'), name);
    }
  });
});
