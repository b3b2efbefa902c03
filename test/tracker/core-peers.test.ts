// The tracker core's peer lists: who is handed out, what makes one peer, scrape counts, and
// the swarm lists checked against a model under random churn. No database.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TrackerEngine } from '../../src/tracker/core/engine.js';
import { drain, hash, makeEngine, MIN, PASSKEY_B, peerId, req, traffic } from './fixtures/core.js';

describe('peer selection', () => {
  function swarmOf(engine: TrackerEngine, seeders: number, leechers: number) {
    for (let i = 0; i < seeders; i++) engine.announce(req({ passkey: PASSKEY_B, peerId: peerId(`S${i}`), left: 0n, event: 'started', ip: `10.1.0.${i}` }));
    for (let i = 0; i < leechers; i++) engine.announce(req({ passkey: PASSKEY_B, peerId: peerId(`L${i}`), event: 'started', ip: `10.2.0.${i}` }));
  }

  it('returns numwant peers, 50 by default, capped at 100', () => {
    const { engine } = makeEngine();
    swarmOf(engine, 0, 150);
    assert.equal(engine.announce(req({ event: 'started', numwant: 10 })).compact4.length, 60);
    assert.equal(engine.announce(req({ event: 'started', peerId: peerId('A2') })).compact4.length, 300);
    assert.equal(engine.announce(req({ event: 'started', peerId: peerId('A3'), numwant: 1000 })).compact4.length, 600);
    assert.equal(engine.announce(req({ event: 'started', peerId: peerId('A4'), numwant: 0 })).compact4.length, 0);
  });

  it('never returns the requester', () => {
    const { engine } = makeEngine();
    for (let round = 0; round < 20; round++) {
      const reply = engine.announce(req({ event: 'started', numwant: 1, port: 7000 }));
      assert.equal(reply.compact4.length, 0);
    }
    swarmOf(engine, 1, 0);
    for (let round = 0; round < 20; round++) {
      const reply = engine.announce(req({ event: 'started', numwant: 5, port: 7000 }));
      assert.equal(reply.compact4.length, 6);
      assert.notEqual(reply.compact4.readUInt16BE(4), 7000);
    }
  });

  it('gives seeders only leechers', () => {
    const { engine } = makeEngine();
    swarmOf(engine, 5, 3);
    const reply = engine.announce(req({ event: 'started', left: 0n }));
    assert.equal(reply.compact4.length, 3 * 6);
    for (let i = 0; i < reply.compact4.length; i += 6) assert.equal(reply.compact4[i + 1], 2);
    assert.equal(reply.complete, 6);
    assert.equal(reply.incomplete, 3);
  });

  it('fills peers4 and peers6 entries for transports without compact support', () => {
    const { engine } = makeEngine();
    engine.announce(req({ passkey: PASSKEY_B, peerId: peerId('B1'), event: 'started', ip: '2001:db8::7', family: 6, port: 5000 }));
    const reply = engine.announce(req({ event: 'started', withPeerIds: true }));
    assert.deepEqual(reply.peers6.map((p) => [p.ip, p.port, p.peerId.toString('latin1')]), [['2001:db8:0:0:0:0:0:7', 5000, peerId('B1').toString('latin1')]]);
  });
});

describe('peer identity', () => {
  it('keeps two members using the same peer_id apart', () => {
    const { engine, clock } = makeEngine();
    engine.announce(req({ event: 'started' }));
    engine.announce(req({ passkey: PASSKEY_B, event: 'started', ip: '10.0.0.2' }));
    clock.advance(30 * MIN);
    engine.announce(req({ uploaded: 10n }));
    engine.announce(req({ passkey: PASSKEY_B, uploaded: 20n, ip: '10.0.0.2' }));
    const batch = drain(engine);
    assert.equal(traffic(batch, 1).up, 10n);
    assert.equal(traffic(batch, 2).up, 20n);
    assert.equal(engine.stats().leechers, 2);
  });

  it('hands out the new address of a peer that moved', () => {
    const { engine, clock } = makeEngine();
    engine.announce(req({ event: 'started' }));
    clock.advance(30 * MIN);
    engine.announce(req({ ip: '10.9.9.9', port: 7777 }));
    const other = engine.announce(req({ passkey: PASSKEY_B, peerId: peerId('B1'), event: 'started' }));
    assert.deepEqual([...other.compact4], [10, 9, 9, 9, 0x1e, 0x61]);
  });

  it('returns every other peer exactly once when numwant covers the swarm', () => {
    const { engine } = makeEngine();
    for (let i = 0; i < 30; i++) engine.announce(req({ passkey: PASSKEY_B, peerId: peerId(`P${i}`), event: 'started', ip: `10.5.0.${i}`, left: i % 2 ? 0n : 5n }));
    for (let i = 0; i < 10; i++) engine.announce(req({ passkey: PASSKEY_B, peerId: peerId(`Q${i}`), event: 'started', ip: `fd00::${i + 1}`, family: 6 }));
    const reply = engine.announce(req({ passkey: PASSKEY_B, peerId: peerId('P3'), ip: '10.5.0.3', left: 5n, numwant: 100, event: 'started' }));
    const seen = new Set<string>();
    for (let i = 0; i < reply.compact4.length; i += 6) seen.add(reply.compact4.subarray(i, i + 4).join('.'));
    assert.equal(reply.compact4.length, 29 * 6);
    assert.equal(seen.size, 29);
    assert.ok(!seen.has('10.5.0.3'));
    assert.equal(reply.compact6.length, 10 * 18);
  });

  it('shares numwant between IPv4 and IPv6 peers', () => {
    const { engine } = makeEngine();
    for (let i = 0; i < 60; i++) engine.announce(req({ passkey: PASSKEY_B, peerId: peerId(`P${i}`), event: 'started', ip: `10.5.0.${i}` }));
    for (let i = 0; i < 60; i++) engine.announce(req({ passkey: PASSKEY_B, peerId: peerId(`Q${i}`), event: 'started', ip: `fd00::${i + 1}`, family: 6 }));
    const reply = engine.announce(req({ event: 'started', numwant: 50 }));
    assert.equal(reply.compact4.length / 6 + reply.compact6.length / 18, 50);
    assert.ok(reply.compact6.length > 0 && reply.compact4.length > 0);
  });

  it('gives all of numwant to one family when the transport can carry only that one (UDP)', () => {
    const { engine } = makeEngine();
    for (let i = 0; i < 60; i++) engine.announce(req({ passkey: PASSKEY_B, peerId: peerId(`P${i}`), event: 'started', ip: `10.5.0.${i}` }));
    for (let i = 0; i < 60; i++) engine.announce(req({ passkey: PASSKEY_B, peerId: peerId(`Q${i}`), event: 'started', ip: `fd00::${i + 1}`, family: 6 }));
    const v4 = engine.announce(req({ event: 'started', numwant: 50, peerFamily: 4 }));
    assert.deepEqual([v4.compact4.length / 6, v4.compact6.length], [50, 0]);
    const v6 = engine.announce(req({ peerId: peerId('R6'), ip: 'fd00::ff', family: 6, event: 'started', numwant: 50, peerFamily: 6 }));
    assert.deepEqual([v6.compact4.length, v6.compact6.length / 18], [0, 50]);
  });
});

describe('scrape', () => {
  it('reports counts for known hashes and omits unknown ones', () => {
    const { engine } = makeEngine();
    engine.announce(req({ event: 'started' }));
    engine.announce(req({ passkey: PASSKEY_B, peerId: peerId('B1'), event: 'started', left: 0n }));
    engine.completed.set(10, 4);
    const entries = engine.scrape('a'.repeat(32), [hash(10), hash(99), hash(11)]);
    assert.deepEqual(entries.map((e) => [e.infoHash[0], e.complete, e.incomplete, e.downloaded]), [[10, 1, 1, 4], [11, 0, 0, 0]]);
    assert.throws(() => engine.scrape('f'.repeat(32), [hash(10)]), /Invalid passkey/);
  });
});

describe('swarm lists under random churn', () => {
  it('always hands out exactly the live peers of the announced hash, at their current address', () => {
    const { engine, clock, policy } = makeEngine();
    policy.numwantCap = 10_000;
    policy.minInterval = 0;
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    // model: key -> { v1, v2, addr4, addr6, active }
    const model = new Map<string, { hashes: Set<number>; addr4?: string; addr6?: string; active: boolean }>();
    for (let step = 0; step < 3000; step++) {
      clock.advance(1000);
      const n = rnd(40);
      const six = rnd(3) === 0;
      const h = rnd(2) === 0 ? 20 : 21;
      const event = (['', '', '', 'started', 'stopped', 'completed'] as const)[rnd(6)];
      const ip = six ? `fd00::${rnd(5) + 1}` : `10.6.${rnd(3)}.${n}`;
      const port = 1000 + rnd(3);
      engine.announce(req({ passkey: PASSKEY_B, peerId: peerId(`R${n}`), infoHash: hash(h), ip, family: six ? 6 : 4, port, left: BigInt(rnd(2)), event }));
      const m = model.get(`R${n}`) ?? { hashes: new Set<number>(), active: false };
      model.set(`R${n}`, m);
      const text = `${six ? `[${ip}]` : ip}:${port}`;
      if (six) m.addr6 = text;
      else m.addr4 = text;
      if (event === 'stopped') {
        m.active = false;
        m.hashes.clear();
      } else {
        m.active = true;
        m.hashes.add(h);
      }
      if (step % 100 !== 99) continue;
      for (const h2 of [20, 21]) {
        const reply = engine.announce(req({ peerId: peerId('OUTSIDER'), infoHash: hash(h2), event: 'started', numwant: 10_000 }));
        engine.announce(req({ peerId: peerId('OUTSIDER'), infoHash: hash(h2), event: 'stopped' }));
        const got: string[] = [];
        for (const p of reply.peers4) got.push(`${p.ip}:${p.port}`);
        for (const p of reply.peers6) got.push(`[${p.ip.replace(/(^|:)0(:0)*:/, '::').replace(/:{3,}/, '::')}]:${p.port}`);
        const expected: string[] = [];
        for (const m2 of model.values()) {
          if (!m2.active || !m2.hashes.has(h2)) continue;
          if (m2.addr4) expected.push(m2.addr4);
          if (m2.addr6) expected.push(m2.addr6);
        }
        assert.deepEqual(got.map((g) => g.replace(/^\[fd00:0:0:0:0:0:0:/, '[fd00::')).sort(), expected.sort(), `step ${step} hash ${h2}`);
      }
    }
  });
});
