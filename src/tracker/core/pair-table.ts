// Rows keyed by two non-negative int32s, with no JavaScript object per row: the keys live in
// Int32Arrays, the index is open addressing with linear probing, and subclasses keep their
// values in typed-array columns indexed by row. The ledger's pending deltas live in these.
//
// Why not a Map of objects: a delta object and a "user:release" string key per pending entry
// would wait in the heap until the flush, and every young-generation collection would copy
// them (its pause grows with what it copies). Typed-array backing stores are outside the V8 heap: nothing to copy.

/** Fibonacci-style mixing: sequential ids must not fill neighbouring slots. */
function hashOf(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}

export class PairTable {
  /** row + 1 per index slot; 0 is an empty slot. Twice the rows: probes stay short. */
  private index: Int32Array;
  private mask: number;
  keyA: Int32Array;
  keyB: Int32Array;
  /** rows in use: 0 .. size-1, in insertion order */
  size = 0;

  constructor(rows = 256) {
    const capacity = Math.max(16, 2 ** Math.ceil(Math.log2(rows)));
    this.keyA = new Int32Array(capacity);
    this.keyB = new Int32Array(capacity);
    this.index = new Int32Array(capacity * 2);
    this.mask = capacity * 2 - 1;
  }

  /** The row of (a, b), or -1. */
  find(a: number, b: number): number {
    for (let slot = hashOf(a, b) & this.mask; ; slot = (slot + 1) & this.mask) {
      const row = this.index[slot] - 1;
      if (row < 0) return -1;
      if (this.keyA[row] === a && this.keyB[row] === b) return row;
    }
  }

  /** The row of (a, b); a missing pair gets the next row, whose columns are all zero. */
  upsert(a: number, b: number): number {
    if (this.size === this.keyA.length) this.grow();
    let slot = hashOf(a, b) & this.mask;
    for (; ; slot = (slot + 1) & this.mask) {
      const row = this.index[slot] - 1;
      if (row < 0) break;
      if (this.keyA[row] === a && this.keyB[row] === b) return row;
    }
    const row = this.size++;
    this.keyA[row] = a;
    this.keyB[row] = b;
    this.index[slot] = row + 1;
    return row;
  }

  /** Subclasses widen their columns to `rows` (the new rows must read as zero). */
  protected resizeColumns(rows: number): void {
    void rows;
  }

  private grow(): void {
    const rows = this.keyA.length * 2;
    this.keyA = widen(this.keyA, rows);
    this.keyB = widen(this.keyB, rows);
    this.resizeColumns(rows);
    this.index = new Int32Array(rows * 2);
    this.mask = rows * 2 - 1;
    for (let row = 0; row < this.size; row++) {
      let slot = hashOf(this.keyA[row], this.keyB[row]) & this.mask;
      while (this.index[slot] !== 0) slot = (slot + 1) & this.mask;
      this.index[slot] = row + 1;
    }
  }
}

type Column = Int32Array | Uint8Array | Float64Array | BigInt64Array;

/** A copy of `column` with room for `rows`; the new tail is zero. */
export function widen<T extends Column>(column: T, rows: number): T {
  const wider = new (column.constructor as new (n: number) => T)(rows);
  wider.set(column as never);
  return wider;
}
