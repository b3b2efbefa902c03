import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RecentIps } from '../../src/db/recent-ips.js';
import type { PeerRow } from '../../src/tracker/core/ledger.js';

const HOUR = 3_600_000;

function row(userId: number, ipv4: string | null, ipv6: string | null, at: number): PeerRow {
  return {
    userId, releaseId: 1, peerId: Buffer.alloc(20), ipv4, ipv6, port: 6881,
    uploaded: 0n, downloaded: 0n, left: 0n, client: 'x', key: null, seeder: true, active: true, lastAnnounceAt: at,
  };
}

describe('IP history writes (RecentIps)', () => {
  it('writes each new (member, address) once per flush, with its first and last sighting', () => {
    const ips = new RecentIps();
    const picked = ips.pick([row(1, '10.0.0.1', '::1', 1000), row(1, '10.0.0.1', null, 5000), row(2, '10.0.0.1', null, 2000)]);
    assert.deepEqual(
      picked.map((s) => [s.userId, s.ip, s.first, s.last]),
      [[1, '10.0.0.1', 1000, 5000], [1, '::1', 1000, 1000], [2, '10.0.0.1', 2000, 2000]],
    );
  });

  it('skips a pair written within the hour, and writes it again after', () => {
    const ips = new RecentIps();
    ips.remember(ips.pick([row(1, '10.0.0.1', null, 0)]));
    assert.deepEqual(ips.pick([row(1, '10.0.0.1', null, HOUR - 1)]), []);
    assert.equal(ips.pick([row(1, '10.0.0.1', null, HOUR)]).length, 1);
    assert.equal(ips.pick([row(1, '10.0.0.2', null, 10)]).length, 1, 'a new address is written at once');
  });

  it('remembers nothing that was not confirmed (a failed flush writes it again next time)', () => {
    const ips = new RecentIps();
    ips.pick([row(1, '10.0.0.1', null, 0)]);
    assert.equal(ips.pick([row(1, '10.0.0.1', null, 10)]).length, 1);
  });

  it('forgets everything rather than grow past its cap', () => {
    const ips = new RecentIps(HOUR, 2);
    ips.remember(ips.pick([row(1, '10.0.0.1', null, 0), row(2, '10.0.0.1', null, 0)]));
    ips.remember(ips.pick([row(3, '10.0.0.1', null, 0)]));
    assert.equal(ips.pick([row(1, '10.0.0.1', null, 10)]).length, 1);
  });
});
