// Specs for the ledger's columnar pending deltas (pair-table.ts, ledger.ts): rows by two
// int32 keys with no object per row, growth that keeps every column, and the merge of a
// failed batch back under newer deltas.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { INT64_MAX as INT8_MAX } from '../../src/int64.js';
import { PairTable } from '../../src/tracker/pair-table.js';
import { Ledger, TrafficRows, TransferRows, type AnnounceEntry, type Traffic } from '../../src/tracker/ledger.js';
import { Peer } from '../../src/tracker/peer.js';

const ZERO: Traffic = { up: 0n, down: 0n, upActual: 0n, downActual: 0n };
const DAY_MS = 86_400_000;

/** An active peer; `seeder` as given. */
function peer(userId: number, releaseId: number, seeder = false): Peer {
  const p = new Peer(userId, releaseId, `-qB4650-${String(userId).padStart(12, '0')}`, 0n, 0n, seeder ? 0n : 100n);
  p.active = true;
  p.seeder = seeder;
  return p;
}
const entry = (p: Peer, now: number, credited: Traffic = ZERO, extra: Partial<AnnounceEntry> = {}): AnnounceEntry => ({ peer: p, credited, now, seedtime: 0, snatched: false, ...extra });
const up = (n: bigint): Traffic => ({ up: n, down: 0n, upActual: n, downActual: 0n });

describe('pair table', () => {
  it('finds every pair it was given, in insertion order, through many growths', () => {
    const table = new PairTable(16);
    const pairs: [number, number][] = [];
    for (let i = 0; i < 50_000; i++) pairs.push([(i * 7919) % 100_003, i % 3 === 0 ? 2 ** 31 - 1 - i : i % 977]);
    pairs.forEach(([a, b], i) => assert.equal(table.upsert(a, b), i));
    assert.equal(table.size, pairs.length);
    pairs.forEach(([a, b], i) => {
      assert.equal(table.find(a, b), i);
      assert.equal(table.upsert(a, b), i, 'a known pair keeps its row');
    });
    assert.equal(table.find(100_004, 1), -1);
    assert.equal(table.find(pairs[5][1], pairs[5][0]), -1, '(a, b) is not (b, a)');
    assert.equal(table.size, pairs.length);
  });

  it('keeps every column across a growth and starts new rows at zero', () => {
    const rows = new TransferRows(16);
    for (let i = 0; i < 100; i++) {
      const row = rows.upsert(i, i + 1);
      rows.add(row, up(BigInt(i)));
      rows.seedtime[row] = i;
      rows.lastAnnounceAt[row] = 1_700_000_000_000 + i;
      rows.setState(row, i % 2 === 0, i % 2 === 1);
    }
    for (let i = 0; i < 100; i++) {
      assert.deepEqual(rows.get(i, i + 1), {
        userId: i, releaseId: i + 1, up: BigInt(i), down: 0n, upActual: BigInt(i), downActual: 0n, seedtime: i,
        seeding: i % 2 === 0, leeching: i % 2 === 1, lastAnnounceAt: 1_700_000_000_000 + i, completedAt: null,
      });
    }
    assert.equal(rows.get(100, 101), undefined);
  });

  it('saturates byte deltas at the largest int8 instead of wrapping', () => {
    const rows = new TrafficRows();
    const row = rows.upsert(1, 0);
    rows.add(row, up(INT8_MAX));
    rows.add(row, up(INT8_MAX));
    assert.equal(rows.get(1)?.up, INT8_MAX);
  });
});

describe('ledger batches', () => {
  it('keeps daily deltas apart per UTC day', () => {
    const ledger = new Ledger();
    const day = 20_000 * DAY_MS;
    ledger.record(entry(peer(1, 10), day + 1000, up(5n)));
    ledger.record(entry(peer(1, 10), day + DAY_MS + 1000, up(7n)));
    const batch = ledger.take(null);
    assert.deepEqual([batch.daily.get(1, 20_000)?.up, batch.daily.get(1, 20_001)?.up], [5n, 7n]);
    assert.equal(batch.users.get(1)?.up, 12n);
  });

  it('merges a failed batch under newer deltas: bytes and seed time add, the newer state wins, an older completion stays', () => {
    const ledger = new Ledger();
    ledger.record(entry(peer(1, 10, true), 1000, up(10n), { seedtime: 60, snatched: true }));
    ledger.record(entry(peer(2, 20), 1000, up(3n)));
    const failed = ledger.take(null);
    ledger.record(entry(peer(1, 10, false), 5000, up(4n), { seedtime: 30 }));
    ledger.restore(failed);
    const batch = ledger.take(null);
    assert.deepEqual(batch.transfers.get(1, 10), {
      userId: 1, releaseId: 10, up: 14n, down: 0n, upActual: 14n, downActual: 0n, seedtime: 90,
      seeding: false, leeching: true, lastAnnounceAt: 5000, completedAt: 1000,
    });
    assert.equal(batch.transfers.get(2, 20)?.up, 3n, 'a row only in the failed batch comes back as it was');
    assert.equal(batch.transfers.get(2, 20)?.leeching, true);
    assert.deepEqual([batch.users.get(1)?.up, batch.users.get(2)?.up], [14n, 3n]);
    assert.equal(batch.snatches.size, 1);
    assert.equal(ledger.pending, 0);
  });
});
