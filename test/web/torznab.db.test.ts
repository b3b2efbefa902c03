import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { attrsOf, parseXml, tokenFor } from '../helpers/api.js';
import { bencode, createMember, firstCategoryId, makeTorrent, seedReleases, uploadOk, type Member } from '../helpers/releases.js';

describe('torznab', () => {
  let t: TestApp;
  let member: Member;
  let token: string;
  let movieId: number;
  let showId: number;
  const get = (query: string) => t.app.inject({ method: 'GET', url: `/api/torznab?${query}` });
  const feed = async (query: string) => {
    const res = await get(`apikey=${token}&${query}`);
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /^application\/xml/);
    return parseXml(res.body);
  };
  const items = async (query: string): Promise<any[]> => (await feed(query)).rss.channel.item ?? [];
  const errorOf = async (query: string, status = 200) => {
    const res = await get(query);
    assert.equal(res.statusCode, status, res.body);
    const doc = parseXml(res.body);
    assert.ok(doc.error, `expected an error element: ${res.body}`);
    return { code: Number(doc.error['@code']), description: String(doc.error['@description']) };
  };

  before(async () => {
    t = await buildTestApp({ config: { baseUrl: 'https://tracker.example' } });
    const uploader = await createMember(t.app, 'uploader1');
    member = await createMember(t.app, 'member1');
    token = await tokenFor(t.app, member, ['read', 'download']);
    movieId = await uploadOk(t.app, uploader, { torrent: makeTorrent({ name: 'The.Movie.2019.1080p', files: [[['a.mkv'], 30000], [['b.nfo'], 100]] }) });
    await t.app.db.prisma.release.update({ where: { id: movieId }, data: { imdbId: 'tt0111161', tmdbId: 278, freeleech: 'freeleech', snatched: 4 } });
    const tv = await firstCategoryId(t.app, 'TV');
    [showId] = await seedReleases(t.app, [
      { name: 'Some.Show.S02E05.720p', categoryId: tv, freeleech: 'double_upload', createdAt: new Date(Date.now() + 1000) },
      { name: 'Some.Show.S02E06.720p <&> "x"', categoryId: tv, createdAt: new Date(Date.now() + 2000) },
      { name: 'Deleted.Show.S02E05', categoryId: tv, deletedAt: new Date(), deleteReason: 'dupe' },
    ]);
    await t.app.db.prisma.release.update({ where: { id: showId }, data: { tvdbId: 81189 } });
    await seedReleases(t.app, [
      { name: 'An.Album.FLAC', categoryId: await firstCategoryId(t.app, 'Music'), createdAt: new Date(Date.now() + 3000) },
      { name: 'A.Game', categoryId: await firstCategoryId(t.app, 'Games'), createdAt: new Date(Date.now() + 4000) },
    ]);
  });
  after(async () => t.close());

  it('answers caps without a key: limits, the search functions and their parameters, Newznab categories', async () => {
    const res = await get('t=caps');
    assert.equal(res.statusCode, 200);
    const caps = parseXml(res.body).caps;
    assert.deepEqual({ max: caps.limits['@max'], default: caps.limits['@default'] }, { max: '100', default: '50' });
    assert.equal(caps.searching.search['@available'], 'yes');
    assert.equal(caps.searching['tv-search']['@supportedParams'], 'q,season,ep,imdbid,tvdbid');
    assert.equal(caps.searching['movie-search']['@supportedParams'], 'q,imdbid,tmdbid');
    assert.equal(caps.searching['music-search']['@available'], 'yes');
    const ids = caps.categories.category.map((c: any) => Number(c['@id']));
    assert.deepEqual(ids, [2000, 3000, 4000, 5000, 7000, 8000]);
    const pc = caps.categories.category.find((c: any) => c['@id'] === '4000');
    assert.deepEqual(pc.subcat.map((s: any) => s['@id']), ['4050']);
  });

  it('lists the newest releases with every field Prowlarr reads', async () => {
    const list = await items('t=search');
    assert.deepEqual(list.map((i) => i.title), ['A.Game', 'An.Album.FLAC', 'Some.Show.S02E06.720p <&> "x"', 'Some.Show.S02E05.720p', 'The.Movie.2019.1080p']);
    const movie = list.find((i) => i.title === 'The.Movie.2019.1080p');
    assert.equal(movie.guid['#text'], `https://tracker.example/releases/${movieId}`);
    assert.equal(movie.link, `https://tracker.example/releases/${movieId}`);
    assert.equal(movie.comments, `https://tracker.example/releases/${movieId}`);
    assert.match(movie.pubDate, /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    assert.ok(!Number.isNaN(Date.parse(movie.pubDate)));
    assert.equal(movie.enclosure['@url'], `https://tracker.example/api/torznab/download/${movieId}?apikey=${token}`);
    assert.equal(movie.enclosure['@type'], 'application/x-bittorrent');
    assert.equal(movie.enclosure['@length'], movie.size);
    assert.deepEqual(movie.category, ['2000']);
    const attrs = attrsOf(movie);
    assert.deepEqual(attrs.category, ['2000']);
    assert.equal(attrs.size[0], '30100');
    assert.deepEqual([attrs.files[0], attrs.grabs[0], attrs.seeders[0], attrs.peers[0]], ['2', '4', '0', '0']);
    assert.match(attrs.infohash[0], /^[0-9a-f]{40}$/);
    assert.deepEqual([attrs.downloadvolumefactor[0], attrs.uploadvolumefactor[0]], ['0', '1']);
    assert.equal(attrs.minimumratio[0], '0');
    assert.equal(attrs.minimumseedtime[0], String(72 * 3600));
    assert.deepEqual([attrs.imdbid[0], attrs.imdb[0], attrs.tmdbid[0]], ['tt0111161', '0111161', '278']);
  });

  it('escapes names into well-formed XML and hides deleted releases', async () => {
    const list = await items('t=search&q=show');
    assert.deepEqual(list.map((i) => i.title), ['Some.Show.S02E06.720p <&> "x"', 'Some.Show.S02E05.720p']);
  });

  it('gives the volume factors of each traffic rule and of the site-wide freeleech', async () => {
    const factors = async () => Object.fromEntries((await items('t=search')).map((i) => [i.title, `${attrsOf(i).downloadvolumefactor[0]}/${attrsOf(i).uploadvolumefactor[0]}`]));
    let now = await factors();
    assert.equal(now['Some.Show.S02E05.720p'], '1/2');
    assert.equal(now['A.Game'], '1/1');
    await t.app.db.prisma.release.updateMany({ where: { name: 'A.Game' }, data: { freeleech: 'neutral' } });
    t.app.tracker.setPolicy({ siteFreeleech: true });
    try {
      now = await factors();
      assert.deepEqual([now['Some.Show.S02E05.720p'], now['An.Album.FLAC'], now['A.Game'], now['The.Movie.2019.1080p']], ['0/2', '0/1', '0/0', '0/1']);
    } finally {
      t.app.tracker.setPolicy({ siteFreeleech: false });
    }
  });

  it('reads minimumratio from the ratio table at the member\'s download, minimumseedtime from the hit-and-run rule', async () => {
    await t.app.db.prisma.user.update({ where: { id: member.id }, data: { downloaded: 25n * 1024n ** 3n } });
    await t.app.settings.update({ hnrSeedHours: 36 });
    try {
      const attrs = attrsOf((await items('t=search&q=movie'))[0]);
      assert.equal(attrs.minimumratio[0], '0.3');
      assert.equal(attrs.minimumseedtime[0], String(36 * 3600));
    } finally {
      await t.app.db.prisma.user.update({ where: { id: member.id }, data: { downloaded: 0n } });
      await t.app.settings.update({ hnrSeedHours: 72 });
    }
  });

  it('filters by Newznab category: parents, subcategories mapped to their parent, several at once', async () => {
    const titles = async (cat: string) => (await items(`t=search&cat=${cat}`)).map((i) => i.title).sort();
    assert.deepEqual(await titles('2000'), ['The.Movie.2019.1080p']);
    assert.deepEqual(await titles('2040,2045'), ['The.Movie.2019.1080p']);
    assert.deepEqual(await titles('3000'), ['An.Album.FLAC']);
    assert.deepEqual(await titles('4050'), ['A.Game']);
    assert.deepEqual(await titles('5000,3000'), ['An.Album.FLAC', 'Some.Show.S02E05.720p', 'Some.Show.S02E06.720p <&> "x"']);
    assert.deepEqual(await titles('7000'), []);
    const game = (await items('t=search&cat=4000'))[0];
    assert.deepEqual(game.category, ['4050', '4000']);
  });

  it('searches TV by season and episode and by tvdbid', async () => {
    assert.deepEqual((await items('t=tvsearch&q=some%20show&season=2&ep=5')).map((i) => i.title), ['Some.Show.S02E05.720p']);
    assert.deepEqual((await items('t=tvsearch&q=some%20show&season=2')).length, 2);
    assert.deepEqual((await items('t=tvsearch&tvdbid=81189')).map((i) => i.title), ['Some.Show.S02E05.720p']);
    assert.equal(attrsOf((await items('t=tvsearch&tvdbid=81189'))[0]).tvdbid[0], '81189');
  });

  it('searches movies by imdbid (with or without tt) and tmdbid, and music by artist', async () => {
    assert.deepEqual((await items('t=movie&imdbid=tt0111161')).map((i) => i.title), ['The.Movie.2019.1080p']);
    assert.deepEqual((await items('t=movie&imdbid=0111161')).map((i) => i.title), ['The.Movie.2019.1080p']);
    assert.deepEqual((await items('t=movie&tmdbid=278&cat=2000')).map((i) => i.title), ['The.Movie.2019.1080p']);
    assert.deepEqual(await items('t=movie&tmdbid=279'), []);
    assert.deepEqual((await items('t=music&artist=album')).map((i) => i.title), ['An.Album.FLAC']);
  });

  it('pages with limit and offset, capping limit at 100', async () => {
    assert.deepEqual((await items('t=search&limit=2')).map((i) => i.title), ['A.Game', 'An.Album.FLAC']);
    assert.deepEqual((await items('t=search&limit=2&offset=2')).map((i) => i.title), ['Some.Show.S02E06.720p <&> "x"', 'Some.Show.S02E05.720p']);
    assert.equal((await items('t=search&limit=100000')).length, 5);
  });

  it('refuses a missing, unknown, revoked or foreign-looking key with code 100', async () => {
    assert.equal((await errorOf('t=search')).code, 100);
    assert.equal((await errorOf('t=search&apikey=nope')).code, 100);
    assert.equal((await errorOf(`t=search&apikey=sk_${'A'.repeat(32)}`)).code, 100);
    const other = await tokenFor(t.app, member, ['read']);
    await t.app.db.prisma.apiToken.deleteMany({ where: { tokenHash: (await import('../../src/web/api/tokens.js')).hashApiToken(other) } });
    assert.equal((await errorOf(`t=search&apikey=${other}`)).code, 100);
  });

  it('refuses a disabled member\'s key with code 101, and a key without the read scope with 102', async () => {
    const gone = await createMember(t.app, 'gone1');
    const goneToken = await tokenFor(t.app, gone, ['read']);
    await t.app.db.prisma.user.update({ where: { id: gone.id }, data: { enabled: false } });
    assert.equal((await errorOf(`t=search&apikey=${goneToken}`)).code, 101);
    const uploadOnly = await tokenFor(t.app, member, ['upload']);
    assert.equal((await errorOf(`t=search&apikey=${uploadOnly}`)).code, 102);
  });

  it('answers bad parameters with 200, 201, 202 and 203', async () => {
    const k = `apikey=${token}`;
    assert.deepEqual(await errorOf(k), { code: 200, description: 'Missing parameter (t)' });
    assert.equal((await errorOf(`${k}&t=nothing`)).code, 202);
    assert.equal((await errorOf(`${k}&t=details&id=1`)).code, 203);
    for (const bad of ['limit=-1', 'limit=abc', 'offset=1e3', 'cat=movies', 'imdbid=tt12', 'tmdbid=0', 'tvdbid=x', 'season=one&ep=1']) {
      assert.equal((await errorOf(`${k}&t=tvsearch&${bad}`)).code, 201, bad);
    }
  });

  it('survives hostile query strings: prototype keys, NUL, huge and repeated values', async () => {
    const k = `apikey=${token}`;
    assert.equal((await errorOf(`${k}&t=__proto__`)).code, 202);
    assert.equal((await errorOf(`${k}&t=constructor`)).code, 202);
    assert.equal((await errorOf(`${k}&t=search&q=a%00b`)).code, 201);
    assert.equal((await errorOf(`${k}&t=search&q=${'x'.repeat(5000)}`)).code, 201);
    assert.equal((await errorOf(`${k}&t=search&cat=${'1,'.repeat(500)}1`)).code, 201);
    assert.ok(Array.isArray(await items('t=search&__proto__[x]=1&constructor[prototype][y]=2&toString=1')));
    assert.equal((await items('t=search&q=movie&q=show')).map((i: any) => i.title)[0], 'The.Movie.2019.1080p');
    assert.equal(({} as any).x, undefined);
    assert.equal(({} as any).y, undefined);
  });

  it('downloads the member\'s passkeyed torrent with the download scope only', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/torznab/download/${movieId}?apikey=${token}` });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/x-bittorrent');
    assert.equal(Buffer.from(bencode.decode(res.rawPayload).announce).toString(), `https://tracker.example/announce/${member.passkey}`);
    const readOnly = await tokenFor(t.app, member, ['read']);
    const refused = await t.app.inject({ method: 'GET', url: `/api/torznab/download/${movieId}?apikey=${readOnly}` });
    assert.equal(refused.statusCode, 403);
    assert.equal(Number(parseXml(refused.body).error['@code']), 102);
    const missing = await t.app.inject({ method: 'GET', url: `/api/torznab/download/999999?apikey=${token}` });
    assert.equal(missing.statusCode, 404);
    assert.equal(Number(parseXml(missing.body).error['@code']), 300);
  });

  it('answers at /api/torznab/api too, Prowlarr\'s default API path', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/torznab/api?t=caps' });
    assert.equal(res.statusCode, 200);
    assert.ok(parseXml(res.body).caps);
  });
});
