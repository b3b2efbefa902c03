// One client on both tiers of a downloaded torrent (BEP 12), through real sockets: the same
// peer_id announces over HTTP (`/announce/<passkey>`) and over UDP (BEP 15, the passkey as
// BEP 41 URL data), gets peers from both at its regular re-announces, and its member is
// credited exactly once in the database, whichever tier reported the bytes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeClock } from '../../src/clock.js';
import { decodeBencode } from '../../src/tracker/http/bencode.js';
import { startUdpTracker, type UdpTracker } from '../../src/tracker/udp/socket.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { announcePacket, passkeyOption, UdpTestClient } from './udp-client.js';
import { pct, seedRelease, seedUser, userTotals, type SeededRelease, type SeededUser } from './fixtures/seed.js';

type Dict = Record<string, unknown>;
const MIN = 60_000;
const PEER = Buffer.from('-qB4650-tiers-000001', 'latin1');
const SEEDER = Buffer.from('-qB4650-seeder-00001', 'latin1');
/** BEP 15 event codes */
const UDP_EVENT = { '': 0, completed: 1, started: 2, stopped: 3 } as const;

interface Report {
  uploaded: bigint;
  downloaded: bigint;
  left: bigint;
  event?: '' | 'started' | 'stopped';
}

/** What either tier answered: peers handed out, and the warning if any. */
interface Answer {
  peers: number;
  warning: string | null;
}

describe('one client on the HTTP and the UDP tier', () => {
  const clock = new FakeClock();
  let t: TestApp;
  let udp: UdpTracker;
  let udpClient: UdpTestClient;
  let httpPort: number;
  let alice: SeededUser;
  let bob: SeededUser;
  let release: SeededRelease;

  before(async () => {
    t = await buildTestApp({ clock });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    httpPort = (t.app.server.address() as AddressInfo).port;
    udp = await startUdpTracker(t.app.tracker.core, { port: 0, host: '127.0.0.1', secret: t.config.trackerSecret, clock, ipv6: false });
    udpClient = await UdpTestClient.open({ host: '127.0.0.1', port: udp.ports.udp4 });
    alice = await seedUser(t.db.sql, t.app.tracker.catalog);
    bob = await seedUser(t.db.sql, t.app.tracker.catalog);
    release = await seedRelease(t.db.sql, t.app.tracker.catalog);
  });

  after(async () => {
    await udpClient.close();
    await udp.close();
    await t.close();
  });

  function overHttp(passkey: string, peerId: Buffer, report: Report): Promise<Answer> {
    const query = [
      `info_hash=${pct(release.v1!)}`, `peer_id=${pct(peerId)}`, 'port=6881', `uploaded=${report.uploaded}`,
      `downloaded=${report.downloaded}`, `left=${report.left}`, 'compact=1', ...(report.event ? [`event=${report.event}`] : []),
    ].join('&');
    return new Promise((resolve, reject) => {
      const request = http.get({ host: '127.0.0.1', port: httpPort, path: `/announce/${passkey}?${query}`, timeout: 5000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const dict = decodeBencode(Buffer.concat(chunks)) as Dict;
          if (dict['failure reason'] !== undefined) return reject(new Error(Buffer.from(dict['failure reason'] as Uint8Array).toString()));
          const warning = dict['warning message'] === undefined ? null : Buffer.from(dict['warning message'] as Uint8Array).toString();
          resolve({ peers: (dict.peers as Uint8Array).length / 6, warning });
        });
      });
      request.on('timeout', () => request.destroy(new Error('timeout')));
      request.on('error', reject);
    });
  }

  /** BEP 15 gives no warning: an early announce is an answer without peers. */
  async function overUdp(report: Report): Promise<Answer> {
    const connectionId = await udpClient.connect(); // the fake clock moves on by half hours
    const packet = announcePacket({
      connectionId, peerId: PEER, infoHash: release.v1!, uploaded: report.uploaded, downloaded: report.downloaded,
      left: report.left, event: UDP_EVENT[report.event ?? ''], options: passkeyOption(alice.passkey),
    });
    const reply = await udpClient.request(packet);
    assert.ok(reply && reply.readUInt32BE(0) === 1, `UDP announce answered ${reply?.toString('latin1')}`);
    return { peers: (reply.length - 20) / 6, warning: null };
  }

  it('gets peers on both tiers at every regular re-announce and is credited once', async () => {
    await overHttp(bob.passkey, SEEDER, { uploaded: 0n, downloaded: 0n, left: 0n, event: 'started' });
    const start = { uploaded: 0n, downloaded: 0n, left: 1000n, event: 'started' } as const;
    assert.deepEqual(await overHttp(alice.passkey, PEER, start), { peers: 1, warning: null });
    assert.deepEqual(await overUdp(start), { peers: 1, warning: null });
    let uploaded = 0n;
    let downloaded = 0n;
    for (let round = 1; round <= 3; round++) {
      clock.advance(30 * MIN);
      await overHttp(bob.passkey, SEEDER, { uploaded: 0n, downloaded: 0n, left: 0n });
      [uploaded, downloaded] = [uploaded + 700n, downloaded + 300n];
      // both tiers report the session's cumulative totals; the tier that goes first alternates
      const report = { uploaded, downloaded, left: 1000n - downloaded };
      const first = round % 2 === 1 ? await overHttp(alice.passkey, PEER, report) : await overUdp(report);
      clock.advance(1000);
      const second = round % 2 === 1 ? await overUdp(report) : await overHttp(alice.passkey, PEER, report);
      assert.deepEqual([first, second], [{ peers: 1, warning: null }, { peers: 1, warning: null }], `round ${round}`);
    }
    await t.app.tracker.flush();
    const totals = await userTotals(t.db.sql, alice.id);
    assert.deepEqual([totals.uploaded, totals.downloaded, totals.uploaded_actual, totals.downloaded_actual], [uploaded, downloaded, uploaded, downloaded]);
    const peerRows = await t.db.sql.query<{ uploaded: string }>('SELECT uploaded FROM peers WHERE user_id = $1', [alice.id]);
    assert.deepEqual(peerRows.map((row) => BigInt(row.uploaded)), [uploaded], 'one peer row, one baseline');
  });

  it('still answers an early re-announce on one tier without peers, crediting its bytes once', async () => {
    const before = await userTotals(t.db.sql, alice.id);
    clock.advance(30 * MIN);
    const report = { uploaded: before.uploaded + 50n, downloaded: before.downloaded, left: 100n };
    assert.deepEqual(await overHttp(alice.passkey, PEER, report), { peers: 1, warning: null });
    clock.advance(MIN);
    const early = await overHttp(alice.passkey, PEER, { ...report, uploaded: report.uploaded + 10n });
    assert.equal(early.peers, 0);
    assert.match(early.warning ?? '', /Announced too soon/);
    // UDP's own timer (30 min old) has run out: peers
    assert.deepEqual(await overUdp({ ...report, uploaded: report.uploaded + 10n }), { peers: 1, warning: null });
    await t.app.tracker.flush();
    assert.equal((await userTotals(t.db.sql, alice.id)).uploaded, before.uploaded + 60n);
  });
});
