// Session boundaries in the core (no database): when an announce starts a new session (credit
// 0, new baseline) and when it does not, and which replies the transports must hold until the
// flush holding them has committed (docs/accounting.md).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TrackerEngine } from '../../src/tracker/announce.js';
import type { AnnounceResult } from '../../src/tracker/types.js';
import { makeEngine, req } from './fixtures/core.js';

const MIN = 60_000;
const KEY = '1A2B3C4D';

function upCredited(engine: TrackerEngine, userId = 1): bigint {
  const batch = engine.ledger.take(null);
  return batch.users.get(userId)?.upActual ?? 0n;
}

describe('a started announce on a known peer', () => {
  it('credits the delta when the same client (same key) retries started on another tier', () => {
    const { engine, clock } = makeEngine();
    // the HTTP tier's started, then a re-announce: the session is 32 MiB in
    engine.announce(req({ event: 'started', key: KEY, transport: 'http' }));
    clock.advance(30 * MIN);
    engine.announce(req({ uploaded: 16_777_216n, key: KEY, transport: 'http' }));
    // the UDP tier's started timed out and is retried now, with today's counters
    clock.advance(MIN);
    engine.announce(req({ event: 'started', uploaded: 33_554_432n, key: KEY, transport: 'udp' }));
    assert.equal(upCredited(engine), 33_554_432n);
  });

  it('treats a counter below the baseline as a new session even with the same key', () => {
    const { engine, clock } = makeEngine();
    engine.announce(req({ event: 'started', key: KEY }));
    clock.advance(30 * MIN);
    engine.announce(req({ uploaded: 1000n, key: KEY }));
    clock.advance(30 * MIN);
    engine.announce(req({ event: 'started', uploaded: 10n, key: KEY }));
    clock.advance(30 * MIN);
    engine.announce(req({ uploaded: 60n, key: KEY }));
    assert.equal(upCredited(engine), 1050n);
  });

  it('treats started with another key as a new session (a restarted client)', () => {
    const { engine, clock } = makeEngine();
    engine.announce(req({ event: 'started', key: KEY }));
    clock.advance(30 * MIN);
    engine.announce(req({ uploaded: 100n, key: KEY }));
    clock.advance(30 * MIN);
    engine.announce(req({ event: 'started', uploaded: 300n, key: 'FFFF0000' }));
    assert.equal(upCredited(engine), 100n);
  });

  it('treats started from a client that sends no key as a new session', () => {
    const { engine, clock } = makeEngine();
    engine.announce(req({ event: 'started' }));
    clock.advance(30 * MIN);
    engine.announce(req({ event: 'started', uploaded: 300n }));
    assert.equal(upCredited(engine), 0n);
  });
});

describe('session-boundary replies', () => {
  function withService() {
    const made = makeEngine();
    let waits = 0;
    made.engine.waitForFlush = () => {
      waits++;
      return Promise.resolve();
    };
    return { ...made, waits: () => waits };
  }
  const announce = (engine: TrackerEngine, overrides: Parameters<typeof req>[0]): AnnounceResult => engine.announce(req(overrides));

  it('marks a new peer, started, stopped, completed and a counter reset as boundaries', () => {
    const { engine, clock } = withService();
    assert.equal(announce(engine, { key: KEY }).boundary, true, 'a new peer');
    clock.advance(30 * MIN);
    assert.equal(announce(engine, { event: 'started', uploaded: 5n, key: KEY }).boundary, true, 'started');
    clock.advance(30 * MIN);
    assert.equal(announce(engine, { uploaded: 1n }).boundary, true, 'a counter reset (a client without a key)');
    clock.advance(30 * MIN);
    assert.equal(announce(engine, { uploaded: 2n, left: 0n, event: 'completed', key: KEY }).boundary, true, 'completed');
    clock.advance(30 * MIN);
    assert.equal(announce(engine, { uploaded: 3n, left: 0n, event: 'stopped', key: KEY }).boundary, true, 'stopped');
  });

  it('does not mark a plain re-announce: its counters are repeated, cumulative, by the next one', () => {
    const { engine, clock } = withService();
    announce(engine, { event: 'started', key: KEY });
    clock.advance(30 * MIN);
    assert.equal(announce(engine, { uploaded: 10n, key: KEY }).boundary, false);
    clock.advance(30 * MIN);
    assert.equal(announce(engine, { uploaded: 10n, event: 'paused', key: KEY }).boundary, false);
  });

  it('marks a refusal after the accounting of a new session (leech right withdrawn)', () => {
    const { engine } = withService();
    assert.throws(
      () => engine.announce(req({ passkey: 'c'.repeat(32), event: 'started' })),
      (error: unknown) => (error as { boundary?: boolean }).boundary === true,
    );
  });

  it('marks nothing without a service to wait for (the core alone never holds a reply)', () => {
    const { engine } = makeEngine();
    assert.equal(engine.announce(req({ event: 'started' })).boundary, false);
  });
});

describe('a stale report from the running client', () => {
  it('credits nothing and keeps the baseline when a retried announce carries older counters', () => {
    const { engine, clock } = makeEngine();
    engine.announce(req({ event: 'started', key: KEY, transport: 'http' }));
    clock.advance(30 * MIN);
    // the UDP tier's plain announce was built at 1000 and is delivered after HTTP reported 3000
    engine.announce(req({ uploaded: 3000n, key: KEY, transport: 'http' }));
    clock.advance(MIN);
    engine.announce(req({ uploaded: 1000n, key: KEY, transport: 'udp' }));
    clock.advance(30 * MIN);
    engine.announce(req({ uploaded: 4000n, key: KEY, transport: 'http' }));
    assert.equal(upCredited(engine), 4000n);
  });

  it('still treats lower counters from a client without a key as a new session', () => {
    const { engine, clock } = makeEngine();
    engine.announce(req({ event: 'started' }));
    clock.advance(30 * MIN);
    engine.announce(req({ uploaded: 3000n }));
    clock.advance(30 * MIN);
    engine.announce(req({ uploaded: 100n }));
    clock.advance(30 * MIN);
    engine.announce(req({ uploaded: 250n }));
    assert.equal(upCredited(engine), 3150n);
  });
});
