import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ANNOUNCE_TIERS, announceTiers, contentDisposition, torrentFilename, udpAnnounceUrl, type AnnounceTiers,
} from '../../src/web/releases/build-download.js';

const config = { baseUrl: 'http://localhost:8080', udpEnabled: true, udpHost: 'localhost', udpPort: 6969, siteName: 'seedkeep' };
const passkey = 'a'.repeat(32);
const release = { id: 1, name: 'x', torrentFile: new Uint8Array() };

describe('download announce tiers', () => {
  const http = [`http://localhost:8080/announce/${passkey}`];
  const udp = [`udp://localhost:6969/${passkey}/announce`];
  const tiersFor = (choice: AnnounceTiers, udpEnabled = true) =>
    announceTiers({ config: { ...config, udpEnabled }, release, member: { passkey, announceTiers: choice } });

  it('carries the HTTP tier alone by default, so clients without BEP 41 never meet a UDP URL', () => {
    assert.deepEqual(tiersFor('http_only'), [http]);
  });

  it('adds the UDP tier after HTTP, or before it, when the member chose so', () => {
    assert.deepEqual(tiersFor('http_then_udp'), [http, udp]);
    assert.deepEqual(tiersFor('udp_first'), [udp, http]);
  });

  it('leaves UDP out when the UDP tracker is off, whatever the choice', () => {
    for (const choice of ANNOUNCE_TIERS) assert.deepEqual(tiersFor(choice, false), [http], choice);
  });

  it('brackets an IPv6 UDP host', () => {
    assert.equal(udpAnnounceUrl('::1', 6969, passkey), `udp://[::1]:6969/${passkey}/announce`);
  });
});

describe('download file name', () => {
  it('replaces separators, reserved and control characters', () => {
    assert.equal(torrentFilename('a/b\\c:d*e?f"g<h>i|j\u0001k'), 'a_b_c_d_e_f_g_h_i_j_k.torrent');
  });

  it('never yields a hidden or empty name', () => {
    assert.equal(torrentFilename('...'), 'release.torrent');
    assert.equal(torrentFilename('..secret'), 'secret.torrent');
  });

  it('keeps non-ASCII names in filename* and an ASCII fallback', () => {
    assert.equal(contentDisposition('Ünïcode 日本.torrent'), `attachment; filename="_n_code __.torrent"; filename*=UTF-8''%C3%9Cn%C3%AFcode%20%E6%97%A5%E6%9C%AC.torrent`);
  });
});
