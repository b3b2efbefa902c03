import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bandFor, DEFAULT_RATIO_TABLE, GIB, meetsRequirement, requiredRatio } from '../../src/policy/ratio-table.js';

const gib = (n: number): bigint => BigInt(Math.round(n * GIB));
const req = (downloadedGiB: number, snatched: number, seeding: number): number =>
  requiredRatio(DEFAULT_RATIO_TABLE, { downloaded: gib(downloadedGiB), snatched, seeding });

describe('required ratio (Gazelle table)', () => {
  // [downloaded GiB inside the band, required at 0% seeded, required at 100% seeded]
  const bands: Array<[number, number, number]> = [
    [2, 0, 0], [7, 0.15, 0], [15, 0.2, 0], [25, 0.3, 0.05], [35, 0.4, 0.1],
    [45, 0.5, 0.2], [55, 0.6, 0.3], [70, 0.6, 0.4], [90, 0.6, 0.5], [500, 0.6, 0.6],
  ];
  for (const [downloaded, max, min] of bands) {
    it(`requires ${max} at 0% and ${min} at 100% seeded for ${downloaded} GiB`, () => {
      assert.equal(req(downloaded, 10, 0), max);
      assert.equal(req(downloaded, 10, 10), min);
    });
  }

  it('requires nothing when nothing was downloaded', () => {
    assert.equal(req(0, 0, 0), 0);
  });

  it('puts exactly 5 GiB in the 5-10 band and one byte less in the 0-5 band', () => {
    assert.equal(requiredRatio(DEFAULT_RATIO_TABLE, { downloaded: 5n * BigInt(GIB), snatched: 1, seeding: 0 }), 0.15);
    assert.equal(requiredRatio(DEFAULT_RATIO_TABLE, { downloaded: 5n * BigInt(GIB) - 1n, snatched: 1, seeding: 0 }), 0);
  });

  it('starts each band at its exact threshold', () => {
    for (const band of DEFAULT_RATIO_TABLE) {
      assert.deepEqual(bandFor(DEFAULT_RATIO_TABLE, BigInt(band.fromGiB) * BigInt(GIB)), band);
    }
    assert.equal(bandFor(DEFAULT_RATIO_TABLE, 100n * BigInt(GIB) - 1n).fromGiB, 80);
  });

  it('scales max by the share not seeded: 25 GiB, 1 of 4 seeded -> 0.3 × 0.75', () => {
    assert.equal(req(25, 4, 1), 0.225);
  });

  it('never goes below the 100%-seeded value', () => {
    // 45 GiB: 0.5 × (1 − 0.9) = 0.05 < 0.2 floor
    assert.equal(req(45, 10, 9), 0.2);
  });

  it('treats nothing snatched as 0% seeded', () => {
    assert.equal(req(25, 0, 0), 0.3);
  });

  it('caps a seeding count above the snatch count at 100%', () => {
    assert.equal(req(25, 2, 5), 0.05);
  });
});

describe('meetsRequirement', () => {
  it('is met when nothing was downloaded (infinite ratio)', () => {
    assert.equal(meetsRequirement(0n, 0n, 0.6), true);
  });
  it('is met at exactly the required ratio and not just below', () => {
    assert.equal(meetsRequirement(60n, 100n, 0.6), true);
    assert.equal(meetsRequirement(59n, 100n, 0.6), false);
  });
});
