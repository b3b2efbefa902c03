import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createMember, makeTorrent, seedReleases, firstCategoryId, uploadOk, type Member } from '../helpers/releases.js';

const HOSTILE = '<script>alert(1)</script>';
/** torrent names and paths cannot hold a slash */
const HOSTILE_NAME = '<img src=x onerror=alert(1)>';

describe('release details', () => {
  let t: TestApp;
  let admin: Member;
  let member: Member;
  let releaseId: number;
  const view = (who: Member, id = releaseId) => t.app.inject({ method: 'GET', url: `/releases/${id}`, headers: { cookie: who.cookie } });

  before(async () => {
    t = await buildTestApp();
    admin = await createMember(t.app, 'admin1');
    member = await createMember(t.app, 'member1');
    const torrent = makeTorrent({
      name: `Album ${HOSTILE_NAME}`,
      files: [
        [['disc1', '01 intro.flac'], 30000],
        [['disc1', `02 ${HOSTILE_NAME}.flac`], 20000],
        [['disc2', 'bonus', 'demo.flac'], 5000],
        [['cover.jpg'], 1000],
      ],
    });
    releaseId = await uploadOk(t.app, member, { torrent, description: `Line one\n${HOSTILE}\n<b>bold</b>` });
    const prisma = t.app.db.prisma;
    await prisma.peer.createMany({
      data: [
        { userId: member.id, releaseId, peerId: new Uint8Array(Buffer.from('-qB4500-aaaaaaaaaaaa')), ipv4: '203.0.113.7', port: 51413, left: 0n, seeder: true, client: 'qBittorrent 4.5.0', uploaded: 123456n },
        { userId: admin.id, releaseId, peerId: new Uint8Array(Buffer.from('-TR3000-bbbbbbbbbbbb')), ipv6: '2001:db8::5', port: 6881, left: 28000n, client: `Evil ${HOSTILE}` },
        { userId: admin.id, releaseId, peerId: new Uint8Array(Buffer.from('-TR3000-cccccccccccc')), ipv4: '198.51.100.9', port: 6882, left: 0n, active: false, client: 'Stopped Client' },
      ],
    });
    await prisma.snatch.create({ data: { userId: member.id, releaseId } });
    // names and clients shown to every member by their choice (test/web/privacy.db.test.ts covers the default)
    await prisma.user.updateMany({ data: { listsVisibleTo: 'members' } });
  });
  after(async () => t.close());

  it('needs a login', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/releases/${releaseId}` });
    assert.equal(res.statusCode, 302);
  });

  it('shows the metadata, hashes and download button', async () => {
    const res = await view(member);
    assert.equal(res.statusCode, 200);
    const release = await t.app.db.prisma.release.findUniqueOrThrow({ where: { id: releaseId } });
    assert.match(res.body, new RegExp(Buffer.from(release.infoHashV1!).toString('hex')));
    assert.match(res.body, /<dt>Size<\/dt><dd>54.69 KiB<\/dd>/);
    assert.match(res.body, /<dt>Piece length<\/dt><dd>16.00 KiB<\/dd>/);
    assert.match(res.body, /<dt>Files<\/dt><dd>4<\/dd>/);
    assert.match(res.body, /<dt>Category<\/dt><dd><a href="\/releases\?category=\d+">Movies<\/a>/);
    assert.match(res.body, />member1<\/a><\/dd>/);
    assert.match(res.body, new RegExp(`href="/releases/${releaseId}/download"`));
  });

  it('escapes hostile HTML in the name, description, file names and client', async () => {
    const res = await view(member);
    assert.doesNotMatch(res.body, /<script>alert/);
    assert.doesNotMatch(res.body, /<img src=x/);
    assert.doesNotMatch(res.body, /<b>bold<\/b>/);
    assert.match(res.body, /Album &lt;img src&#x3D;x onerror&#x3D;alert\(1\)&gt;/);
    assert.match(res.body, /02 &lt;img src&#x3D;x onerror&#x3D;alert\(1\)&gt;.flac/);
    // the description is Markdown without raw HTML: tags stay text, line breaks stay
    assert.match(res.body, /<div class="markdown description-text"><p>Line one<br \/>\n&lt;script&gt;alert\(1\)&lt;\/script&gt;<br \/>\n&lt;b&gt;bold&lt;\/b&gt;<\/p>/);
    assert.match(res.body, /Evil &lt;script&gt;/);
  });

  it('shows the files as a tree of folders with sizes', async () => {
    const res = await view(member);
    const tree = res.body.slice(res.body.indexOf('id="files-h"'), res.body.indexOf('id="peers-h"'));
    // folders first, sorted; each with its file count and total size
    assert.match(tree, /<summary><span class="file-name">disc1\/<\/span> <span class="muted">2 files · 48.83 KiB<\/span><\/summary>/);
    assert.match(tree, /<summary><span class="file-name">bonus\/<\/span> <span class="muted">1 file · 4.88 KiB<\/span>/);
    assert.ok(tree.indexOf('disc1/') < tree.indexOf('disc2/'));
    assert.ok(tree.indexOf('disc2/') < tree.indexOf('cover.jpg'));
    assert.match(tree, /<li class="file"><span class="file-name">01 intro.flac<\/span> <span class="muted">29.30 KiB<\/span><\/li>/);
  });

  it('lists active peers with progress but hides their addresses from members', async () => {
    const res = await view(member);
    assert.match(res.body, /qBittorrent 4.5.0/);
    assert.doesNotMatch(res.body, /Stopped Client/);
    assert.match(res.body, /\(100% done\)/);
    assert.match(res.body, /27.34 KiB <span class="muted">\(50% done\)/);
    assert.doesNotMatch(res.body, /203\.0\.113\.7/);
    assert.doesNotMatch(res.body, /2001:db8::5/);
    assert.doesNotMatch(res.body, />Address</);
  });

  it('shows the tracker\'s live seeder and leecher counts, not the release row written on its slower cadence', async () => {
    // a stale row: what browse may show until the counts are next written
    const release = await t.app.db.prisma.release.update({ where: { id: releaseId }, data: { seeders: 7, leechers: 7 } });
    const stat = (body: string, label: string) => new RegExp(`<div class="label">${label}</div><div class="value[^"]*">(\\d+)</div>`).exec(body)?.[1];
    t.app.tracker.core.announce({
      passkey: member.passkey, infoHash: Buffer.from(release.infoHashV1!), peerId: Buffer.from('-qB4650-livecounts01'), port: 6881,
      uploaded: 0n, downloaded: 0n, left: 0n, event: 'started', numwant: 0, key: null, ip: '10.0.0.9', family: 4, transport: 'http',
    });
    const res = await view(member);
    assert.equal(stat(res.body, 'Seeders'), '1');
    assert.equal(stat(res.body, 'Leechers'), '0');
  });

  it('shows peer addresses to staff', async () => {
    const res = await view(admin);
    assert.match(res.body, />Address</);
    assert.match(res.body, /203\.0\.113\.7:51413/);
    assert.match(res.body, /2001:db8::5:6881/);
  });

  it('shows "gone" for an uploader whose account was deleted', async () => {
    const [id] = await seedReleases(t.app, [{ name: 'Orphan Release', categoryId: await firstCategoryId(t.app, 'Movies'), uploaderId: null }]);
    const res = await view(member, id);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<dt>Uploader<\/dt><dd><span class="muted">gone<\/span><\/dd>/);
    assert.match(res.body, /Nobody is connected right now/);
    assert.match(res.body, /Nobody has finished this release yet/);
    await t.app.db.prisma.release.delete({ where: { id } });
  });

  it('lists who snatched it', async () => {
    const res = await view(admin);
    const snatches = res.body.slice(res.body.indexOf('id="snatches-h"'));
    assert.match(snatches, /<a href="\/users\/\d+">member1<\/a>/);
  });

  it('answers 404 for a release that does not exist or a malformed id', async () => {
    assert.equal((await view(member, 999999)).statusCode, 404);
    const res = await t.app.inject({ method: 'GET', url: '/releases/abc', headers: { cookie: member.cookie } });
    assert.equal(res.statusCode, 404);
  });

  describe('a deleted release', () => {
    let deletedId: number;
    before(async () => {
      [deletedId] = await seedReleases(t.app, [
        { name: 'Gone', categoryId: await firstCategoryId(t.app), deletedAt: new Date(), deleteReason: `Dupe of ${HOSTILE}` },
      ]);
    });

    it('is not found for members', async () => {
      const res = await view(member, deletedId);
      assert.equal(res.statusCode, 404);
      assert.doesNotMatch(res.body, /Gone/);
    });

    it('is shown to staff with the reason', async () => {
      const res = await view(admin, deletedId);
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<strong>Deleted<\/strong>/);
      assert.match(res.body, /Dupe of &lt;script&gt;/);
    });
  });
});
