// Real clients through seedkeep: python3-libtorrent seeds and another libtorrent
// leeches a private torrent on 127.0.0.1, once over HTTP (`/announce/<passkey>`: libtorrent's
// SSRF rule refuses other paths on a loopback tracker) and once over UDP with the passkey in
// the BEP 41 URL data (`udp://127.0.0.1:<port>/<passkey>/announce`). The payload must arrive
// intact and each member's credited upload/download must equal the payload within one piece.
// Without the Debian packages the spec skips locally and fails in CI.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startUdpTracker, type UdpTracker } from '../../src/tracker/udp/socket.js';
import type { AnnounceTiers } from '../../src/web/releases/build-download.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { DRIVER, freePort, freeUdpPort, LtProcess, PYTHON } from './lt-process.js';
import { spendToken } from '../../src/web/shop/spend-token.js';
import { startUdpDropProxy } from '../helpers/udp-drop-proxy.js';

const PAYLOAD_SIZE = 3 * 1024 * 1024;
const PIECE = 16 * 1024;
const TRANSFER_TIMEOUT_S = 120;

function missingPackages(): string | null {
  const probe = spawnSync(PYTHON, ['-c', 'import libtorrent'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return 'python3-libtorrent is not installed (apt-get install -y python3-libtorrent)';
  return null;
}

const missing = missingPackages();
if (missing && process.env.CI) {
  describe('real clients', () => it('has the Debian packages CI installs', () => assert.fail(missing)));
}

interface Member {
  id: number;
  passkey: string;
  rssToken: string;
}

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('real clients', { skip: missing ?? false, timeout: 6 * 60_000 }, () => {
  let t: TestApp;
  let udp: UdpTracker;
  let httpPort: number;
  let udpPort: number;
  let dir: string;
  let torrentFile: string;
  let releaseId: number;

  async function createMember(name: string, announceTiers: AnnounceTiers = 'http_only'): Promise<Member> {
    const passkey = randomBytes(16).toString('hex');
    const rssToken = randomBytes(16).toString('hex');
    const user = await t.db.prisma.user.create({
      data: { username: name, usernameLower: name, passwordHash: 'x', passkey, rssToken, announceTiers },
      select: { id: true },
    });
    await t.app.tracker.syncMember(user.id);
    return { id: user.id, passkey, rssToken };
  }

  async function creditOf(member: Member): Promise<{ uploaded: bigint; downloaded: bigint }> {
    await t.app.tracker.flush();
    return t.db.prisma.user.findUniqueOrThrow({ where: { id: member.id }, select: { uploaded: true, downloaded: true } });
  }

  before(async () => {
    // the ports are chosen first: downloaded torrents carry them (BASE_URL, UDP_PORT)
    [httpPort, udpPort] = [await freePort(), await freeUdpPort()];
    t = await buildTestApp({ config: { baseUrl: `http://127.0.0.1:${httpPort}`, udpEnabled: true, udpHost: '127.0.0.1', udpPort } });
    await t.app.listen({ port: httpPort, host: '127.0.0.1' });
    udp = await startUdpTracker(t.app.tracker.core, { port: udpPort, host: '127.0.0.1', secret: t.config.trackerSecret, ipv6: false, onError: (e) => t.app.log.error(e) });
    dir = mkdtempSync(path.join(tmpdir(), 'seedkeep-e2e-'));
    torrentFile = path.join(dir, 'payload.torrent');
    const made = spawnSync(PYTHON, [DRIVER, 'make', '--payload', path.join(dir, 'seed', 'payload.bin'), '--size', String(PAYLOAD_SIZE), '--piece', String(PIECE), '--torrent', torrentFile], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    const info = JSON.parse(made.stdout.trim().split('\n').at(-1)!) as { info_hash: string };
    const infoHashV1 = Buffer.from(info.info_hash, 'hex');
    const category = await t.db.prisma.category.create({ data: { name: 'E2E', slug: 'e2e' }, select: { id: true } });
    const release = await t.db.prisma.release.create({
      data: { infoHashV1, name: 'payload.bin', size: BigInt(PAYLOAD_SIZE), pieceLength: PIECE, fileCount: 1, categoryId: category.id, torrentFile: readFileSync(torrentFile) },
      select: { id: true },
    });
    releaseId = release.id;
    await t.app.tracker.syncRelease(releaseId);
  });

  after(async () => {
    await udp?.close();
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * One seeder and one leecher, each a new member, through `urlFor(passkey)`; `beforeLeech`
   * runs once the leecher's member exists (a token spent, say). Returns the leecher's member.
   */
  async function transfer(kind: string, urlFor: (passkey: string) => string, beforeLeech?: (leecher: Member) => Promise<void>): Promise<Member> {
    const [seedMember, leechMember] = [await createMember(`seed-${kind}`), await createMember(`leech-${kind}`)];
    await beforeLeech?.(leechMember);
    const leechDir = path.join(dir, `leech-${kind}`);
    const common = ['--torrent', torrentFile, '--timeout', String(TRANSFER_TIMEOUT_S)];
    const seeder = LtProcess.start(`${kind} seeder`, ['seed', ...common, '--save', path.join(dir, 'seed'), '--port', String(await freePort()), '--tracker', urlFor(seedMember.passkey)]);
    let leecher: LtProcess | undefined;
    try {
      const reply = await seeder.waitFor('tracker_reply', 30_000); // the tracker knows the seeder before the leecher asks
      assert.equal(reply.url, urlFor(seedMember.passkey));
      leecher = LtProcess.start(`${kind} leecher`, ['leech', ...common, '--save', leechDir, '--port', String(await freePort()), '--tracker', urlFor(leechMember.passkey)]);
      assert.equal(await leecher.finish((TRANSFER_TIMEOUT_S + 20) * 1000), 0, `leecher failed:\n${leecher.log()}\nseeder:\n${seeder.log()}`);
      seeder.child.stdin!.end(); // tells the seeder to stop: it announces `stopped` with its totals
      assert.equal(await seeder.finish(30_000), 0, `seeder failed:\n${seeder.log()}`);
    } finally {
      seeder.child.kill('SIGKILL');
      leecher?.child.kill('SIGKILL');
    }
    assert.equal(sha256(path.join(leechDir, 'payload.bin')), sha256(path.join(dir, 'seed', 'payload.bin')), 'payload differs');
    const seeded = await creditOf(seedMember);
    const leeched = await creditOf(leechMember);
    const near = (credited: bigint, what: string): void => {
      const off = Number(credited) - PAYLOAD_SIZE;
      assert.ok(Math.abs(off) <= PIECE, `${kind}: ${what} credited ${credited}, payload ${PAYLOAD_SIZE}\nseeder:\n${seeder.log()}\nleecher:\n${leecher?.log()}`);
    };
    if (process.env.E2E_VERBOSE) console.log(kind, { seeded, leeched }, `\nseeder:\n${seeder.log()}\nleecher:\n${leecher?.log()}`);
    assert.ok(leecher!.lines.some((l) => l.event === 'tracker_reply' && l.url === urlFor(leechMember.passkey)), 'the leecher never got a tracker reply');
    near(seeded.uploaded, 'seeder upload');
    if (!beforeLeech) near(leeched.downloaded, 'leecher download');
    assert.equal(seeded.downloaded, 0n);
    return leechMember;
  }

  it('moves a private torrent over the HTTP tracker with exact credit', async () => {
    await transfer('http', (passkey) => `http://127.0.0.1:${httpPort}/announce/${passkey}`);
  });

  it('moves a private torrent over the UDP tracker (BEP 41 passkey) with exact credit', async () => {
    await transfer('udp', (passkey) => `udp://127.0.0.1:${udp.ports.udp4}/${passkey}/announce`);
  });

  it('counts no download for a leecher who spent a freeleech token, and the actual download exactly', async () => {
    const leecher = await transfer('token', (passkey) => `http://127.0.0.1:${httpPort}/announce/${passkey}`, async (member) => {
      await t.db.prisma.user.update({ where: { id: member.id }, data: { freeleechTokens: 1 } });
      await spendToken({ app: t.app, userId: member.id, releaseId });
    });
    const row = await t.db.prisma.user.findUniqueOrThrow({ where: { id: leecher.id }, select: { downloaded: true, downloadedActual: true, freeleechTokens: true } });
    if (process.env.E2E_VERBOSE) console.log('token', row);
    assert.equal(row.downloaded, 0n, 'credited download');
    assert.equal(row.downloadedActual, BigInt(PAYLOAD_SIZE), 'actual download: the payload, byte for byte');
    assert.equal(row.freeleechTokens, 0);
  });

  /** The member's own download of the release (the feed's link: ?rss=<token>), saved to a file. */
  async function downloadFor(member: Member, file: string): Promise<string[][]> {
    const res = await t.app.inject({ method: 'GET', url: `/releases/${releaseId}/download?rss=${member.rssToken}` });
    assert.equal(res.statusCode, 200);
    writeFileSync(file, res.rawPayload);
    const listed = spawnSync(PYTHON, ['-c', 'import libtorrent as lt, sys, json; print(json.dumps([[e.url, e.tier] for e in lt.torrent_info(sys.argv[1]).trackers()]))', file], { encoding: 'utf8' });
    const entries = JSON.parse(listed.stdout) as [string, number][];
    return entries.reduce<string[][]>((tiers, [url, tier]) => ((tiers[tier] ??= []).push(url), tiers), []);
  }

  it('moves a torrent downloaded with "HTTP, then UDP" over both tiers: peers on each, credited once', async () => {
    const [seedMember, leechMember] = [await createMember('seed-tiers', 'http_then_udp'), await createMember('leech-tiers', 'http_then_udp')];
    const urls = (m: Member) => [`http://127.0.0.1:${httpPort}/announce/${m.passkey}`, `udp://127.0.0.1:${udpPort}/${m.passkey}/announce`];
    const [seedTorrent, leechTorrent] = [path.join(dir, 'seed-tiers.torrent'), path.join(dir, 'leech-tiers.torrent')];
    assert.deepEqual(await downloadFor(seedMember, seedTorrent), urls(seedMember).map((url) => [url]));
    assert.deepEqual(await downloadFor(leechMember, leechTorrent), urls(leechMember).map((url) => [url]));
    // re-announces every 2 s on both tiers at once (qBittorrent's "announce to all tiers"), a
    // min interval of 1 s: one timer for both tiers would answer the second "too soon"
    t.app.tracker.setPolicy({ minInterval: 1 });
    const common = ['--timeout', String(TRANSFER_TIMEOUT_S), '--all-tiers', '--reannounce', '2'];
    const seeder = LtProcess.start('tiers seeder', ['seed', '--torrent', seedTorrent, ...common, '--save', path.join(dir, 'seed'), '--port', String(await freePort()), '--upload-limit', String(PAYLOAD_SIZE / 4)]);
    let leecher: LtProcess | undefined;
    const leechDir = path.join(dir, 'leech-tiers');
    try {
      await seeder.waitFor('tracker_reply', 30_000);
      leecher = LtProcess.start('tiers leecher', ['leech', '--torrent', leechTorrent, ...common, '--save', leechDir, '--port', String(await freePort())]);
      assert.equal(await leecher.finish((TRANSFER_TIMEOUT_S + 20) * 1000), 0, `leecher failed:\n${leecher.log()}\nseeder:\n${seeder.log()}`);
      seeder.child.stdin!.end();
      assert.equal(await seeder.finish(30_000), 0, `seeder failed:\n${seeder.log()}`);
    } finally {
      seeder.child.kill('SIGKILL');
      leecher?.child.kill('SIGKILL');
      t.app.tracker.setPolicy({ minInterval: 300 });
    }
    const logs = `seeder:\n${seeder.log()}\nleecher:\n${leecher!.log()}`;
    if (process.env.E2E_VERBOSE) console.log(logs);
    assert.equal(sha256(path.join(leechDir, 'payload.bin')), sha256(path.join(dir, 'seed', 'payload.bin')), 'payload differs');
    for (const client of [seeder, leecher!]) {
      assert.deepEqual(client.lines.filter((l) => l.event === 'tracker_warning' || l.event === 'tracker_error'), [], `${client.name}: no warning or error on either tier\n${logs}`);
    }
    // the leecher got the seeder from each tier, at its start and at least once re-announcing
    for (const url of urls(leechMember)) {
      const withPeers = leecher!.lines.filter((l) => l.event === 'tracker_reply' && l.url === url && Number(l.peers) > 0);
      assert.ok(withPeers.length >= 2, `the leecher got peers ${withPeers.length} times from ${url}\n${logs}`);
    }
    const seeded = await creditOf(seedMember);
    const leeched = await creditOf(leechMember);
    if (process.env.E2E_VERBOSE) console.log('tiers', { seeded, leeched, payload: PAYLOAD_SIZE });
    for (const [credited, what] of [[seeded.uploaded, 'seeder upload'], [leeched.downloaded, 'leecher download']] as const) {
      assert.ok(Math.abs(Number(credited) - PAYLOAD_SIZE) <= PIECE, `${what} credited ${credited}, payload ${PAYLOAD_SIZE}\n${logs}`);
    }
  });

  it('credits a seeder whose first UDP `started` timed out exactly what the leecher downloaded, when libtorrent retries it', async () => {
    // the seeder's member opted in to the UDP tier: its download carries HTTP, then UDP
    const [seedMember, leechMember] = [await createMember('seed-retry', 'http_then_udp'), await createMember('leech-retry')];
    const seedTorrent = path.join(dir, 'seed-retry.torrent');
    const [httpUrl, udpUrl] = [`http://127.0.0.1:${httpPort}/announce/${seedMember.passkey}`, `udp://127.0.0.1:${udpPort}/${seedMember.passkey}/announce`];
    assert.deepEqual(await downloadFor(seedMember, seedTorrent), [[httpUrl], [udpUrl]]);
    // the UDP tier reached through a relay that loses the first announce packet
    const proxy = await startUdpDropProxy({ host: '127.0.0.1', port: udp.ports.udp4 });
    const viaProxy = udpUrl.replace(`:${udpPort}/`, `:${proxy.port}/`);
    const common = ['--timeout', String(TRANSFER_TIMEOUT_S)];
    // announces to both tiers, as qBittorrent does; a slow upload so the retry comes mid-transfer or after
    // (the tiers of its download, the second through the relay: --tracker adds to a torrent's own)
    const seeder = LtProcess.start('retry seeder', ['seed', '--torrent', torrentFile, ...common, '--all-tiers', '--quick-retry', '--save', path.join(dir, 'seed'),
      '--port', String(await freePort()), '--upload-limit', String(PAYLOAD_SIZE / 8), '--tracker', httpUrl, '--tracker', viaProxy]);
    let leecher: LtProcess | undefined;
    const leechDir = path.join(dir, 'leech-retry');
    try {
      await seeder.waitFor('tracker_reply', 30_000); // the HTTP tier: the tracker knows the seeder
      leecher = LtProcess.start('retry leecher', ['leech', '--torrent', torrentFile, ...common, '--save', leechDir, '--port', String(await freePort()),
        '--tracker', `http://127.0.0.1:${httpPort}/announce/${leechMember.passkey}`]);
      assert.equal(await leecher.finish((TRANSFER_TIMEOUT_S + 20) * 1000), 0, `leecher failed:\n${leecher.log()}\nseeder:\n${seeder.log()}`);
      // the seeder goes on until its UDP tier has been answered once (the retried `started`)
      const deadline = Date.now() + 30_000;
      while (!seeder.lines.some((l) => l.event === 'tracker_reply' && l.url === viaProxy) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      seeder.child.stdin!.end();
      assert.equal(await seeder.finish(30_000), 0, `seeder failed:\n${seeder.log()}`);
    } finally {
      seeder.child.kill('SIGKILL');
      leecher?.child.kill('SIGKILL');
      await proxy.close();
    }
    const logs = `UDP announces: ${JSON.stringify(proxy.announces, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}\nseeder:\n${seeder.log()}\nleecher:\n${leecher!.log()}`;
    if (process.env.E2E_VERBOSE) console.log(logs);
    assert.equal(sha256(path.join(leechDir, 'payload.bin')), sha256(path.join(dir, 'seed', 'payload.bin')), 'payload differs');
    assert.deepEqual(proxy.announces[0], { event: 'started', uploaded: 0n, dropped: true }, `the first UDP announce was the dropped started\n${logs}`);
    const retried = proxy.announces.find((a) => !a.dropped);
    assert.ok(retried?.event === 'started' && retried.uploaded > 0n, `libtorrent retried started with bytes already uploaded\n${logs}`);
    const seeded = await creditOf(seedMember);
    const leeched = await creditOf(leechMember);
    assert.ok(Math.abs(Number(leeched.downloaded) - PAYLOAD_SIZE) <= PIECE, `leecher download credited ${leeched.downloaded}, payload ${PAYLOAD_SIZE}\n${logs}`);
    assert.ok(Math.abs(Number(seeded.uploaded - leeched.downloaded)) <= PIECE, `seeder upload credited ${seeded.uploaded}, leecher download ${leeched.downloaded}\n${logs}`);
  });
});
