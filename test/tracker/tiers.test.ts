// Specs for a client that announces on both tiers of a downloaded torrent (BEP 12: one HTTP
// and one UDP tracker URL, as qBittorrent and Deluge do with "announce to all tiers"): min
// interval is kept per transport as well as per family and hash, and the bytes are credited
// once, from the one baseline of (member, release, peer_id), whichever tier reports them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TrackerEngine } from '../../src/tracker/core/engine.js';
import { Peer, HASH_V1, HASH_V2 } from '../../src/tracker/core/peer.js';
import type { AnnounceRequest } from '../../src/tracker/core/types.js';
import { hash, makeEngine, peerId, PASSKEY_B, req } from './fixtures/core.js';

const MIN = 60_000;
const http = (overrides: Partial<AnnounceRequest> = {}): AnnounceRequest => req({ transport: 'http', ...overrides });
const udp = (overrides: Partial<AnnounceRequest> = {}): AnnounceRequest => req({ transport: 'udp', ...overrides });

/** A seeder of member B, so member A's announces have a peer to get. */
function addSeeder(engine: TrackerEngine): void {
  engine.announce(req({ passkey: PASSKEY_B, peerId: peerId('B1'), event: 'started', left: 0n, ip: '10.0.0.2' }));
}

/** Member 1's credited upload and download in the pending batch (taken). */
function credited(engine: TrackerEngine): { up: bigint; down: bigint } {
  const traffic = engine.ledger.take((id) => engine.countsOf(id)).users.get(1);
  return { up: traffic?.up ?? 0n, down: traffic?.down ?? 0n };
}

describe('min interval per tier', () => {
  it('gives a client announcing on the HTTP and the UDP tier peers on both at their regular re-announces', () => {
    const { engine, clock } = makeEngine();
    addSeeder(engine);
    assert.equal(engine.announce(http({ event: 'started' })).compact4.length, 6);
    clock.advance(1000);
    assert.equal(engine.announce(udp({ event: 'started' })).compact4.length, 6);
    for (let round = 0; round < 3; round++) {
      clock.advance(30 * MIN);
      const overHttp = engine.announce(http());
      clock.advance(2000);
      const overUdp = engine.announce(udp());
      assert.equal(overHttp.warning, undefined);
      assert.equal(overUdp.warning, undefined);
      assert.equal(overHttp.compact4.length, 6);
      assert.equal(overUdp.compact4.length, 6);
    }
  });

  it('still warns an early re-announce on the same tier, each tier on its own timer', () => {
    const { engine, clock } = makeEngine();
    addSeeder(engine);
    engine.announce(http({ event: 'started' }));
    clock.advance(MIN);
    // the first plain announce on UDP: that tier has no timer yet
    assert.equal(engine.announce(udp()).warning, undefined);
    clock.advance(MIN);
    const httpEarly = engine.announce(http());
    assert.match(httpEarly.warning ?? '', /too soon/);
    assert.equal(httpEarly.compact4.length, 0);
    clock.advance(2 * MIN);
    assert.match(engine.announce(udp()).warning ?? '', /too soon/);
    clock.advance(3 * MIN);
    // an early announce restarts its own tier's timer only: HTTP's (5 min ago) has run out,
    // UDP's (3 min ago) has not
    assert.equal(engine.announce(http()).compact4.length, 6);
    assert.match(engine.announce(udp()).warning ?? '', /too soon/);
  });

  it('does not let a client alternating tiers announce faster than min interval on either', () => {
    const { engine, clock } = makeEngine();
    addSeeder(engine);
    engine.announce(http({ event: 'started' }));
    engine.announce(udp({ event: 'started' }));
    for (let i = 0; i < 4; i++) {
      clock.advance(10_000);
      const reply = engine.announce(i % 2 === 0 ? http() : udp());
      assert.match(reply.warning ?? '', /too soon/, `announce ${i}`);
      assert.equal(reply.compact4.length, 0);
    }
  });

  it('keeps eight timers apart for a dual-stack client announcing a hybrid on both tiers', () => {
    const { engine, clock } = makeEngine();
    const variants: Partial<AnnounceRequest>[] = [];
    for (const transport of ['http', 'udp'] as const) {
      for (const family of [4, 6] as const) {
        for (const infoHash of [hash(20), hash(21)]) variants.push({ transport, family, infoHash, ip: family === 4 ? '10.0.0.1' : '2001:db8::1' });
      }
    }
    for (const variant of variants) engine.announce(req({ ...variant, event: 'started' }));
    clock.advance(30 * MIN);
    for (const variant of variants) assert.equal(engine.announce(req(variant)).warning, undefined, JSON.stringify(variant));
    clock.advance(MIN);
    for (const variant of variants) assert.match(engine.announce(req(variant)).warning ?? '', /too soon/, JSON.stringify(variant));
  });

  it('times the UDP tier of a UDP-only peer like the HTTP tier of an HTTP-only one', () => {
    const { engine, clock } = makeEngine();
    engine.announce(udp({ event: 'started' }));
    clock.advance(MIN);
    assert.match(engine.announce(udp()).warning ?? '', /too soon/);
    clock.advance(5 * MIN);
    assert.equal(engine.announce(udp()).warning, undefined);
  });
});

describe('peer storage of the tier timers', () => {
  const hasMore = (peer: Peer): boolean => peer.hasMore;

  it('needs no extra object for an IPv4 peer announcing on one tier, HTTP or UDP', () => {
    for (const transport of ['http', 'udp'] as const) {
      const peer = new Peer(1, 1, 'x'.repeat(20), 0n, 0n, 0n);
      peer.markSeen(transport, 4, HASH_V1, 1_800_000_000_000);
      peer.markSeen(transport, 4, HASH_V1, 1_800_000_060_000);
      assert.equal(peer.seenAt(transport, 4, HASH_V1), 1_800_000_060_000);
      assert.equal(hasMore(peer), false, transport);
    }
  });

  it('answers each (tier, family, hash) with its own last announce', () => {
    const peer = new Peer(1, 1, 'x'.repeat(20), 0n, 0n, 0n);
    let now = 1_800_000_000_000;
    const expected = new Map<string, number>();
    // UDP first: it claims the field on the Peer, HTTP goes to the extra record
    for (const transport of ['udp', 'http'] as const) {
      for (const family of [4, 6] as const) {
        for (const slot of [HASH_V1, HASH_V2] as const) {
          now += 1000;
          peer.markSeen(transport, family, slot, now);
          expected.set(`${transport}${family}${slot}`, now);
        }
      }
    }
    for (const [label, ms] of expected) {
      const [transport, family, slot] = [label.startsWith('udp') ? 'udp' : 'http', Number(label.at(-2)), Number(label.at(-1))] as const;
      assert.equal(peer.seenAt(transport, family as 4 | 6, slot as 0 | 1), ms, label);
    }
    assert.equal(peer.lastSeen, now);
  });
});

describe('credit across tiers', () => {
  it('credits a client reporting the same totals on both tiers once', () => {
    const { engine, clock } = makeEngine();
    engine.announce(http({ event: 'started' }));
    engine.announce(udp({ event: 'started' }));
    let up = 0n;
    let down = 0n;
    let total = { up: 0n, down: 0n };
    for (let round = 0; round < 4; round++) {
      clock.advance(30 * MIN);
      up += 1000n;
      down += 400n;
      // both tiers report the session's cumulative counters, the second a little later
      engine.announce(http({ uploaded: up, downloaded: down }));
      clock.advance(2000);
      up += 7n;
      engine.announce(udp({ uploaded: up, downloaded: down }));
      const batch = credited(engine);
      total = { up: total.up + batch.up, down: total.down + batch.down };
    }
    assert.deepEqual(total, { up, down });
  });

  it('credits an early announce on one tier once, and the other tier only what came after', () => {
    const { engine, clock } = makeEngine();
    engine.announce(udp({ event: 'started' }));
    engine.announce(http({ event: 'started' }));
    clock.advance(30 * MIN);
    engine.announce(udp({ uploaded: 500n }));
    clock.advance(MIN);
    // early on UDP: no peers, still credited
    assert.match(engine.announce(udp({ uploaded: 800n })).warning ?? '', /too soon/);
    engine.announce(http({ uploaded: 800n }));
    clock.advance(MIN);
    engine.announce(http({ uploaded: 900n, event: 'stopped' }));
    assert.deepEqual(credited(engine), { up: 900n, down: 0n });
  });

  it('keeps one peer, counted once in the swarm, for both tiers', () => {
    const { engine } = makeEngine();
    engine.announce(http({ event: 'started' }));
    const reply = engine.announce(udp({ event: 'started', port: 6882 }));
    assert.equal(reply.incomplete, 1);
    assert.equal(engine.stats().leechers, 1);
  });
});
