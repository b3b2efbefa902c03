import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TrackerError } from '../../src/tracker/types.js';
import type { LedgerBatch, Traffic } from '../../src/tracker/ledger.js';
import type { TrackerEngine } from '../../src/tracker/announce.js';
import { hash, makeEngine, peerId, PASSKEY_B, PASSKEY_C, req } from './fixtures/core.js';
import { sweepBudget } from '../../src/tracker-service.js';

const MIN = 60_000;

/** Takes the pending batch and returns user 1's (or `userId`'s) credited traffic. */
function drain(engine: TrackerEngine): LedgerBatch {
  return engine.ledger.take((id) => engine.countsOf(id));
}
function traffic(batch: LedgerBatch, userId = 1): Traffic {
  return batch.users.get(userId) ?? { up: 0n, down: 0n, upActual: 0n, downActual: 0n };
}

describe('announce accounting', () => {
  it('credits 0 on a new peer and sets its baseline', () => {
    const { engine } = makeEngine();
    engine.announce(req({ event: 'started', uploaded: 500n, downloaded: 700n }));
    assert.deepEqual(traffic(drain(engine)), { up: 0n, down: 0n, upActual: 0n, downActual: 0n });
  });

  it('credits the delta since the last announce', () => {
    const { engine, clock } = makeEngine();
    engine.announce(req({ event: 'started' }));
    clock.advance(30 * MIN);
    engine.announce(req({ uploaded: 100n, downloaded: 200n, left: 800n }));
    clock.advance(30 * MIN);
    engine.announce(req({ uploaded: 150n, downloaded: 300n, left: 700n }));
    assert.deepEqual(traffic(drain(engine)), { up: 150n, down: 300n, upActual: 150n, downActual: 300n });
  });

  it('treats a counter decrease as a reset: credit 0, new baseline', () => {
    const { engine, clock } = makeEngine();
    engine.announce(req({ event: 'started' }));
    clock.advance(30 * MIN);
    engine.announce(req({ uploaded: 1000n, downloaded: 10n }));
    clock.advance(30 * MIN);
    engine.announce(req({ uploaded: 40n, downloaded: 20n }));
    clock.advance(30 * MIN);
    engine.announce(req({ uploaded: 100n, downloaded: 30n }));
    assert.deepEqual(traffic(drain(engine)), { up: 1060n, down: 20n, upActual: 1060n, downActual: 20n });
  });

  it('treats started on a known peer as a new session', () => {
    const { engine, clock } = makeEngine();
    engine.announce(req({ event: 'started' }));
    clock.advance(30 * MIN);
    engine.announce(req({ uploaded: 100n }));
    clock.advance(30 * MIN);
    engine.announce(req({ event: 'started', uploaded: 300n }));
    clock.advance(30 * MIN);
    engine.announce(req({ uploaded: 350n }));
    assert.equal(traffic(drain(engine)).up, 150n);
  });

  it('credits stopped with its delta, then ends the peer but keeps its baseline', () => {
    const { engine, clock } = makeEngine();
    engine.announce(req({ event: 'started' }));
    clock.advance(10 * MIN);
    const stopped = engine.announce(req({ event: 'stopped', uploaded: 70n }));
    assert.equal(stopped.incomplete, 0);
    assert.equal(stopped.compact4.length, 0);
    clock.advance(60 * MIN);
    // the same session comes back without `started`: measured from where it left
    engine.announce(req({ uploaded: 100n }));
    const batch = drain(engine);
    assert.equal(traffic(batch).up, 100n);
    assert.equal(batch.peerRows[0].active, true);
  });

  it('never caps credit at the release size', () => {
    const { engine, clock } = makeEngine();
    engine.announce(req({ event: 'started', left: 0n }));
    clock.advance(30 * MIN);
    engine.announce(req({ uploaded: 10n ** 15n, left: 0n }));
    assert.equal(traffic(drain(engine)).up, 10n ** 15n);
  });

  it('keeps 64-bit counters exact past 2^53', () => {
    const { engine, clock } = makeEngine();
    const big = 2n ** 53n + 1n;
    engine.announce(req({ event: 'started', uploaded: big }));
    clock.advance(30 * MIN);
    engine.announce(req({ uploaded: big + 3n }));
    assert.equal(traffic(drain(engine)).up, 3n);
  });

  it('reloads persisted baselines at restart so a returning client is measured exactly', () => {
    const first = makeEngine();
    first.engine.announce(req({ event: 'started' }));
    first.clock.advance(30 * MIN);
    first.engine.announce(req({ uploaded: 400n, downloaded: 100n }));
    const rows = drain(first.engine).peerRows;
    const second = makeEngine();
    second.clock.set(first.clock.now() + 5 * MIN);
    for (const row of rows) second.engine.restorePeer(row);
    assert.equal(second.engine.stats().leechers, 1);
    second.clock.advance(30 * MIN);
    second.engine.announce(req({ uploaded: 1000n, downloaded: 250n }));
    assert.deepEqual(traffic(drain(second.engine)), { up: 600n, down: 150n, upActual: 600n, downActual: 150n });
  });

  it('restores an old peer only as a baseline, not into the swarm', () => {
    const first = makeEngine();
    first.engine.announce(req({ event: 'started' }));
    const rows = drain(first.engine).peerRows;
    const second = makeEngine();
    second.clock.set(first.clock.now() + 24 * 60 * MIN);
    for (const row of rows) second.engine.restorePeer(row);
    assert.equal(second.engine.stats().peers, 0);
    assert.equal(second.engine.stats().baselines, 1);
  });
});

describe('dual-stack and hybrid pairs', () => {
  it('credits a dual-stack pair once and gives the peer both addresses', () => {
    const { engine, clock } = makeEngine();
    engine.announce(req({ event: 'started' }));
    engine.announce(req({ event: 'started', ip: '2001:db8::1', family: 6 }));
    clock.advance(30 * MIN);
    engine.announce(req({ uploaded: 100n }));
    engine.announce(req({ uploaded: 100n, ip: '2001:db8::1', family: 6 }));
    assert.equal(traffic(drain(engine)).up, 100n);
    assert.equal(engine.stats().leechers, 1);
    const other = engine.announce(req({ passkey: PASSKEY_B, peerId: peerId('B1'), event: 'started' }));
    assert.equal(other.compact4.length, 6);
    assert.equal(other.compact6.length, 18);
  });

  it('exempts the second family of a dual-stack pair from min interval', () => {
    const { engine, clock } = makeEngine();
    engine.announce(req({ event: 'started' }));
    clock.advance(30 * MIN);
    engine.announce(req({ uploaded: 5n }));
    const v6 = engine.announce(req({ uploaded: 5n, ip: '2001:db8::1', family: 6 }));
    assert.equal(v6.warning, undefined);
  });

  it('credits a hybrid v1+v2 pair once and keeps peer lists per announced hash', () => {
    const { engine, clock } = makeEngine();
    engine.announce(req({ infoHash: hash(20), event: 'started' }));
    engine.announce(req({ infoHash: hash(21), event: 'started' }));
    clock.advance(30 * MIN);
    engine.announce(req({ infoHash: hash(20), uploaded: 300n }));
    const v2 = engine.announce(req({ infoHash: hash(21), uploaded: 300n }));
    assert.equal(v2.warning, undefined);
    assert.equal(traffic(drain(engine)).up, 300n);
    assert.equal(v2.incomplete, 1);
    // a v1-only announcer sees the hybrid peer (it is in the v1 list); a v2 announcer too
    const v1Other = engine.announce(req({ passkey: PASSKEY_B, peerId: peerId('B1'), infoHash: hash(20), event: 'started', ip: '10.0.0.2' }));
    assert.equal(v1Other.compact4.length, 6);
    const v2Third = engine.announce(req({ passkey: PASSKEY_B, peerId: peerId('B2'), infoHash: hash(21), event: 'started', ip: '10.0.0.3' }));
    // B1 announced only v1: the v2 announcer gets A's peer, not B1
    assert.equal(v2Third.compact4.length, 6);
    assert.deepEqual([...v2Third.compact4.subarray(0, 4)], [10, 0, 0, 1]);
  });
});

describe('release modes', () => {
  function twoAnnounces(releaseHash: number, siteFreeleech = false) {
    const { engine, clock, policy } = makeEngine();
    policy.siteFreeleech = siteFreeleech;
    engine.announce(req({ infoHash: hash(releaseHash), event: 'started' }));
    clock.advance(30 * MIN);
    engine.announce(req({ infoHash: hash(releaseHash), uploaded: 100n, downloaded: 200n }));
    return traffic(drain(engine));
  }

  it('normal credits both', () => {
    assert.deepEqual(twoAnnounces(10), { up: 100n, down: 200n, upActual: 100n, downActual: 200n });
  });
  it('freeleech does not credit download', () => {
    assert.deepEqual(twoAnnounces(11), { up: 100n, down: 0n, upActual: 100n, downActual: 200n });
  });
  it('neutral credits neither', () => {
    assert.deepEqual(twoAnnounces(12), { up: 0n, down: 0n, upActual: 100n, downActual: 200n });
  });
  it('double upload credits upload twice', () => {
    assert.deepEqual(twoAnnounces(13), { up: 200n, down: 200n, upActual: 100n, downActual: 200n });
  });
  it('site-wide freeleech does not credit download on a normal release', () => {
    assert.deepEqual(twoAnnounces(10, true), { up: 100n, down: 0n, upActual: 100n, downActual: 200n });
  });
});

describe('announce checks', () => {
  it('refuses a member without leech right after crediting the upload', () => {
    const { engine, clock } = makeEngine();
    assert.throws(() => engine.announce(req({ passkey: PASSKEY_C, event: 'started' })), /Access denied, leeching forbidden/);
    clock.advance(30 * MIN);
    assert.throws(() => engine.announce(req({ passkey: PASSKEY_C, uploaded: 500n, downloaded: 50n })), /leeching forbidden/);
    assert.deepEqual(traffic(drain(engine), 3), { up: 500n, down: 50n, upActual: 500n, downActual: 50n });
    assert.equal(engine.stats().peers, 0);
    // seeding is allowed
    const seeding = engine.announce(req({ passkey: PASSKEY_C, left: 0n, uploaded: 600n }));
    assert.equal(seeding.complete, 1);
  });

  it('refuses a disabled member', () => {
    const { engine, catalog } = makeEngine();
    catalog.setUser({ id: 1, passkey: 'a'.repeat(32), enabled: false, canLeech: true });
    assert.throws(() => engine.announce(req()), { message: 'Account disabled' });
  });

  it('refuses unknown and malformed passkeys', () => {
    const { engine } = makeEngine();
    assert.throws(() => engine.announce(req({ passkey: 'f'.repeat(32) })), /Invalid passkey/);
    assert.throws(() => engine.announce(req({ passkey: 'nope' })), /Invalid passkey/);
  });

  it('answers Unregistered torrent for unknown and deleted hashes', () => {
    const { engine, catalog } = makeEngine();
    assert.throws(() => engine.announce(req({ infoHash: hash(99) })), { message: 'Unregistered torrent' });
    catalog.setRelease({ id: 10, infoHashV1: hash(10), infoHashV2Short: null, freeleech: 'normal', deletedReason: 'Dupe of a better release' });
    assert.throws(() => engine.announce(req()), { message: 'Unregistered torrent: Dupe of a better release' });
  });

  it('refuses a denied client by peer_id prefix and honours an allow list', () => {
    const { engine, policy } = makeEngine();
    assert.throws(() => engine.announce(req({ peerId: Buffer.from('-XL0012-abcdefghijkl') })), /client is not allowed/);
    policy.clientAllow = ['-TR'];
    assert.throws(() => engine.announce(req()), /client is not allowed/);
    engine.announce(req({ peerId: Buffer.from('-TR3000-abcdefghijkl') }));
  });

  it('refuses bad fields with a TrackerError', () => {
    const { engine } = makeEngine();
    assert.throws(() => engine.announce(req({ infoHash: Buffer.alloc(19) })), TrackerError);
    assert.throws(() => engine.announce(req({ port: 0 })), TrackerError);
  });

  it('refuses announces once pending deltas reach the bound while flushes fail, with a retry hint', () => {
    const { engine } = makeEngine({ maxPendingDeltas: 2, flushesFailing: () => true });
    engine.announce(req({ event: 'started' }));
    assert.throws(() => engine.announce(req({ peerId: peerId('A2') })), (e: unknown) => e instanceof TrackerError && e.retryIn === 300 && /retry/.test(e.message));
  });

  it('answers a burst past the pending bound while flushes succeed, and refuses once they fail', () => {
    let failing = false;
    const { engine } = makeEngine({ maxPendingDeltas: 2, flushesFailing: () => failing });
    for (let i = 0; i < 5; i++) engine.announce(req({ peerId: peerId(`burst${i}`), event: 'started' }));
    assert.ok(engine.ledger.pending > 2, 'the burst is pending, none refused');
    failing = true;
    assert.throws(() => engine.announce(req({ peerId: peerId('late') })), /Tracker is busy/);
  });
});

describe('min interval', () => {
  it('warns an early re-announce, returns no peers, and still credits it', () => {
    const { engine, clock } = makeEngine();
    engine.announce(req({ passkey: PASSKEY_B, peerId: peerId('B1'), event: 'started', left: 0n }));
    engine.announce(req({ event: 'started' }));
    clock.advance(MIN);
    const early = engine.announce(req({ uploaded: 40n }));
    assert.match(early.warning ?? '', /too soon/);
    assert.equal(early.compact4.length, 0);
    assert.equal(early.complete, 1);
    assert.equal(traffic(drain(engine)).up, 40n);
    clock.advance(5 * MIN);
    assert.equal(engine.announce(req({ uploaded: 50n })).compact4.length, 6);
  });

  it('exempts started, completed and stopped', () => {
    const { engine, clock } = makeEngine();
    engine.announce(req({ event: 'started' }));
    clock.advance(1000);
    assert.equal(engine.announce(req({ event: 'completed', left: 0n })).warning, undefined);
    assert.equal(engine.announce(req({ event: 'stopped', left: 0n })).warning, undefined);
  });
});

describe('snatches and seedtime', () => {
  it('records a snatch once per (user, release) on completed', () => {
    const { engine, clock } = makeEngine();
    engine.announce(req({ event: 'started' }));
    clock.advance(10 * MIN);
    engine.announce(req({ event: 'completed', left: 0n, downloaded: 1000n }));
    engine.announce(req({ event: 'completed', left: 0n, downloaded: 1000n }));
    const batch = drain(engine);
    assert.equal(batch.snatches.size, 1);
    assert.notEqual(batch.transfers.get(1, 10)?.completedAt, null);
  });

  it('records a snatch on a leecher-to-seeder transition without completed', () => {
    const { engine, clock } = makeEngine();
    engine.announce(req({ event: 'started' }));
    clock.advance(30 * MIN);
    engine.announce(req({ left: 0n }));
    assert.equal(drain(engine).snatches.size, 1);
  });

  it('does not snatch a peer that starts as a seeder', () => {
    const { engine } = makeEngine();
    engine.announce(req({ event: 'started', left: 0n }));
    assert.equal(drain(engine).snatches.size, 0);
  });

  it('accrues seedtime only between consecutive seeding announces, capped at two intervals', () => {
    const { engine, clock } = makeEngine();
    engine.announce(req({ event: 'started' }));
    clock.advance(30 * MIN);
    engine.announce(req({ left: 0n })); // leecher -> seeder: no seedtime yet
    clock.advance(30 * MIN);
    engine.announce(req({ left: 0n })); // +1800
    clock.advance(10 * 60 * MIN);
    engine.announce(req({ left: 0n })); // gap of 10 h capped at 3600
    assert.equal(drain(engine).transfers.get(1, 10)?.seedtime, 1800 + 3600);
  });
});

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

describe('expiry', () => {
  it('drops peers silent for 1.5 intervals and persists them as inactive', () => {
    const { engine, clock } = makeEngine();
    engine.announce(req({ event: 'started' }));
    drain(engine);
    clock.advance(40 * MIN);
    assert.equal(engine.sweep().expired, 0);
    clock.advance(15 * MIN);
    assert.equal(engine.sweep().expired, 1);
    assert.equal(engine.stats().peers, 0);
    const batch = drain(engine);
    assert.equal(batch.peerRows[0].active, false);
    assert.deepEqual(batch.releaseRows, [{ releaseId: 10, seeders: 0, leechers: 0 }]);
  });

  it('forgets baselines after the retention', () => {
    const { engine, clock } = makeEngine();
    engine.announce(req({ event: 'started' }));
    engine.announce(req({ event: 'stopped' }));
    clock.advance(8 * 24 * 60 * MIN);
    assert.equal(engine.sweep().forgotten, 1);
    assert.equal(engine.stats().baselines, 0);
  });

  it('sweeps in slices of whole swarms, resuming where the last slice stopped, to the same result as one pass', () => {
    const { engine, clock } = makeEngine();
    const hashes = [10, 11, 12, 13, 20];
    for (const h of hashes) for (const n of [1, 2, 3]) engine.announce(req({ infoHash: hash(h), peerId: peerId(`s${h}-${n}`), event: 'started' }));
    clock.advance(55 * MIN);
    const tally = { expired: 0, forgotten: 0 };
    assert.equal(engine.sweepSome(3, tally), false);
    assert.deepEqual([tally.expired, engine.stats().peers], [3, 12], 'one swarm of three per slice');
    const ends: boolean[] = [];
    for (let i = 0; i < 5; i++) ends.push(engine.sweepSome(3, tally));
    assert.deepEqual(ends, [false, false, false, false, true], 'the call that finds no swarm left ends the pass');
    assert.deepEqual([tally.expired, engine.stats().peers, engine.lastSweepPass], [15, 0, 15]);
  });

  it('keeps sweeping in slices while swarms empty out and new ones appear mid-pass', () => {
    const { engine, clock } = makeEngine();
    for (const h of [10, 11, 12, 13]) {
      engine.announce(req({ infoHash: hash(h), peerId: peerId(`f${h}`), event: 'started' }));
      engine.announce(req({ infoHash: hash(h), peerId: peerId(`f${h}`), event: 'stopped' }));
    }
    clock.advance(8 * 24 * 60 * MIN);
    const tally = { expired: 0, forgotten: 0 };
    assert.equal(engine.sweepSome(1, tally), false);
    engine.announce(req({ infoHash: hash(20), peerId: peerId('late'), event: 'started' }));
    while (!engine.sweepSome(1, tally));
    assert.equal(tally.forgotten, 4, 'every emptied swarm was forgotten, none twice');
    assert.equal(engine.stats().peers, 1, 'the new peer is live');
    assert.equal(engine.sweep().forgotten, 0);
  });
});

describe('ledger', () => {
  it('merges a failed batch back under newer deltas', () => {
    const { engine, clock } = makeEngine();
    engine.announce(req({ event: 'started' }));
    clock.advance(30 * MIN);
    engine.announce(req({ uploaded: 10n }));
    const failed = drain(engine);
    clock.advance(30 * MIN);
    engine.announce(req({ uploaded: 25n }));
    engine.ledger.restore(failed);
    const batch = drain(engine);
    assert.equal(traffic(batch).up, 25n);
    assert.equal(batch.peerRows.length, 1);
    assert.equal(batch.peerRows[0].uploaded, 25n);
  });

  it('keeps release counts for a later batch when the flusher leaves them out, without counting them as pending deltas', () => {
    const { engine, clock } = makeEngine();
    engine.announce(req({ event: 'started' }));
    const first = engine.ledger.take(null);
    assert.equal(first.peerRows.length, 1, 'the peer row (the baseline) is never held back');
    assert.deepEqual(first.releaseRows, []);
    assert.equal(engine.ledger.pending, 0, 'counts are absolute values, not deltas: they do not fill MAX_PENDING_DELTAS');
    assert.equal(engine.ledger.countsPending, 1);
    assert.equal(engine.ledger.isEmpty(), false);
    clock.advance(30 * MIN);
    engine.announce(req({ event: 'stopped' }));
    engine.ledger.take(null);
    const later = drain(engine);
    assert.deepEqual(later.releaseRows.map((r) => [r.seeders, r.leechers]), [[0, 0]], 'the counts written are the live ones at that time');
    assert.equal(engine.ledger.isEmpty(), true);
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

describe('sweep slices (tracker-service)', () => {
  it('spreads a pass over about 50 s of 100 ms ticks, and a small tracker sweeps whole', () => {
    assert.equal(sweepBudget(0), 200);
    assert.equal(sweepBudget(50_000), 200);
    assert.equal(sweepBudget(300_000), 600);
    assert.equal(sweepBudget(1_000_000), 2_000);
  });
});
