// The tracker core's snatches and seed time. No database.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { drain, makeEngine, MIN, req } from './fixtures/core.js';

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
