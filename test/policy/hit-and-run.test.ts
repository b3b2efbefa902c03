import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decideHitAndRun, owesSeeding, type TransferFacts } from '../../src/policy/hit-and-run.js';
import { defaultSettings } from '../../src/settings.js';

const S = defaultSettings({ siteName: 'seedkeep', announceInterval: 1800, minInterval: 300, newMemberCredit: 5n * 1024n ** 3n });

const DAY = 86_400_000;
const HOUR = 3600;
const start = new Date(Date.UTC(2026, 0, 1));

function transfer(over: Partial<TransferFacts> = {}): TransferFacts {
  return {
    downloadedActual: 1000n,
    releaseSize: 1000n,
    seedtime: 0,
    seedingNow: false,
    firstAnnounceAt: start,
    completedAt: start,
    hitAndRunAt: null,
    hitAndRunCleared: false,
    ...over,
  };
}
const after = (days: number): number => start.getTime() + days * DAY;

describe('hit-and-run', () => {
  it('marks a completed download not seeded 72 h once the 14-day window has passed', () => {
    assert.equal(decideHitAndRun(transfer({ seedtime: 71 * HOUR }), S, after(14)), 'mark');
  });

  it('waits until the window has passed', () => {
    assert.equal(decideHitAndRun(transfer(), S, after(14) - 1), null);
  });

  it('does not mark 72 h of seeding', () => {
    assert.equal(decideHitAndRun(transfer({ seedtime: 72 * HOUR }), S, after(30)), null);
  });

  it('does not mark a member still seeding at the end of the window', () => {
    assert.equal(decideHitAndRun(transfer({ seedingNow: true, seedtime: 10 * HOUR }), S, after(15)), null);
  });

  it('owes nothing for 10% of a release or less, but does for more', () => {
    assert.equal(owesSeeding({ downloadedActual: 100n, releaseSize: 1000n }, S), false);
    assert.equal(owesSeeding({ downloadedActual: 101n, releaseSize: 1000n }, S), true);
    assert.equal(decideHitAndRun(transfer({ downloadedActual: 100n }), S, after(20)), null);
  });

  it('counts the window from the first announce when the download never completed', () => {
    const t = transfer({ completedAt: null, downloadedActual: 500n });
    assert.equal(decideHitAndRun(t, S, after(14)), 'mark');
  });

  it('clears a mark once the seed time is reached, and never touches a forgiven one', () => {
    const marked = transfer({ hitAndRunAt: new Date(after(14)) });
    assert.equal(decideHitAndRun(marked, S, after(15)), null);
    assert.equal(decideHitAndRun({ ...marked, seedtime: 72 * HOUR }, S, after(20)), 'clear');
    assert.equal(decideHitAndRun({ ...transfer(), hitAndRunCleared: true }, S, after(20)), null);
  });

  it('follows the settings: 24 h within 3 days', () => {
    const s = { ...S, hnrSeedHours: 24, hnrWindowDays: 3 };
    assert.equal(decideHitAndRun(transfer({ seedtime: 23 * HOUR }), s, after(3)), 'mark');
    assert.equal(decideHitAndRun(transfer({ seedtime: 24 * HOUR }), s, after(3)), null);
  });
});
