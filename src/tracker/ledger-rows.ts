// The ledger's pending deltas as typed-array rows (see pair-table.ts for why no objects):
// members' totals, per (member, release) transfers, and per (member, UTC day) traffic.
import { INT64_MAX } from '../int64.js';
import type { Traffic } from './ledger.js';
import { PairTable, widen } from './pair-table.js';

export interface TransferDelta extends Traffic {
  userId: number;
  releaseId: number;
  /** seconds */
  seedtime: number;
  seeding: boolean;
  leeching: boolean;
  lastAnnounceAt: number;
  completedAt: number | null;
}


/**
 * Traffic deltas by (a, b): (user, 0) for members' totals, (user, UTC day number) for the
 * daily rows. Typed-array columns (see pair-table.ts for why no objects).
 */
export class TrafficRows extends PairTable {
  up = new BigInt64Array(this.keyA.length);
  down = new BigInt64Array(this.keyA.length);
  upActual = new BigInt64Array(this.keyA.length);
  downActual = new BigInt64Array(this.keyA.length);

  add(row: number, t: Traffic): void {
    this.up[row] = saturated(this.up[row] + t.up);
    this.down[row] = saturated(this.down[row] + t.down);
    this.upActual[row] = saturated(this.upActual[row] + t.upActual);
    this.downActual[row] = saturated(this.downActual[row] + t.downActual);
  }

  traffic(row: number): Traffic {
    return { up: this.up[row], down: this.down[row], upActual: this.upActual[row], downActual: this.downActual[row] };
  }

  /** Adds every row of `older` (a batch whose flush failed) under these newer ones. */
  merge(older: this): void {
    for (let from = 0; from < older.size; from++) {
      const rows = this.size;
      const row = this.upsert(older.keyA[from], older.keyB[from]);
      this.mergeRow(older, from, row, row === rows);
    }
  }

  protected mergeRow(older: this, from: number, row: number, isNew: boolean): void {
    void isNew;
    this.add(row, older.traffic(from));
  }

  /** The deltas of (a, b), or undefined (specs and tools; the flush reads the columns). */
  get(a: number, b = 0): Traffic | undefined {
    const row = this.find(a, b);
    return row < 0 ? undefined : this.traffic(row);
  }

  protected override resizeColumns(rows: number): void {
    this.up = widen(this.up, rows);
    this.down = widen(this.down, rows);
    this.upActual = widen(this.upActual, rows);
    this.downActual = widen(this.downActual, rows);
  }
}

const SEEDING = 1;
const LEECHING = 2;

/** Per (user, release): the transfers row's deltas and its latest state. */
export class TransferRows extends TrafficRows {
  /** seconds */
  seedtime = new Int32Array(this.keyA.length);
  /** SEEDING | LEECHING */
  state = new Uint8Array(this.keyA.length);
  lastAnnounceAt = new Float64Array(this.keyA.length);
  /** 0: not completed in this batch */
  completedAt = new Float64Array(this.keyA.length);

  seeding(row: number): boolean {
    return (this.state[row] & SEEDING) !== 0;
  }

  leeching(row: number): boolean {
    return (this.state[row] & LEECHING) !== 0;
  }

  setState(row: number, seeding: boolean, leeching: boolean): void {
    this.state[row] = (seeding ? SEEDING : 0) | (leeching ? LEECHING : 0);
  }

  /** Deltas add; the newer state wins, an older completion stays. */
  protected override mergeRow(older: this, from: number, row: number, isNew: boolean): void {
    super.mergeRow(older, from, row, isNew);
    this.seedtime[row] += older.seedtime[from];
    if (older.completedAt[from] !== 0) this.completedAt[row] = older.completedAt[from];
    if (isNew) {
      this.state[row] = older.state[from];
      this.lastAnnounceAt[row] = older.lastAnnounceAt[from];
    }
  }

  override get(userId: number, releaseId = 0): TransferDelta | undefined {
    const row = this.find(userId, releaseId);
    if (row < 0) return undefined;
    return {
      userId, releaseId, ...this.traffic(row), seedtime: this.seedtime[row], seeding: this.seeding(row), leeching: this.leeching(row),
      lastAnnounceAt: this.lastAnnounceAt[row], completedAt: this.completedAt[row] === 0 ? null : this.completedAt[row],
    };
  }

  protected override resizeColumns(rows: number): void {
    super.resizeColumns(rows);
    this.seedtime = widen(this.seedtime, rows);
    this.state = widen(this.state, rows);
    this.lastAnnounceAt = widen(this.lastAnnounceAt, rows);
    this.completedAt = widen(this.completedAt, rows);
  }
}

function saturated(value: bigint): bigint {
  return value > INT64_MAX ? INT64_MAX : value; // int8 columns saturate rather than wrap
}
