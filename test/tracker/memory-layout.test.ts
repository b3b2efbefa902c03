// Specs for the compact peer storage: the counter slab (counters.ts), the peer columns a Peer
// is a handle on (peer.ts, peer-columns.ts), the array/Map switch of small swarms and the
// packed address lists of big ones (swarm.ts, address-list.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PACKED_FROM } from '../../src/tracker/core/address-list.js';
import { INT64_MAX as MAX_COUNTER } from '../../src/int64.js';
import { allocateSlot, counterStats, readCounter, releaseSlot, UPLOADED, LEFT } from '../../src/tracker/core/counters.js';
import { HASH_V1, Peer } from '../../src/tracker/core/peer.js';
import { parseIPv4 } from '../../src/tracker/core/address.js';
import { SMALL_SWARM, Swarm } from '../../src/tracker/core/swarm.js';
import { TrackerError } from '../../src/tracker/core/types.js';
import { makeEngine, PASSKEY_B, peerId, req } from './fixtures/core.js';

const MIN = 60_000;
const id = (n: number): string => `-qB4650-${String(n).padStart(12, '0')}`;

/** An active IPv4 leecher of `swarm` at 10.0.x.y:port. */
function addPeer(swarm: Swarm, userId: number, peer_id: string, n: number): Peer {
  const peer = new Peer(userId, swarm.releaseId, peer_id, 0n, 0n, 100n);
  swarm.add(peer);
  swarm.setIPv4(peer, parseIPv4(`10.0.${n >> 8}.${n & 255}`), 1000 + n);
  swarm.activate(peer, HASH_V1);
  return peer;
}

/** The IPv4 entries of a reply to `requester`, as "a.b.c.d:port". */
function addressesFor(swarm: Swarm, requester: Peer, want = 10_000): string[] {
  const { compact4 } = swarm.select(requester, HASH_V1, want, false);
  const out: string[] = [];
  for (let i = 0; i < compact4.length; i += 6) out.push(`${compact4.subarray(i, i + 4).join('.')}:${compact4.readUInt16BE(i + 4)}`);
  return out.sort();
}

describe('counter slab', () => {
  it('reuses the slot of a released peer, starting from the values it is given', () => {
    const a = allocateSlot(1n, 2n, 3n);
    releaseSlot(a);
    const b = allocateSlot(7n, 8n, 9n);
    assert.equal(b, a);
    assert.equal(readCounter(b, UPLOADED), 7n);
    assert.equal(readCounter(b, LEFT), 9n);
    releaseSlot(b);
  });

  it('keeps every value through growth with many peers', () => {
    const slots: number[] = [];
    const before = counterStats().live;
    for (let i = 0; i < 5000; i++) slots.push(allocateSlot(BigInt(i), BigInt(i) * 3n, MAX_COUNTER - BigInt(i)));
    assert.ok(counterStats().slots >= 5000);
    assert.equal(new Set(slots).size, 5000);
    slots.forEach((slot, i) => {
      assert.equal(readCounter(slot, UPLOADED), BigInt(i));
      assert.equal(readCounter(slot, LEFT), MAX_COUNTER - BigInt(i));
    });
    for (const slot of slots) releaseSlot(slot);
    assert.equal(counterStats().live, before);
  });

  it('holds 2^63 - 1 exactly and refuses what would wrap', () => {
    const slot = allocateSlot(MAX_COUNTER, MAX_COUNTER - 1n, 0n);
    assert.equal(readCounter(slot, UPLOADED), 9223372036854775807n);
    assert.throws(() => allocateSlot(MAX_COUNTER + 1n, 0n, 0n), RangeError);
    assert.throws(() => allocateSlot(-1n, 0n, 0n), RangeError);
    releaseSlot(slot);
  });
});

describe('peer fields', () => {
  it('keeps a forgotten peer\'s last totals when its slot goes to a new peer', () => {
    const swarm = new Swarm(1);
    const old = addPeer(swarm, 1, id(1), 1);
    old.uploaded = 123n;
    swarm.forget(old);
    const next = addPeer(swarm, 2, id(2), 2);
    next.uploaded = 999n;
    assert.equal(old.uploaded, 123n);
    assert.equal(old.left, 100n);
    assert.equal(next.uploaded, 999n);
  });

  it('keeps a forgotten peer\'s identity, address and key when its row goes to a new peer', () => {
    const swarm = new Swarm(1);
    const old = addPeer(swarm, 1, id(1), 1);
    old.key = 'not-hex!';
    old.client = 'old client';
    swarm.forget(old);
    const next = addPeer(swarm, 2, id(2), 2);
    next.key = '1A2B3C4D';
    next.client = 'new client';
    assert.deepEqual([old.userId, old.peerId, old.addr4, old.key, old.client], [1, id(1), String.fromCharCode(10, 0, 0, 1, 1001 >> 8, 1001 & 255), 'not-hex!', 'old client']);
    assert.deepEqual([next.userId, next.peerId, next.key, next.client], [2, id(2), '1A2B3C4D', 'new client']);
    assert.equal(next.hasMore, false);
  });

  it('keeps every peer\'s peer_id and address through the columns\' growth', () => {
    const swarm = new Swarm(1);
    const peers = Array.from({ length: 3000 }, (_, n) => addPeer(swarm, n + 1, id(n), n));
    peers.forEach((peer, n) => {
      assert.equal(peer.peerId, id(n));
      assert.ok(peer.hasPeerId(id(n)) && !peer.hasPeerId(id(n + 1)));
      assert.equal(peer.ipv4Text(), `10.0.${n >> 8}.${n & 255}`);
      assert.equal(swarm.get(n + 1, id(n)), peer);
    });
  });

  it('finds a peer whose peer_id is not 20 one-byte characters (a restored row) by that id', () => {
    const swarm = new Swarm(1);
    const short = addPeer(swarm, 1, 'short-id', 1);
    const wide = addPeer(swarm, 1, 'ĀĀĀĀĀĀĀĀĀĀĀĀĀĀĀĀĀĀĀĀ', 2);
    assert.equal(swarm.get(1, 'short-id'), short);
    assert.equal(swarm.get(1, 'ĀĀĀĀĀĀĀĀĀĀĀĀĀĀĀĀĀĀĀĀ'), wide);
    assert.equal(wide.peerId, 'ĀĀĀĀĀĀĀĀĀĀĀĀĀĀĀĀĀĀĀĀ');
  });

  it('gives back the key a client sent, in whichever form', () => {
    const peer = new Peer(1, 1, id(1), 0n, 0n, 0n);
    for (const key of ['1A2B3C4D', 'FFFFFFFF', '00000000', '1a2b3c4d', 'not-hex!', '-qB4650-aaaa', null]) {
      peer.key = key;
      assert.equal(peer.key, key);
    }
  });

  it('keeps each family\'s own port on a dual-stack peer and reports the last one', () => {
    const { engine, clock } = makeEngine();
    engine.announce(req({ event: 'started', port: 5000 }));
    engine.announce(req({ event: 'started', ip: '2001:db8::1', family: 6, port: 6000 }));
    const rows = engine.ledger.take((r) => engine.countsOf(r)).peerRows;
    assert.deepEqual([rows[0].ipv4, rows[0].ipv6, rows[0].port], ['10.0.0.1', '2001:db8:0:0:0:0:0:1', 6000]);
    clock.advance(30 * MIN);
    engine.announce(req({ port: 5000 }));
    assert.equal(engine.ledger.take((r) => engine.countsOf(r)).peerRows[0].port, 5000);
    const other = engine.announce(req({ passkey: PASSKEY_B, peerId: peerId('B1'), event: 'started' }));
    assert.equal(other.compact4.readUInt16BE(4), 5000);
    assert.equal(other.compact6.readUInt16BE(16), 6000);
  });
});

describe('swarm records', () => {
  it('switches to Maps past SMALL_SWARM and back, keeping two members with one peer_id apart', () => {
    const swarm = new Swarm(1);
    const fillers: Peer[] = [];
    for (let i = 0; i < SMALL_SWARM - 1; i++) fillers.push(addPeer(swarm, 100 + i, id(i), i));
    const first = addPeer(swarm, 1, 'same-peer-id-000000!', 500);
    assert.equal(swarm.usesMaps, false);
    const second = addPeer(swarm, 2, 'same-peer-id-000000!', 501);
    assert.equal(swarm.usesMaps, true);
    assert.equal(swarm.size, SMALL_SWARM + 1);
    assert.equal(swarm.get(1, 'same-peer-id-000000!'), first);
    assert.equal(swarm.get(2, 'same-peer-id-000000!'), second);
    assert.equal(swarm.get(3, 'same-peer-id-000000!'), undefined);
    // the first holder goes: the second stays reachable (it sits in the shared map)
    swarm.forget(first);
    assert.equal(swarm.get(2, 'same-peer-id-000000!'), second);
    for (const peer of fillers.slice(0, SMALL_SWARM / 2 + 1)) swarm.forget(peer);
    assert.equal(swarm.usesMaps, false);
    assert.equal(swarm.get(2, 'same-peer-id-000000!'), second);
    assert.equal(swarm.get(1, 'same-peer-id-000000!'), undefined);
    assert.equal(swarm.leechers, swarm.size);
  });

  it('finds the same peer_id of two members in a small swarm', () => {
    const swarm = new Swarm(1);
    const a = addPeer(swarm, 1, id(7), 1);
    const b = addPeer(swarm, 2, id(7), 2);
    assert.equal(swarm.usesMaps, false);
    assert.equal(swarm.get(1, id(7)), a);
    assert.equal(swarm.get(2, id(7)), b);
  });

  it('forgets every old baseline in one sweep, small swarm or large', () => {
    for (const count of [5, SMALL_SWARM * 3]) {
      const { engine, clock } = makeEngine();
      for (let i = 0; i < count; i++) {
        engine.announce(req({ peerId: peerId(`S${i}`), event: 'started', ip: `10.1.0.${i}` }));
        engine.announce(req({ peerId: peerId(`S${i}`), event: 'stopped', ip: `10.1.0.${i}` }));
      }
      clock.advance(8 * 24 * 60 * MIN);
      assert.equal(engine.sweep().forgotten, count);
      assert.equal(engine.swarms.size, 0);
    }
  });
});

describe('address lists', () => {
  it('hands out exactly the other peers, at their current address, as a list grows past PACKED_FROM and shrinks back', () => {
    const swarm = new Swarm(1);
    const peers: Peer[] = [];
    const expected = new Map<Peer, string>();
    const check = (): void => {
      for (const requester of [peers[0], peers[peers.length - 1]]) {
        const others = [...expected].filter(([p]) => p !== requester).map(([, a]) => a).sort();
        assert.deepEqual(addressesFor(swarm, requester), others);
      }
    };
    for (let i = 0; i < PACKED_FROM * 2; i++) {
      const peer = addPeer(swarm, i + 1, id(i), i);
      if (i % 3 === 0) swarm.setSeeder(peer, true);
      peers.push(peer);
      expected.set(peer, `10.0.${i >> 8}.${i & 255}:${1000 + i}`);
      if (i === PACKED_FROM - 1 || i === PACKED_FROM || i === PACKED_FROM * 2 - 1) check();
    }
    // a peer moves while the list is packed
    swarm.setIPv4(peers[5], parseIPv4('192.168.7.7'), 7777);
    expected.set(peers[5], '192.168.7.7:7777');
    check();
    while (peers.length > 3) {
      const peer = peers.splice(1, 1)[0];
      swarm.deactivate(peer);
      expected.delete(peer);
      if (peers.length % 7 === 0) check();
    }
    check();
  });

  it('writes IPv4 addresses with the high bit set (int32 storage)', () => {
    const swarm = new Swarm(1);
    const a = addPeer(swarm, 1, id(1), 1);
    const b = addPeer(swarm, 2, id(2), 2);
    swarm.setIPv4(b, parseIPv4('255.254.128.1'), 65535);
    assert.deepEqual(addressesFor(swarm, a), ['255.254.128.1:65535']);
    assert.equal(b.addr4, String.fromCharCode(255, 254, 128, 1, 255, 255));
  });
});

describe('counters through announce', () => {
  it('credits exactly near 2^63 and refuses a total past 2^63 - 1', () => {
    const { engine, clock } = makeEngine();
    engine.announce(req({ event: 'started', uploaded: MAX_COUNTER - 10n, downloaded: MAX_COUNTER - 1n, left: MAX_COUNTER }));
    clock.advance(30 * MIN);
    engine.announce(req({ uploaded: MAX_COUNTER, downloaded: MAX_COUNTER, left: MAX_COUNTER }));
    const batch = engine.ledger.take((r) => engine.countsOf(r));
    assert.deepEqual([batch.users.get(1)!.upActual, batch.users.get(1)!.downActual], [10n, 1n]);
    assert.equal(batch.peerRows[0].uploaded, MAX_COUNTER);
    assert.throws(() => engine.announce(req({ uploaded: MAX_COUNTER + 1n })), TrackerError);
  });
});
