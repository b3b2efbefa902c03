// The tracker core's books (src/tracker): what an announce credits, for a peer over both
// address families and both hashes of a hybrid, under each release mode, and how the ledger
// merges it for the flush. No database: the engine runs on a fake clock.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { drain, hash, makeEngine, MIN, PASSKEY_B, peerId, req, traffic } from './fixtures/core.js';

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
