// A torrent downloaded from the site carries an HTTP and a UDP tier, and clients announce to
// every tier (BEP 12): qBittorrent's first UDP `started` may time out and be retried later,
// with the same peer_id and key and the counters it has by then. That is the same session,
// not a new one: its delta is credited. Through real sockets (HTTP fast path, UDP socket) on
// the real app and database. Session-boundary replies arrive once their flush committed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { decodeBencode } from '../../src/tracker/http/bencode.js';
import { startUdpTracker, type UdpTracker } from '../../src/tracker/udp/socket.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { committedPeers, pct, seedRelease, seedUser, userTotals, type SeededRelease, type SeededUser } from './fixtures/seed.js';
import { announcePacket, passkeyOption, UdpTestClient } from './udp-client.js';

const MiB = 1_048_576n;
const KEY = 0x1a2b3c4d;
const PEER_ID = Buffer.from('-qB4630-tierretry000');
let t: TestApp;
let udp: UdpTracker;
let httpPort: number;
let user: SeededUser;
let release: SeededRelease;

before(async () => {
  t = await buildTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  httpPort = (t.app.server.address() as { port: number }).port;
  udp = await startUdpTracker(t.app.tracker.core, { port: 0, host: '127.0.0.1', secret: t.config.trackerSecret, ipv6: false });
  user = await seedUser(t.db.sql, t.app.tracker.catalog);
  release = await seedRelease(t.db.sql, t.app.tracker.catalog);
});

after(async () => {
  await udp.close();
  await t.close();
});

function httpAnnounce(fields: { uploaded: bigint; event?: string }): Promise<Record<string, unknown>> {
  const query =
    `info_hash=${pct(release.v1!)}&peer_id=${pct(PEER_ID)}&port=51413&uploaded=${fields.uploaded}&downloaded=0&left=0` +
    `&key=${KEY.toString(16).toUpperCase()}&compact=1${fields.event ? `&event=${fields.event}` : ''}`;
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: httpPort, path: `/announce/${user.passkey}?${query}`, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(decodeBencode(Buffer.concat(chunks)) as Record<string, unknown>));
      })
      .on('error', reject);
  });
}

describe('a started retried on the UDP tier', () => {
  it('credits a seeder the bytes it reports when its UDP started comes after its HTTP announces', async () => {
    const started = await httpAnnounce({ uploaded: 0n, event: 'started' });
    assert.equal(started['failure reason'], undefined);
    // a boundary's reply is sent once its flush committed: the peer is in the database already
    assert.equal(await committedPeers(t.db.sql, user.id), 1);
    await httpAnnounce({ uploaded: 16n * MiB });

    const client = await UdpTestClient.open({ host: '127.0.0.1', port: udp.ports.udp4 });
    try {
      const connectionId = await client.connect();
      const packet = announcePacket({ connectionId, infoHash: release.v1!, peerId: PEER_ID, uploaded: 32n * MiB, downloaded: 0n, left: 0n, event: 2, key: KEY, port: 51413, options: passkeyOption(user.passkey) });
      const reply = await client.request(packet, 5000);
      assert.ok(reply !== null, 'no UDP reply');
      assert.equal(reply.readUInt32BE(0), 1, 'an announce reply');
    } finally {
      await client.close();
    }
    await t.app.tracker.flush();
    const totals = await userTotals(t.db.sql, user.id);
    assert.equal(totals.uploaded_actual, 32n * MiB);
    assert.equal(totals.uploaded, 32n * MiB);
  });
});
