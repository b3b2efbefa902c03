import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { announceTiers, contentDisposition, torrentFilename, udpAnnounceUrl } from '../../src/web/releases/build-download.js';

const config = { baseUrl: 'http://localhost:8080', udpEnabled: true, udpHost: 'localhost', udpPort: 6969, siteName: 'seedkeep' };
const passkey = 'a'.repeat(32);
const release = { id: 1, name: 'x', torrentFile: new Uint8Array() };

describe('download announce tiers', () => {
  it('puts HTTP first by default, so clients without BEP 41 still work', () => {
    assert.deepEqual(announceTiers({ config, release, member: { passkey, udpFirst: false } }), [
      [`http://localhost:8080/announce/${passkey}`],
      [`udp://localhost:6969/${passkey}/announce`],
    ]);
  });

  it('leaves UDP out when the UDP tracker is off', () => {
    assert.deepEqual(announceTiers({ config: { ...config, udpEnabled: false }, release, member: { passkey, udpFirst: true } }), [
      [`http://localhost:8080/announce/${passkey}`],
    ]);
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
