// Optional IMDb/TMDB/TVDB ids on releases: entered at upload and on the staff edit page,
// checked the same way in both.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseImdbId, parseNumericId, readMediaIds } from '../../src/web/api/media-ids.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { postForm } from '../helpers/admin.js';
import { createMember, firstCategoryId, getCsrf, makeTorrent, multipart, type Member } from '../helpers/releases.js';
import { fieldError } from '../helpers/web.js';

describe('media ids', () => {
  it('reads IMDb ids with or without tt, TMDB and TVDB ids as positive whole numbers', () => {
    assert.equal(parseImdbId('tt0111161'), 'tt0111161');
    assert.equal(parseImdbId('0111161'), 'tt0111161');
    assert.equal(parseImdbId('TT12345678'), 'tt12345678');
    for (const bad of ['tt123', 'tt123456789', 'nm0000001', 'tt01111x1', '']) assert.equal(parseImdbId(bad), null, bad);
    assert.equal(parseNumericId('278'), 278);
    for (const bad of ['0', '-1', '1.5', '1e3', '1234567890', 'x']) assert.equal(parseNumericId(bad), null, bad);
    assert.deepEqual(readMediaIds({}), { imdbId: null, tmdbId: null, tvdbId: null });
    assert.throws(() => readMediaIds({ tvdbId: 'abc' }), { field: 'tvdbId' });
  });
});

describe('media ids on the upload form and the staff edit page', () => {
  let t: TestApp;
  let admin: Member;
  let member: Member;
  const upload = async (fields: Record<string, string>) => {
    const csrf = await getCsrf(t.app, member.cookie, '/upload');
    const body = multipart([
      { name: '_csrf', value: csrf.token },
      { name: 'torrent', value: makeTorrent({ name: `ids-${Math.random()}` }), filename: 'x.torrent' },
      { name: 'category', value: String(await firstCategoryId(t.app)) },
      ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    ]);
    return t.app.inject({ method: 'POST', url: '/upload', headers: { cookie: csrf.cookie, 'content-type': body.contentType }, payload: body.payload });
  };

  before(async () => {
    t = await buildTestApp();
    admin = await createMember(t.app, 'boss');
    member = await createMember(t.app, 'member1');
  });
  after(async () => t.close());

  it('stores the ids given at upload', async () => {
    const res = await upload({ imdbId: '0133093', tmdbId: '603', tvdbId: '' });
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    const id = Number(/\/releases\/(\d+)/.exec(String(res.headers.location))![1]);
    const row = await t.app.db.prisma.release.findUniqueOrThrow({ where: { id }, select: { imdbId: true, tmdbId: true, tvdbId: true } });
    assert.deepEqual(row, { imdbId: 'tt0133093', tmdbId: 603, tvdbId: null });
  });

  it('shows a bad id beside its field and saves nothing', async () => {
    const before = await t.app.db.prisma.release.count();
    const res = await upload({ imdbId: 'tt12', tmdbId: 'x' });
    assert.equal(res.statusCode, 400);
    assert.match(fieldError(res.body, 'imdbId') ?? '', /IMDb/);
    assert.match(fieldError(res.body, 'tmdbId') ?? '', /TMDB/);
    assert.match(res.body, /value="tt12"/);
    assert.equal(await t.app.db.prisma.release.count(), before);
  });

  it('lets staff set and clear the ids on the edit page', async () => {
    const res = await upload({});
    const id = Number(/\/releases\/(\d+)/.exec(String(res.headers.location))![1]);
    const category = String(await firstCategoryId(t.app));
    const edit = (fields: Record<string, string>) =>
      postForm(t.app, admin, `/admin/releases/${id}`, { name: 'Edited', category, description: '', 'edit-reason': 'adding ids', ...fields }, { from: `/admin/releases/${id}` });
    assert.equal((await edit({ imdbId: 'tt0111161', tmdbId: '278', tvdbId: '81189' })).statusCode, 303);
    const ids = () => t.app.db.prisma.release.findUniqueOrThrow({ where: { id }, select: { imdbId: true, tmdbId: true, tvdbId: true } });
    assert.deepEqual(await ids(), { imdbId: 'tt0111161', tmdbId: 278, tvdbId: 81189 });
    const page = await t.app.inject({ method: 'GET', url: `/admin/releases/${id}`, headers: { cookie: admin.cookie } });
    assert.match(page.body, /value="tt0111161"/);
    const bad = await edit({ tvdbId: '-3' });
    assert.equal(bad.statusCode, 400);
    assert.match(fieldError(bad.body, 'tvdbId') ?? '', /TVDB/);
    assert.equal((await edit({ imdbId: '', tmdbId: '', tvdbId: '' })).statusCode, 303);
    assert.deepEqual(await ids(), { imdbId: null, tmdbId: null, tvdbId: null });
  });
});
