import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/clock.js';
import { applyPerks, LeechSlots, type MemberPerks } from '../../src/tracker/core/perks.js';
import { TrackerError } from '../../src/tracker/core/types.js';
import { drain, hash, makeEngine, MIN, PASSKEY_A, peerId, req, traffic } from './fixtures/core.js';

const HOUR = 3_600_000;
const clock = new FakeClock(Date.UTC(2026, 4, 1));
const perks = (p: Partial<MemberPerks> = {}): MemberPerks => ({ freeleechUntil: 0, doubleUploadUntil: 0, tokens: new Map(), userClass: 'User', ...p });
const normal = (up: bigint, down: bigint) => ({ up, down, upActual: up, downActual: down });

describe('member perks in the tracker core', () => {
  it('credits no download on a release with a running token, and keeps the actual amounts', () => {
    const p = perks({ tokens: new Map([[7, clock.now() + HOUR]]) });
    assert.deepEqual(applyPerks(normal(5n, 100n), p, 7, clock.now()), { up: 5n, down: 0n, upActual: 5n, downActual: 100n });
    assert.deepEqual(applyPerks(normal(5n, 100n), p, 8, clock.now()), normal(5n, 100n), 'another release');
  });

  it('stops honouring a token at its expiry', () => {
    const p = perks({ tokens: new Map([[7, clock.now() + HOUR]]) });
    assert.equal(applyPerks(normal(0n, 100n), p, 7, clock.now() + HOUR - 1).down, 0n);
    assert.equal(applyPerks(normal(0n, 100n), p, 7, clock.now() + HOUR).down, 100n);
  });

  it('makes every release freeleech during personal freeleech', () => {
    const p = perks({ freeleechUntil: clock.now() + HOUR });
    assert.equal(applyPerks(normal(1n, 100n), p, 1, clock.now()).down, 0n);
    assert.equal(applyPerks(normal(1n, 100n), p, 2, clock.now()).down, 0n);
    assert.equal(applyPerks(normal(1n, 100n), p, 2, clock.now() + HOUR).down, 100n);
  });

  it('doubles the upload during double upload, never past twice the actual, never a neutral release', () => {
    const p = perks({ doubleUploadUntil: clock.now() + HOUR });
    assert.equal(applyPerks(normal(10n, 0n), p, 1, clock.now()).up, 20n);
    assert.equal(applyPerks({ up: 20n, down: 0n, upActual: 10n, downActual: 0n }, p, 1, clock.now()).up, 20n, 'a double-upload release stays ×2');
    assert.equal(applyPerks({ up: 0n, down: 0n, upActual: 10n, downActual: 0n }, p, 1, clock.now()).up, 0n, 'neutral stays 0');
  });

  it('returns the very same object when nothing changes (new sessions are told apart by identity)', () => {
    const zero = normal(0n, 0n);
    assert.equal(applyPerks(zero, perks({ freeleechUntil: clock.now() + HOUR }), 1, clock.now()), zero);
    const plain = normal(3n, 3n);
    assert.equal(applyPerks(plain, perks(), 1, clock.now()), plain);
    assert.equal(applyPerks(plain, undefined, 1, clock.now()), plain);
  });
});

describe('download slots', () => {
  const expiry = 2 * HOUR;
  it('refuses leeching one more release than the slots allow, and frees a slot when one stops or expires', () => {
    const slots = new LeechSlots();
    const now = clock.now();
    for (const release of [1, 2]) {
      slots.check(9, 2, release, true, now, expiry, 60);
      slots.note(9, 2, release, true, now);
    }
    assert.throws(() => slots.check(9, 2, 3, true, now, expiry, 60), (e: unknown) => e instanceof TrackerError && /may leech 2 torrents at once/.test(e.message));
    slots.check(9, 2, 2, true, now, expiry, 60); // a release already leeched keeps its slot
    slots.check(9, 2, 3, false, now, expiry, 60); // seeding is never limited
    slots.note(9, 2, 1, false, now); // finished or stopped
    slots.check(9, 2, 3, true, now, expiry, 60);
    slots.note(9, 2, 3, true, now);
    assert.throws(() => slots.check(9, 2, 4, true, now, expiry, 60));
    slots.check(9, 2, 4, true, now + expiry + 1, expiry, 60); // the others went silent
  });

  it('never limits a class with 0 slots', () => {
    const slots = new LeechSlots();
    for (let r = 1; r < 50; r++) {
      slots.check(1, 0, r, true, clock.now(), expiry, 60);
      slots.note(1, 0, r, true, clock.now());
    }
  });
});

describe('announces with member perks', () => {
  const HOUR_MS = 3_600_000;
  const withPerks = (p: Partial<MemberPerks>) => {
    const made = makeEngine();
    made.catalog.setUser({ id: 1, passkey: PASSKEY_A, enabled: true, canLeech: true, perks: perks(p) });
    return made;
  };
  const leech = (engine: ReturnType<typeof makeEngine>['engine'], clock: FakeClock, infoHash = hash(10)) => {
    engine.announce(req({ event: 'started', infoHash }));
    clock.advance(30 * MIN);
    engine.announce(req({ uploaded: 100n, downloaded: 400n, left: 600n, infoHash }));
  };

  it('counts no download on the token release, actual exact, while the token runs', () => {
    const { engine, clock } = makeEngine();
    const made = withPerks({ tokens: new Map([[10, clock.now() + HOUR_MS]]) });
    leech(made.engine, made.clock);
    assert.deepEqual(traffic(drain(made.engine)), { up: 100n, down: 0n, upActual: 100n, downActual: 400n });
    leech(engine, clock);
    assert.deepEqual(traffic(drain(engine)), { up: 100n, down: 400n, upActual: 100n, downActual: 400n }, 'without a token');
  });

  it('counts download again once the token has expired', () => {
    const { engine, clock } = withPerks({ tokens: new Map([[10, Date.UTC(2026, 0, 1) + 10 * MIN]]) });
    leech(engine, clock);
    assert.equal(traffic(drain(engine)).down, 400n);
  });

  it('honours personal freeleech and double upload on every release', () => {
    const { engine, clock } = withPerks({ freeleechUntil: Date.UTC(2026, 0, 2), doubleUploadUntil: Date.UTC(2026, 0, 2) });
    leech(engine, clock, hash(20));
    assert.deepEqual(traffic(drain(engine)), { up: 200n, down: 0n, upActual: 100n, downActual: 400n });
  });

  it('refuses leeching past the class download slots with a message', () => {
    const { engine, policy } = withPerks({ userClass: 'User' });
    policy.downloadSlots = { User: 1 };
    engine.announce(req({ event: 'started', infoHash: hash(10) }));
    assert.throws(() => engine.announce(req({ event: 'started', infoHash: hash(13), peerId: peerId('A2') })), /Download slots full/);
    engine.announce(req({ event: 'started', infoHash: hash(13), peerId: peerId('A3'), left: 0n }));
  });
});
