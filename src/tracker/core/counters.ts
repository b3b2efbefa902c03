// The exact 64-bit transfer totals of every peer (uploaded, downloaded, left: BEP 3,
// docs/accounting.md), three to a slot in one growable BigUint64Array shared by the process.
//
// Why not three `bigint` fields on each peer: a BigInt is a heap object of its own (~24 B
// each, plus the 8 B field pointing at it), a million peers hold three million of them. In
// a slab the same three values cost 24 B, and a slot number on the peer is a small integer.
// Reads make a short-lived BigInt (young-generation garbage, cheap); values stay exact: never
// floats.
//
// Free slots form a list threaded through the slab itself (a free slot's first cell holds
// the next free slot), so the free list costs no memory; a slot is also the peer's row in the
// peer columns (peer-columns.ts), which need no free list of their own. The slab is
// module-level because a Peer reads its counters through getters without a pointer to its
// engine; engines made and dropped (tests) leave their slots allocated, which wastes a little
// but never mixes values.
import { INT64_MAX } from '../../int64.js';

const FIELDS = 3;
const FIRST_SLOTS = 1024;
const NO_SLOT = -1;

let cells = new BigUint64Array(FIRST_SLOTS * FIELDS);
/** slots below this were handed out at least once */
let used = 0;
let freeHead = NO_SLOT;
let live = 0;

export const UPLOADED = 0;
export const DOWNLOADED = 1;
export const LEFT = 2;
export type CounterField = typeof UPLOADED | typeof DOWNLOADED | typeof LEFT;

/** A slot holding the three totals; give it back with releaseSlot. */
export function allocateSlot(uploaded: bigint, downloaded: bigint, left: bigint): number {
  const slot = takeSlot();
  const at = slot * FIELDS;
  cells[at] = checked(uploaded);
  cells[at + 1] = checked(downloaded);
  cells[at + 2] = checked(left);
  live++;
  return slot;
}

export function releaseSlot(slot: number): void {
  const at = slot * FIELDS;
  cells[at] = BigInt(freeHead + 1); // +1: the end of the list (-1) stays unsigned
  cells[at + 1] = 0n;
  cells[at + 2] = 0n;
  freeHead = slot;
  live--;
}

export function readCounter(slot: number, field: CounterField): bigint {
  return cells[slot * FIELDS + field];
}

export function writeCounter(slot: number, field: CounterField, value: bigint): void {
  cells[slot * FIELDS + field] = checked(value);
}

/** Slots in use and bytes reserved: what the counters cost (external memory, not V8 heap). */
export function counterStats(): { live: number; slots: number; bytes: number } {
  return { live, slots: cells.length / FIELDS, bytes: cells.byteLength };
}

function takeSlot(): number {
  if (freeHead !== NO_SLOT) {
    const slot = freeHead;
    freeHead = Number(cells[slot * FIELDS]) - 1;
    return slot;
  }
  if (used * FIELDS === cells.length) grow();
  return used++;
}

/** Doubling keeps the copies O(1) per slot on average. */
function grow(): void {
  const bigger = new BigUint64Array(cells.length * 2);
  bigger.set(cells);
  cells = bigger;
}

/** A BigUint64Array wraps silently (-1n becomes 2^64 - 1): refuse instead of miscounting. */
function checked(value: bigint): bigint {
  if (value < 0n || value > INT64_MAX) throw new RangeError(`transfer counter out of range: ${value}`);
  return value;
}
