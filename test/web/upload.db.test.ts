import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { bencode, createMember, firstCategoryId, getCsrf, makeTorrent, multipart, seedReleases, uploadOk, uploadTorrent, type Member } from '../helpers/releases.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../torrents/fixtures/${name}`, import.meta.url));

describe('upload', () => {
  let t: TestApp;
  let admin: Member;
  let member: Member;

  before(async () => {
    t = await buildTestApp();
    admin = await createMember(t.app, 'admin1');
    member = await createMember(t.app, 'uploader1');
  });
  after(async () => t.close());

  it('shows the form with the default categories', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/upload', headers: { cookie: member.cookie } });
    assert.equal(res.statusCode, 200);
    for (const name of ['Movies', 'TV', 'Music', 'Games', 'Software', 'Books', 'Other']) assert.match(res.body, new RegExp(`>${name}<`));
    assert.match(res.body, /enctype="multipart\/form-data"/);
    assert.match(res.body, /<label for="torrent">/);
  });

  it('sends visitors who are not logged in to the login page', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/upload' });
    assert.equal(res.statusCode, 302);
    assert.equal(res.headers.location, '/login?next=%2Fupload');
  });

  it('stores a release, its files, and redirects to it with a seeding reminder', async () => {
    const torrent = makeTorrent({ name: 'My.Album', files: [[['cd1', 'a.flac'], 40000], [['b.flac'], 1000]] });
    const res = await uploadTorrent(t.app, member, { torrent, description: 'Lossless.' });
    assert.equal(res.statusCode, 303);
    const id = Number(String(res.headers.location).split('/').pop());
    const release = await t.app.db.prisma.release.findUniqueOrThrow({ where: { id }, include: { files: true } });
    assert.equal(release.name, 'My.Album');
    assert.equal(release.description, 'Lossless.');
    assert.equal(release.size, 41000n);
    assert.equal(release.fileCount, 2);
    assert.equal(release.uploaderId, member.id);
    assert.equal(release.files.length, 2);
    const setCookie = String(res.headers['set-cookie']);
    assert.match(decodeURIComponent(setCookie), /download/i);
  });

  it('uses the name override when given', async () => {
    const id = await uploadOk(t.app, member, { torrent: makeTorrent(), name: '  Better Name 2024  ' });
    const release = await t.app.db.prisma.release.findUniqueOrThrow({ where: { id } });
    assert.equal(release.name, 'Better Name 2024');
  });

  it('forces private=1 and the site source tag on a public torrent', async () => {
    const torrent = makeTorrent({ private: false });
    assert.equal(bencode.decode(torrent).info.private, undefined);
    const id = await uploadOk(t.app, member, { torrent });
    const release = await t.app.db.prisma.release.findUniqueOrThrow({ where: { id } });
    const stored = bencode.decode(release.torrentFile);
    assert.equal(stored.info.private, 1);
    assert.equal(Buffer.from(stored.info.source).toString(), t.config.siteName);
  });

  it('uses the source tag saved on the settings page', async () => {
    await t.app.settings.update({ sourceTag: 'SK-TAG' });
    try {
      const id = await uploadOk(t.app, member, { torrent: makeTorrent({ private: false }) });
      const release = await t.app.db.prisma.release.findUniqueOrThrow({ where: { id } });
      assert.equal(Buffer.from(bencode.decode(release.torrentFile).info.source).toString(), 'SK-TAG');
    } finally {
      await t.app.db.prisma.setting.delete({ where: { key: 'source_tag' } });
      await t.app.settings.reload();
    }
  });

  it('tells the tracker about the release immediately, by every hash', async () => {
    const id = await uploadOk(t.app, member, { torrent: fixture('hybrid-single.torrent') });
    const release = await t.app.db.prisma.release.findUniqueOrThrow({ where: { id } });
    assert.ok(release.infoHashV1 && release.infoHashV2Short && release.infoHashV2);
    assert.equal(t.app.tracker.catalog.releaseByHash(Buffer.from(release.infoHashV1))?.id, id);
    assert.equal(t.app.tracker.catalog.releaseByHash(Buffer.from(release.infoHashV2Short))?.id, id);
    assert.equal(t.app.tracker.catalog.releaseById(id)?.freeleech, 'normal');
  });

  it('accepts v2-only torrents', async () => {
    const id = await uploadOk(t.app, member, { torrent: fixture('v2-multi.torrent') });
    const release = await t.app.db.prisma.release.findUniqueOrThrow({ where: { id } });
    assert.equal(release.infoHashV1, null);
    assert.equal(release.infoHashV2?.length, 32);
  });

  it('refuses a duplicate and links to the existing release', async () => {
    const torrent = makeTorrent({ name: 'Dupe' });
    const id = await uploadOk(t.app, member, { torrent });
    const res = await uploadTorrent(t.app, admin, { torrent });
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /Already uploaded:/);
    assert.match(res.body, new RegExp(`<a href="/releases/${id}">Dupe</a>`));
  });

  it('refuses a duplicate that differs only in private flag and announce (same stored info)', async () => {
    const torrent = makeTorrent({ name: 'Twice', private: true });
    const id = await uploadOk(t.app, member, { torrent });
    const again = bencode.decode(torrent);
    again.announce = 'http://other.invalid/announce';
    const res = await uploadTorrent(t.app, member, { torrent: Buffer.from(bencode.encode(again)) });
    assert.equal(res.statusCode, 409);
    assert.match(res.body, new RegExp(`/releases/${id}`));
  });

  it('asks for a file when none is sent', async () => {
    const res = await uploadTorrent(t.app, member, {});
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /id="torrent-error">Choose a .torrent file/);
    assert.match(res.body, /id="torrent"[^>]*aria-invalid="true"/);
  });

  it('treats an empty file part (no file chosen in a browser) as no file', async () => {
    const res = await uploadTorrent(t.app, member, { torrent: Buffer.alloc(0), filename: '' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Choose a .torrent file/);
  });

  it('refuses a file not named .torrent', async () => {
    const res = await uploadTorrent(t.app, member, { torrent: makeTorrent(), filename: 'movie.mkv' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /id="torrent-error">That is not a .torrent file/);
  });

  it('refuses a .torrent that is not bencode', async () => {
    const res = await uploadTorrent(t.app, member, { torrent: Buffer.from('<html>not a torrent</html>') });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /id="torrent-error">The torrent file is not valid bencode/);
  });

  const hostile: Array<[string, () => Buffer, RegExp]> = [
    ['a path with ..', () => makeTorrent({ files: [[['..', 'etc', 'passwd'], 100]] }), /&quot;\.\.&quot; path segment|path segment/],
    ['deeply nested bencode', () => Buffer.from('d4:infol' + 'l'.repeat(5000) + 'e'.repeat(5001) + 'e'), /nest|deep/i],
    ['a piece length that is not a power of two', () => makeTorrent({ pieceLength: 20000 }), /piece length/i],
    ['pieces that are not a multiple of 20', () => makeTorrent({ info: { pieces: Buffer.alloc(21) } }), /pieces/i],
    ['no info dictionary', () => Buffer.from(bencode.encode({ announce: 'x' })), /info/i],
  ];
  for (const [what, make, message] of hostile) {
    it(`shows the torrent problem beside the field for ${what}`, async () => {
      const res = await uploadTorrent(t.app, member, { torrent: make() });
      assert.equal(res.statusCode, 400);
      const error = /id="torrent-error">([^<]*)</.exec(res.body);
      assert.ok(error, 'an error beside the torrent field');
      assert.match(error[1], message);
    });
  }

  it('refuses an unknown category', async () => {
    const res = await uploadTorrent(t.app, member, { torrent: makeTorrent(), category: 99999 });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /id="category-error">That category does not exist/);
  });

  it('refuses a missing category', async () => {
    const res = await uploadTorrent(t.app, member, { torrent: makeTorrent(), category: '' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /id="category-error">Choose a category/);
  });

  it('refuses a description that is too long, keeping what was typed', async () => {
    const res = await uploadTorrent(t.app, member, { torrent: makeTorrent(), description: 'x'.repeat(20_001), name: 'Kept <name>' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /id="description-error">The description is 20,001 characters/);
    assert.match(res.body, /value="Kept &lt;name&gt;"/);
  });

  it('refuses a post without the CSRF token', async () => {
    const before = await t.app.db.prisma.release.count();
    const res = await uploadTorrent(t.app, member, { torrent: makeTorrent(), csrf: null });
    assert.equal(res.statusCode, 403);
    assert.equal(await t.app.db.prisma.release.count(), before);
  });

  it('refuses a torrent whose name is a path, a Windows device or hides characters, saying why', async () => {
    const cases: Array<[string, RegExp]> = [
      ['Some/Dir', /contains a slash/],
      ['NUL.tar.gz', /is a device name on Windows \(NUL\)/],
      ['COM1', /is a device name on Windows \(COM1\)/],
      ['clip\u202egpj.exe', /text-direction control character \(U\+202E\)/],
      ['zero\u200bwidth', /invisible character \(U\+200B\)/],
    ];
    const before = await t.app.db.prisma.release.count();
    for (const [name, message] of cases) {
      const res = await uploadTorrent(t.app, member, { torrent: makeTorrent({ name }), ip: '10.9.0.1' });
      assert.equal(res.statusCode, 400, name);
      const error = /id="torrent-error">([^<]*)/.exec(res.body)?.[1] ?? '';
      assert.match(error, message, name);
      assert.ok(!error.includes('\u202e') && !error.includes('\u200b'), 'the message writes hidden characters out');
    }
    assert.equal(await t.app.db.prisma.release.count(), before);
  });

  it('refuses a typed release name with the same faults, beside the name field', async () => {
    for (const [name, message] of [
      ['AC/DC', /contains a slash/],
      ['aux', /device name on Windows \(AUX\)/],
      ['Nice\u202eevil', /text-direction control character \(U\+202E\)/],
      ['a\u2060b', /invisible character \(U\+2060\)/],
      ['bell\u0007', /control character/],
    ] as const) {
      const res = await uploadTorrent(t.app, member, { torrent: makeTorrent(), name, ip: '10.9.0.2' });
      assert.equal(res.statusCode, 400, name);
      assert.match(/id="name-error">([^<]*)/.exec(res.body)?.[1] ?? '', message, name);
    }
  });

  it('shows a stored name with hidden characters made visible, in pages, the feed and the file name', async () => {
    const category = await firstCategoryId(t.app);
    const [id] = await seedReleases(t.app, [{ name: 'Holiday \u202egpj.exe\u200b', categoryId: category }]);
    const cookie = { cookie: member.cookie };
    const pages = ['/releases', `/releases/${id}`, `/users/${member.id}`];
    for (const url of pages) {
      const res = await t.app.inject({ method: 'GET', url, headers: cookie });
      assert.equal(res.statusCode, 200, url);
      assert.ok(!/[\u202e\u200b]/.test(res.body), `${url} has no hidden character`);
    }
    const details = await t.app.inject({ method: 'GET', url: `/releases/${id}`, headers: cookie });
    assert.match(details.body, /Holiday \ufffdgpj\.exe\ufffd/);
    const download = await t.app.inject({ method: 'GET', url: `/releases/${id}/download`, headers: cookie });
    assert.equal(download.statusCode, 200);
    assert.ok(!/[\u202e\u200b]/.test(decodeURIComponent(String(download.headers['content-disposition']))));
  });

  it('refuses a post with a forged CSRF token', async () => {
    const res = await uploadTorrent(t.app, member, { torrent: makeTorrent(), csrf: 'forged-token' });
    assert.equal(res.statusCode, 403);
  });

  it('refuses a post without a session', async () => {
    const csrf = await getCsrf(t.app, member.cookie, '/upload');
    const body = multipart([
      { name: '_csrf', value: csrf.token },
      { name: 'torrent', value: makeTorrent(), filename: 'a.torrent' },
      { name: 'category', value: String(await firstCategoryId(t.app)) },
    ]);
    const cookie = csrf.cookie.split('; ').filter((c) => !c.startsWith('sk_session=')).join('; ');
    const res = await t.app.inject({ method: 'POST', url: '/upload', headers: { cookie, 'content-type': body.contentType }, payload: body.payload });
    assert.equal(res.statusCode, 401);
  });
});

describe('upload size limit', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ config: { maxTorrentBytes: 2048 } });
  });
  after(async () => t.close());

  it('says beside the field that the file is over the limit', async () => {
    const member = await createMember(t.app, 'biguploader');
    const res = await uploadTorrent(t.app, member, { torrent: makeTorrent({ length: 16384 * 200 }) });
    assert.equal(res.statusCode, 413);
    assert.match(res.body, /id="torrent-error">That file is larger than the 2.00 KiB a .torrent may be/);
    assert.match(res.body, />biguploader</);
    assert.equal(await t.app.db.prisma.release.count(), 0);
  });
});
