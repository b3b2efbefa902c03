// Expiry of silent peers in the tracker core, and the sweep's slice budget
// (src/tracker/service.ts). No database.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sweepBudget } from '../../src/tracker/service-timers.js';
import { drain, hash, makeEngine, MIN, peerId, req } from './fixtures/core.js';

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

describe('sweep slices (tracker service)', () => {
  it('spreads a pass over about 50 s of 100 ms ticks, and a small tracker sweeps whole', () => {
    assert.equal(sweepBudget(0), 200);
    assert.equal(sweepBudget(50_000), 200);
    assert.equal(sweepBudget(300_000), 600);
    assert.equal(sweepBudget(1_000_000), 2_000);
  });
});
