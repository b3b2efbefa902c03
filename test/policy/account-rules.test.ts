import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/clock.js';
import { decideAccount, type AccountState } from '../../src/policy/account-rules.js';
import { GIB } from '../../src/policy/ratio-table.js';
import { defaultSettings } from '../../src/settings.js';

const S = defaultSettings({ siteName: 'seedkeep', announceInterval: 1800, minInterval: 300, newMemberCredit: 5n * 1024n ** 3n });

const DAY = 86_400_000;
const G = BigInt(GIB);

function member(over: Partial<AccountState> = {}): AccountState {
  return {
    uploaded: 1n * G,
    downloaded: 20n * G,
    canLeech: true,
    leechWithdrawnBy: null,
    watchStartedAt: null,
    watchDeadline: null,
    watchDownloaded: null,
    ...over,
  };
}
const low = { requiredRatio: 0.3, activeHitAndRuns: 0 };

describe('ratio watch', () => {
  it('puts a member below the requirement on watch for 14 days, remembering downloaded', () => {
    const clock = new FakeClock();
    const { next, events } = decideAccount(member(), low, S, clock.now());
    assert.equal(next.watchDeadline?.getTime(), clock.now() + 14 * DAY);
    assert.equal(next.watchStartedAt?.getTime(), clock.now());
    assert.equal(next.watchDownloaded, 20n * G);
    assert.equal(next.canLeech, true);
    assert.deepEqual(events.map((e) => e.action), ['watch_start']);
  });

  it('changes nothing on a second run before the deadline (idempotent)', () => {
    const clock = new FakeClock();
    const first = decideAccount(member(), low, S, clock.now()).next;
    clock.advance(13 * DAY);
    const second = decideAccount(first, low, S, clock.now());
    assert.deepEqual(second.next, first);
    assert.deepEqual(second.events, []);
  });

  it('withdraws leeching when the deadline passes with the ratio still low, and ends the watch', () => {
    const clock = new FakeClock();
    const watched = decideAccount(member(), low, S, clock.now()).next;
    clock.advance(14 * DAY);
    const { next, events } = decideAccount(watched, low, S, clock.now());
    assert.equal(next.canLeech, false);
    assert.equal(next.leechWithdrawnBy, 'ratio');
    assert.equal(next.watchDeadline, null);
    assert.deepEqual(events.map((e) => e.action), ['leech_withdraw']);
    assert.match(events[0].reason, /still below/);
    // and stays so without a new watch
    clock.advance(DAY);
    const again = decideAccount(next, low, S, clock.now());
    assert.deepEqual(again.next, next);
    assert.deepEqual(again.events, []);
  });

  it('withdraws at once when more than the allowance is downloaded on watch (ratio gamble)', () => {
    const clock = new FakeClock();
    const watched = decideAccount(member(), low, S, clock.now()).next;
    clock.advance(DAY);
    const within = decideAccount({ ...watched, downloaded: watched.downloaded + 10n * G }, low, S, clock.now());
    assert.equal(within.next.canLeech, true, 'exactly the allowance is still allowed');
    const over = decideAccount({ ...watched, downloaded: watched.downloaded + 10n * G + 1n }, low, S, clock.now());
    assert.equal(over.next.canLeech, false);
    assert.equal(over.next.leechWithdrawnBy, 'ratio');
    assert.match(over.events[0].reason, /more than 10 GiB/);
  });

  it('ends the watch when the ratio recovers before the deadline', () => {
    const clock = new FakeClock();
    const watched = decideAccount(member(), low, S, clock.now()).next;
    clock.advance(3 * DAY);
    const { next, events } = decideAccount({ ...watched, uploaded: 6n * G }, low, S, clock.now());
    assert.equal(next.watchDeadline, null);
    assert.equal(next.canLeech, true);
    assert.deepEqual(events.map((e) => e.action), ['watch_end']);
  });

  it('restores a right the ratio rules withdrew once the ratio recovers', () => {
    const state = member({ canLeech: false, leechWithdrawnBy: 'ratio', uploaded: 7n * G });
    const { next, events } = decideAccount(state, low, S, Date.UTC(2026, 1, 1));
    assert.equal(next.canLeech, true);
    assert.equal(next.leechWithdrawnBy, null);
    assert.deepEqual(events.map((e) => e.action), ['leech_restore']);
  });

  it("never undoes a moderator's withdrawal, nor starts a watch on it", () => {
    const state = member({ canLeech: false, leechWithdrawnBy: 'staff', uploaded: 100n * G });
    assert.deepEqual(decideAccount(state, low, S, 0), { next: state, events: [] });
    const lowStaff = member({ canLeech: false, leechWithdrawnBy: 'staff' });
    assert.deepEqual(decideAccount(lowStaff, low, S, 0).events, []);
  });

  it('leaves a member with no requirement alone', () => {
    const state = member({ uploaded: 0n, downloaded: 3n * G });
    assert.deepEqual(decideAccount(state, { requiredRatio: 0, activeHitAndRuns: 0 }, S, 0), { next: state, events: [] });
  });
});

describe('hit-and-run limit', () => {
  it('withdraws leeching at the configured number of active marks and restores below it', () => {
    const ok = member({ uploaded: 20n * G });
    const at = decideAccount(ok, { requiredRatio: 0.3, activeHitAndRuns: 3 }, S, 0);
    assert.equal(at.next.canLeech, false);
    assert.equal(at.next.leechWithdrawnBy, 'hnr');
    assert.match(at.events[0].reason, /3 active hit-and-runs/);
    const below = decideAccount(at.next, { requiredRatio: 0.3, activeHitAndRuns: 2 }, S, 0);
    assert.equal(below.next.canLeech, true);
    assert.deepEqual(below.events.map((e) => e.action), ['leech_restore']);
  });

  it('keeps leeching withdrawn for hit-and-runs after the ratio recovers', () => {
    const state = member({ canLeech: false, leechWithdrawnBy: 'ratio', uploaded: 20n * G });
    const { next, events } = decideAccount(state, { requiredRatio: 0.3, activeHitAndRuns: 5 }, S, 0);
    assert.equal(next.canLeech, false);
    assert.equal(next.leechWithdrawnBy, 'hnr');
    assert.deepEqual(events.map((e) => e.action), ['leech_withdraw']);
  });

  it('is off when the limit is 0', () => {
    const state = member({ uploaded: 20n * G });
    assert.equal(decideAccount(state, { requiredRatio: 0, activeHitAndRuns: 50 }, { ...S, hnrMaxMarks: 0 }, 0).next.canLeech, true);
  });
});
