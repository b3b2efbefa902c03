import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { accrualMs, creditForPoints, pointsFor, pointsPerHour } from '../../src/policy/bonus.js';
import { GIB } from '../../src/policy/ratio-table.js';
import { defaultSettings } from '../../src/settings.js';

const S = defaultSettings({ siteName: 'seedkeep', announceInterval: 1800, minInterval: 300, newMemberCredit: 5n * 1024n ** 3n });

const G = BigInt(GIB);

describe('bonus points', () => {
  it('pays base × sqrt(size GiB) / sqrt(seeders) per hour', () => {
    assert.equal(pointsPerHour(4n * G, 1, S), 2);
    assert.equal(pointsPerHour(4n * G, 4, S), 1);
    assert.equal(pointsPerHour(1n * G, 1, { ...S, bonusPerHour: 3 }), 3);
  });

  it('pays more for large and poorly seeded releases', () => {
    assert.ok(pointsPerHour(8n * G, 1, S) > pointsPerHour(1n * G, 1, S));
    assert.ok(pointsPerHour(1n * G, 1, S) > pointsPerHour(1n * G, 10, S));
  });

  it('clamps the size factor for tiny and huge releases and treats 0 seeders as 1', () => {
    assert.equal(pointsPerHour(1n, 0, S), 0.5);
    assert.equal(pointsPerHour(1000n * G, 1, S), 4);
  });

  it('pays for the elapsed time only', () => {
    assert.equal(pointsFor(4n * G, 1, 30 * 60_000, S), 1);
  });

  it('pays nothing on the first run and caps a long gap', () => {
    assert.equal(accrualMs(null, 1_000_000, 3_600_000), 0);
    assert.equal(accrualMs(0, 10 * 3_600_000, 3_600_000), 3_600_000);
    assert.equal(accrualMs(5000, 1000, 3_600_000), 0);
  });

  it('buys upload credit at the configured rate', () => {
    assert.equal(creditForPoints(1024, S), G);
    assert.equal(creditForPoints(10, { ...S, bonusMiBPerPoint: 0.5 }), 5n * 1024n * 1024n);
  });
});
