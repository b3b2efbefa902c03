import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createMember, firstCategoryId, namesOnPage, seedReleases, type Member } from '../helpers/releases.js';

describe('browse releases', () => {
  let t: TestApp;
  let member: Member;
  let other: Member;
  let movies: number;
  let music: number;
  const browse = (query = '') => t.app.inject({ method: 'GET', url: `/releases${query}`, headers: { cookie: member.cookie } });

  before(async () => {
    t = await buildTestApp();
    member = await createMember(t.app, 'alice');
    other = await createMember(t.app, 'bob');
    movies = await firstCategoryId(t.app, 'Movies');
    music = await firstCategoryId(t.app, 'Music');
    const base = Date.UTC(2026, 0, 1);
    await seedReleases(t.app, [
      { name: 'Alpha Movie 2020', categoryId: movies, uploaderId: member.id, size: 5000n, fileCount: 3, seeders: 9, leechers: 1, snatched: 4, createdAt: new Date(base + 1000) },
      { name: 'Beta Album FLAC', categoryId: music, uploaderId: other.id, size: 300n, fileCount: 12, seeders: 2, leechers: 7, snatched: 40, freeleech: 'freeleech', createdAt: new Date(base + 2000) },
      { name: 'Gamma Movie 1999', categoryId: movies, uploaderId: other.id, size: 90000n, fileCount: 1, seeders: 0, leechers: 3, snatched: 1, freeleech: 'double_upload', createdAt: new Date(base + 3000) },
      { name: 'Delta 100%_done', categoryId: music, uploaderId: member.id, size: 1n, fileCount: 2, seeders: 5, leechers: 0, snatched: 0, freeleech: 'neutral', createdAt: new Date(base + 4000) },
      { name: 'Removed Movie', categoryId: movies, uploaderId: member.id, createdAt: new Date(base + 5000), deletedAt: new Date(base + 6000), deleteReason: 'dupe' },
    ]);
  });
  after(async () => t.close());

  it('needs a login', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/releases' });
    assert.equal(res.statusCode, 302);
    assert.match(String(res.headers.location), /^\/login\?next=/);
  });

  it('lists the newest first with their columns and hides deleted releases', async () => {
    const res = await browse();
    assert.equal(res.statusCode, 200);
    assert.deepEqual(namesOnPage(res.body), ['Delta 100%_done', 'Gamma Movie 1999', 'Beta Album FLAC', 'Alpha Movie 2020']);
    assert.doesNotMatch(res.body, /Removed Movie/);
    assert.match(res.body, /Showing 1–4 of 4 releases/);
    assert.match(res.body, /<span class="badge free"/);
    assert.match(res.body, /<span class="badge double"/);
    assert.match(res.body, /<span class="badge neutral"/);
    assert.match(res.body, />87.89 KiB</);
    assert.match(res.body, /<a href="\/users\/\d+">bob<\/a>/);
  });

  const sorts: Array<[string, string, string[]]> = [
    ['name', 'asc', ['Alpha Movie 2020', 'Beta Album FLAC', 'Delta 100%_done', 'Gamma Movie 1999']],
    ['name', 'desc', ['Gamma Movie 1999', 'Delta 100%_done', 'Beta Album FLAC', 'Alpha Movie 2020']],
    ['size', 'desc', ['Gamma Movie 1999', 'Alpha Movie 2020', 'Beta Album FLAC', 'Delta 100%_done']],
    ['size', 'asc', ['Delta 100%_done', 'Beta Album FLAC', 'Alpha Movie 2020', 'Gamma Movie 1999']],
    ['files', 'desc', ['Beta Album FLAC', 'Alpha Movie 2020', 'Delta 100%_done', 'Gamma Movie 1999']],
    ['seeders', 'desc', ['Alpha Movie 2020', 'Delta 100%_done', 'Beta Album FLAC', 'Gamma Movie 1999']],
    ['leechers', 'desc', ['Beta Album FLAC', 'Gamma Movie 1999', 'Alpha Movie 2020', 'Delta 100%_done']],
    ['snatched', 'desc', ['Beta Album FLAC', 'Alpha Movie 2020', 'Gamma Movie 1999', 'Delta 100%_done']],
    ['added', 'asc', ['Alpha Movie 2020', 'Beta Album FLAC', 'Gamma Movie 1999', 'Delta 100%_done']],
    ['category', 'asc', ['Alpha Movie 2020', 'Gamma Movie 1999', 'Beta Album FLAC', 'Delta 100%_done']],
    ['uploader', 'asc', ['Alpha Movie 2020', 'Delta 100%_done', 'Beta Album FLAC', 'Gamma Movie 1999']],
  ];
  for (const [sort, order, expected] of sorts) {
    it(`sorts by ${sort} ${order}`, async () => {
      const res = await browse(`?sort=${sort}&order=${order}`);
      assert.deepEqual(namesOnPage(res.body), expected);
      assert.match(res.body, new RegExp(`aria-sort="${order}ending"`));
    });
  }

  it('ignores an unknown sort column instead of putting it in SQL', async () => {
    const res = await browse('?sort=name;DROP TABLE releases&order=sideways');
    assert.equal(res.statusCode, 200);
    assert.equal(namesOnPage(res.body)[0], 'Delta 100%_done');
  });

  it('filters by category', async () => {
    const res = await browse(`?category=${music}`);
    assert.deepEqual(namesOnPage(res.body), ['Delta 100%_done', 'Beta Album FLAC']);
    assert.match(res.body, new RegExp(`<option value="${music}" selected>Music</option>`));
  });

  it('filters by freeleech mode, or any bonus', async () => {
    assert.deepEqual(namesOnPage((await browse('?freeleech=freeleech')).body), ['Beta Album FLAC']);
    assert.deepEqual(namesOnPage((await browse('?freeleech=double_upload')).body), ['Gamma Movie 1999']);
    assert.deepEqual(namesOnPage((await browse('?freeleech=any')).body), ['Delta 100%_done', 'Gamma Movie 1999', 'Beta Album FLAC']);
  });

  it('searches by every word in the name, case-insensitively', async () => {
    assert.deepEqual(namesOnPage((await browse('?q=movie')).body), ['Gamma Movie 1999', 'Alpha Movie 2020']);
    assert.deepEqual(namesOnPage((await browse('?q=MOVIE+alpha')).body), ['Alpha Movie 2020']);
    assert.deepEqual(namesOnPage((await browse('?q=movie+flac')).body), []);
    assert.match((await browse('?q=movie+flac')).body, /No releases match/);
  });

  it('treats % and _ in a search as characters, not wildcards', async () => {
    assert.deepEqual(namesOnPage((await browse('?q=100%25_')).body), ['Delta 100%_done']);
    assert.deepEqual(namesOnPage((await browse('?q=%25%25')).body), []);
  });

  it('does not find deleted releases by search', async () => {
    assert.deepEqual(namesOnPage((await browse('?q=removed')).body), []);
  });

  it('combines search, category and freeleech filters', async () => {
    assert.deepEqual(namesOnPage((await browse(`?q=movie&category=${movies}&freeleech=double_upload`)).body), ['Gamma Movie 1999']);
  });

  it('escapes the search words it echoes back', async () => {
    const res = await browse('?q=%3Cscript%3Ealert(1)%3C/script%3E');
    assert.doesNotMatch(res.body, /<script>alert/);
    assert.match(res.body, /value="&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
  });

  it('escapes hostile release names and usernames in the table', async () => {
    const [id] = await seedReleases(t.app, [{ name: '<img src=x onerror=alert(1)> Hostile', categoryId: movies, uploaderId: member.id }]);
    const res = await browse('?q=hostile');
    assert.doesNotMatch(res.body, /<img src=x/);
    assert.match(res.body, new RegExp(`<a href="/releases/${id}">&lt;img src&#x3D;x onerror&#x3D;alert\\(1\\)&gt; Hostile</a>`));
    await t.app.db.prisma.release.delete({ where: { id } });
  });

  describe('paging', () => {
    before(async () => {
      const tv = await firstCategoryId(t.app, 'TV');
      const base = Date.UTC(2025, 0, 1);
      await seedReleases(t.app, Array.from({ length: 120 }, (_, i) => ({ name: `Show S01E${String(i + 1).padStart(3, '0')}`, categoryId: tv, createdAt: new Date(base + i * 1000) })));
    });

    it('shows 50 per page with links that keep the filters', async () => {
      const first = await browse('?q=show&sort=name&order=asc');
      assert.equal(namesOnPage(first.body).length, 50);
      assert.equal(namesOnPage(first.body)[0], 'Show S01E001');
      assert.match(first.body, /Showing 1–50 of 120 releases/);
      assert.match(first.body.replaceAll('&#x3D;', '='), /href="\/releases\?q=show&amp;sort=name&amp;order=asc&amp;page=2" rel="next"/);
      const third = await browse('?q=show&sort=name&order=asc&page=3');
      assert.deepEqual(namesOnPage(third.body), Array.from({ length: 20 }, (_, i) => `Show S01E${String(i + 101)}`));
      assert.match(third.body, /Showing 101–120 of 120/);
      assert.doesNotMatch(third.body, /rel="next"/);
      assert.match(third.body, /rel="prev"/);
    });

    it('shows an empty page past the end rather than an error', async () => {
      const res = await browse('?q=show&page=99');
      assert.equal(res.statusCode, 200);
      assert.deepEqual(namesOnPage(res.body), []);
    });

    it('ignores a malformed page number', async () => {
      const res = await browse('?q=show&page=-3');
      assert.equal(namesOnPage(res.body).length, 50);
    });
  });

  describe('a long result', () => {
    before(async () => {
      const other = await firstCategoryId(t.app, 'Other');
      // 300 releases in one statement: seedReleases makes them one by one
      await t.app.db.sql.exec(`
        INSERT INTO releases (info_hash_v1, name, size, piece_length, file_count, category_id, torrent_file, created_at)
        SELECT decode(md5('long-' || i) || '00000000', 'hex'), 'Longrun part ' || lpad(i::text, 3, '0'), 1000, 16384, 1,
               ${other}, '\\x6465'::bytea, timestamp '2024-01-01' + i * interval '1 minute'
        FROM generate_series(1, 300) AS i`);
    });

    it('counts only the pages the pager links: "150+", and no last page', async () => {
      const res = await browse('?q=longrun');
      const html = res.body.replaceAll('&#x3D;', '=');
      assert.match(html, /Showing 1–50 of 150\+ releases/);
      assert.equal(namesOnPage(html)[0], 'Longrun part 300');
      const links = [...html.matchAll(/href="\/releases\?q=longrun[^"]*page=(\d+)"/g)].map((m) => Number(m[1]));
      assert.ok(links.includes(3), links.join());
      assert.ok(!links.some((page) => page > 3), `no link past page 3: ${links.join()}`);
      assert.match(html, /<span class="gap" aria-hidden="true">…<\/span>\s*<a href="[^"]*page=2" rel="next">/);
    });

    it('counts further on later pages, exactly once the end is in reach', async () => {
      assert.match((await browse('?q=longrun&page=2')).body, /Showing 51–100 of 200\+ releases/);
      assert.match((await browse('?q=longrun&page=4')).body, /Showing 151–200 of 300 releases/);
      const last = await browse('?q=longrun&page=6');
      assert.deepEqual(namesOnPage(last.body), Array.from({ length: 50 }, (_, i) => `Longrun part ${String(50 - i).padStart(3, '0')}`));
      assert.doesNotMatch(last.body, /rel="next"/);
    });
  });

  it('finds a release by its new name after an edit (the lower-case copy follows the name)', async () => {
    const [id] = await seedReleases(t.app, [{ name: 'Epsilon Draft', categoryId: movies }]);
    await t.app.db.prisma.release.update({ where: { id }, data: { name: 'Epsilon FINAL Cut' } });
    assert.deepEqual(namesOnPage((await browse('?q=final+epsilon')).body), ['Epsilon FINAL Cut']);
    assert.deepEqual(namesOnPage((await browse('?q=draft')).body), []);
    await t.app.db.prisma.release.delete({ where: { id } });
  });

  it('sorts by category, newest first within one when descending', async () => {
    const res = await browse(`?sort=category&order=desc&q=movie`);
    assert.deepEqual(namesOnPage(res.body), ['Gamma Movie 1999', 'Alpha Movie 2020']);
  });
});
