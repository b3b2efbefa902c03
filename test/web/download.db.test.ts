import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AnnounceTiers } from '../../src/web/releases/build-download.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { bencode, createMember, firstCategoryId, infoHashV1, makeTorrent, seedReleases, uploadOk, type Member } from '../helpers/releases.js';

const text = (value: Uint8Array): string => Buffer.from(value).toString('utf8');

describe('download', () => {
  let t: TestApp;
  let uploader: Member;
  let member: Member;
  let releaseId: number;
  const download = (who: Member | null, id = releaseId, query = '') =>
    t.app.inject({ method: 'GET', url: `/releases/${id}/download${query}`, headers: who ? { cookie: who.cookie } : {} });
  const setUser = (who: Member, data: { canLeech?: boolean; announceTiers?: AnnounceTiers }) =>
    t.app.db.prisma.user.update({ where: { id: who.id }, data });

  before(async () => {
    t = await buildTestApp({ config: { baseUrl: 'https://tracker.example', udpEnabled: true, udpHost: 'tracker.example', udpPort: 6969 } });
    uploader = await createMember(t.app, 'uploader1');
    member = await createMember(t.app, 'member1');
    releaseId = await uploadOk(t.app, uploader, { torrent: makeTorrent({ name: 'Some: Release "2024"?', files: [[['a.bin'], 20000]] }) });
    // uploads refuse a slash in a name now; a name stored before that may still hold one
    await t.app.db.prisma.release.update({ where: { id: releaseId }, data: { name: 'Some: Release / "2024"?' } });
  });
  after(async () => t.close());

  it('serves the torrent with the member passkey in every announce URL, private=1, and the details URL as comment', async () => {
    const res = await download(member);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/x-bittorrent');
    assert.match(String(res.headers['cache-control']), /no-store/);
    const torrent = bencode.decode(res.rawPayload);
    assert.equal(text(torrent.announce), `https://tracker.example/announce/${member.passkey}`);
    // a new member's default: the HTTP tier alone (every client can send its passkey there)
    assert.deepEqual(torrent['announce-list'].map((tier: Uint8Array[]) => tier.map(text)), [[`https://tracker.example/announce/${member.passkey}`]]);
    assert.equal(torrent.info.private, 1);
    assert.equal(text(torrent.comment), `https://tracker.example/releases/${releaseId}`);
    assert.ok(!res.body.includes(uploader.passkey));
  });

  it('keeps the info hash of the stored torrent', async () => {
    const release = await t.app.db.prisma.release.findUniqueOrThrow({ where: { id: releaseId } });
    const res = await download(member);
    assert.deepEqual(infoHashV1(res.rawPayload), Buffer.from(release.infoHashV1!));
    assert.deepEqual(infoHashV1(release.torrentFile), Buffer.from(release.infoHashV1!));
  });

  it('keeps both hashes of a hybrid torrent', async () => {
    const fixture = readFileSync(new URL('../torrents/fixtures/hybrid-multi.torrent', import.meta.url));
    const id = await uploadOk(t.app, uploader, { torrent: fixture });
    const release = await t.app.db.prisma.release.findUniqueOrThrow({ where: { id } });
    const res = await download(member, id);
    const info = bencode.encode(bencode.decode(res.rawPayload).info);
    assert.deepEqual(createHash('sha1').update(info).digest(), Buffer.from(release.infoHashV1!));
    assert.deepEqual(createHash('sha256').update(info).digest(), Buffer.from(release.infoHashV2!));
  });

  it('names the file after the release, without characters file systems refuse', async () => {
    const res = await download(member);
    const disposition = String(res.headers['content-disposition']);
    assert.match(disposition, /^attachment; filename="Some_ Release _ _2024_.torrent"/);
    assert.match(disposition, /filename\*=UTF-8''Some_%20Release%20_%20_2024_.torrent$/);
  });

  for (const [choice, order] of [
    ['http_only', ['http']],
    ['http_then_udp', ['http', 'udp']],
    ['udp_first', ['udp', 'http']],
  ] as const) {
    it(`carries the tiers ${order.join(', ')} when the member chose ${choice}, announce always HTTP`, async () => {
      await setUser(member, { announceTiers: choice });
      try {
        const torrent = bencode.decode((await download(member)).rawPayload);
        const urls = { http: `https://tracker.example/announce/${member.passkey}`, udp: `udp://tracker.example:6969/${member.passkey}/announce` };
        assert.deepEqual(torrent['announce-list'].map((tier: Uint8Array[]) => tier.map(text)), order.map((kind) => [urls[kind]]));
        assert.equal(text(torrent.announce), urls.http);
      } finally {
        await setUser(member, { announceTiers: 'http_only' });
      }
    });
  }

  it('needs a login', async () => {
    const res = await download(null);
    assert.equal(res.statusCode, 302);
    assert.match(String(res.headers.location), /^\/login\?next=/);
  });

  it('answers 404 for a deleted or unknown release', async () => {
    const [deleted] = await seedReleases(t.app, [{ name: 'Deleted', categoryId: await firstCategoryId(t.app), deletedAt: new Date(), deleteReason: 'nuked' }]);
    assert.equal((await download(member, deleted)).statusCode, 404);
    assert.equal((await download(member, 987654)).statusCode, 404);
  });

  describe('when leeching is withdrawn', () => {
    let other: number;
    before(async () => {
      await setUser(member, { canLeech: false });
      other = await uploadOk(t.app, uploader, { torrent: makeTorrent() });
    });
    after(async () => setUser(member, { canLeech: true }));

    it('refuses new downloads with a page that explains why', async () => {
      const res = await download(member, other);
      assert.equal(res.statusCode, 403);
      assert.match(res.headers['content-type'] as string, /text\/html/);
      assert.match(res.body, /download rights are withdrawn/);
    });

    it('hides the download button on the details page', async () => {
      const res = await t.app.inject({ method: 'GET', url: `/releases/${other}`, headers: { cookie: member.cookie } });
      assert.doesNotMatch(res.body, /\/download"/);
      assert.match(res.body, /download rights are withdrawn/);
    });

    it('still serves the member own uploads', async () => {
      const own = await uploadOk(t.app, member, { torrent: makeTorrent() });
      assert.equal((await download(member, own)).statusCode, 200);
    });

    it('still serves releases the member snatched', async () => {
      const snatched = await uploadOk(t.app, uploader, { torrent: makeTorrent() });
      assert.equal((await download(member, snatched)).statusCode, 403);
      await t.app.db.prisma.snatch.create({ data: { userId: member.id, releaseId: snatched } });
      assert.equal((await download(member, snatched)).statusCode, 200);
    });

    it('still serves releases the member is seeding, not ones they stopped', async () => {
      const seeding = await uploadOk(t.app, uploader, { torrent: makeTorrent() });
      const peer = { userId: member.id, releaseId: seeding, peerId: new Uint8Array(Buffer.from('-qB4500-000000000000')), ipv4: '127.0.0.1', port: 6881, left: 0n, seeder: true };
      await t.app.db.prisma.peer.create({ data: { ...peer, active: false } });
      assert.equal((await download(member, seeding)).statusCode, 403);
      await t.app.db.prisma.peer.updateMany({ where: { userId: member.id, releaseId: seeding }, data: { active: true } });
      assert.equal((await download(member, seeding)).statusCode, 200);
    });
  });

  describe('with an RSS token instead of a session', () => {
    it('serves the token owner their personalised torrent', async () => {
      const res = await download(null, releaseId, `?rss=${member.rssToken}`);
      assert.equal(res.statusCode, 200);
      assert.equal(text(bencode.decode(res.rawPayload).announce), `https://tracker.example/announce/${member.passkey}`);
    });

    it('refuses an unknown token', async () => {
      const res = await download(null, releaseId, `?rss=${'0'.repeat(32)}`);
      assert.equal(res.statusCode, 403);
    });

    it('refuses a disabled member token', async () => {
      const gone = await createMember(t.app, 'gone1');
      await t.app.db.prisma.user.update({ where: { id: gone.id }, data: { enabled: false } });
      assert.equal((await download(null, releaseId, `?rss=${gone.rssToken}`)).statusCode, 403);
    });

    it('applies the leech rule to token downloads too', async () => {
      await setUser(member, { canLeech: false });
      try {
        assert.equal((await download(null, releaseId, `?rss=${member.rssToken}`)).statusCode, 403);
      } finally {
        await setUser(member, { canLeech: true });
      }
    });
  });
});
