// A real libtorrent client (python3-libtorrent, lt_client.py) shows the tracker's refusal in
// the member's language: a member set to Portuguese, whose download rights are withdrawn,
// announces over HTTP and gets the Portuguese text in its tracker error alert. Over UDP,
// Debian's libtorrent 2.0.8 raises the error without any text (its failure_reason() is empty
// for every UDP error), so there the spec checks only the refusal; the UDP packet's
// Portuguese text is checked in test/i18n/tracker-reasons.db.test.ts. Without the Debian
// package the spec skips locally and fails in CI.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readCatalog } from '../../src/i18n/index.js';
import { startUdpTracker, type UdpTracker } from '../../src/tracker/udp/socket.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { DRIVER, freePort, freeUdpPort, LtProcess, PYTHON } from './lt-process.js';

const probe = spawnSync(PYTHON, ['-c', 'import libtorrent'], { encoding: 'utf8' });
const missing = probe.error || probe.status !== 0 ? 'python3-libtorrent is not installed (apt-get install -y python3-libtorrent)' : null;
if (missing && process.env.CI) {
  describe('a real client in the member\'s language', () => it('has the Debian packages CI installs', () => assert.fail(missing)));
}

const PORTUGUESE = (readCatalog('pt-BR').tracker as Record<string, string>).leechForbidden;

describe('a real client in the member\'s language', { skip: missing ?? false, timeout: 2 * 60_000 }, () => {
  let t: TestApp;
  let udp: UdpTracker;
  let httpPort: number;
  let dir: string;
  let torrentFile: string;
  let passkey: string;

  before(async () => {
    const udpPort = await freeUdpPort();
    httpPort = await freePort();
    t = await buildTestApp({ config: { baseUrl: `http://127.0.0.1:${httpPort}`, udpEnabled: true, udpHost: '127.0.0.1', udpPort } });
    await t.app.listen({ port: httpPort, host: '127.0.0.1' });
    udp = await startUdpTracker(t.app.tracker.core, { port: udpPort, host: '127.0.0.1', secret: t.config.trackerSecret, ipv6: false, onError: (e) => t.app.log.error(e) });
    dir = mkdtempSync(path.join(tmpdir(), 'seedkeep-lang-'));
    torrentFile = path.join(dir, 'payload.torrent');
    const made = spawnSync(PYTHON, [DRIVER, 'make', '--payload', path.join(dir, 'seed', 'payload.bin'), '--size', String(256 * 1024), '--piece', String(16 * 1024), '--torrent', torrentFile], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    const info = JSON.parse(made.stdout.trim().split('\n').at(-1)!) as { info_hash: string };
    const category = await t.db.prisma.category.create({ data: { name: 'Lang', slug: 'lang' }, select: { id: true } });
    const release = await t.db.prisma.release.create({
      data: { infoHashV1: Buffer.from(info.info_hash, 'hex'), name: 'payload.bin', size: 256n * 1024n, pieceLength: 16 * 1024, fileCount: 1, categoryId: category.id, torrentFile: readFileSync(torrentFile) },
      select: { id: true },
    });
    await t.app.tracker.syncRelease(release.id);
    passkey = randomBytes(16).toString('hex');
    const member = await t.db.prisma.user.create({
      data: { username: 'leitora', usernameLower: 'leitora', passwordHash: 'x', passkey, rssToken: randomBytes(16).toString('hex'), locale: 'pt-BR', canLeech: false },
      select: { id: true },
    });
    await t.app.tracker.syncMember(member.id);
  });

  after(async () => {
    await udp?.close();
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The tracker error libtorrent raises for the member's leech announce to `url`. */
  async function trackerError(kind: string, url: string): Promise<string> {
    const client = LtProcess.start(`${kind} leecher`, ['leech', '--torrent', torrentFile, '--timeout', '40', '--save', path.join(dir, kind), '--port', String(await freePort()), '--tracker', url]);
    try {
      const alert = await client.waitFor('tracker_error', 30_000);
      return `${String(alert.message)} | ${String(alert.reason)}`;
    } finally {
      client.child.kill('SIGKILL');
    }
  }

  it('shows a Portuguese member the refusal in Portuguese over HTTP', async () => {
    assert.match(await trackerError('http', `http://127.0.0.1:${httpPort}/announce/${passkey}`), new RegExp(PORTUGUESE));
  });

  it('is refused over UDP too, where the passkey travels in the BEP 41 URL data', async () => {
    assert.match(await trackerError('udp', `udp://127.0.0.1:${udp.ports.udp4}/${passkey}/announce`), /tracker sent a failure message/);
  });
});
