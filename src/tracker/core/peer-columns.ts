// Where the peers' fields live: one typed-array column per field, a row per peer, the row
// being the peer's counter slot (counters.ts), so the two slabs share one free list.
//
// Why columns rather than fields on each Peer: fields would make two heap objects per peer (a
// dozen-field object and a 20-char peer_id string, ~160 B) that a scavenge copies while they
// are new and every full GC marks, a million times over. Typed-array backing stores are
// outside the V8 heap: nothing to copy or mark. A Peer is a handle holding its row.
//
// What few peers need stays in Maps keyed by row: the extra record of IPv6, v2 (BEP 52) and
// two-tier (BEP 12) announcers (PeerMore), a `key` that is not 8 hex digits, a peer_id that
// is not 20 bytes (only specs and restored rows could have one).
import { isUpperHex8, PeerMore } from './peer-storage.js';

/** BEP 3: a peer_id is 20 bytes */
export const ID_BYTES = 20;
const FIRST_ROWS = 1024;

// `bits`: peer.ts has the flags of the swarm; these are those of the fields kept here
/** the last announce came over IPv6: `port` is that address's port */
export const LAST_V6 = 32;
/** `seen41` is the UDP tier's (clear: the HTTP tier's); the other tier's lives in PeerMore */
const SEEN41_UDP = 64;
/** the IPv4 port, then the key's form */
export const PORT_SHIFT = 8;
export const PORT_MASK = 0xffff << PORT_SHIFT;
/** the key is the int32 of the `key` column; KEY_TEXT: it is in keyTexts; neither: no key */
const KEY_INT = 1 << 24;
const KEY_TEXT = 1 << 25;

export class PeerColumns {
  user: Int32Array;
  release: Int32Array;
  /** flags, the IPv4 port and the key's form (peer.ts) */
  bits: Int32Array;
  ip4: Int32Array;
  /** position in the v1 IPv4 address list */
  i41: Int32Array;
  /** ticks (peer-storage.ts): one tier's last IPv4 v1 announce, and the last of any kind */
  seen41: Int32Array;
  seenAny: Int32Array;
  /** the client's key when it is 8 upper-case hex digits */
  key: Int32Array;
  /** 20 bytes of peer_id per row */
  ids: Buffer;
  /** interned client names: a pointer per row, the strings shared by thousands of peers */
  clients: string[];
  readonly more = new Map<number, PeerMore>();
  readonly keyTexts = new Map<number, string>();
  readonly oddIds = new Map<number, string>();

  constructor(rows = FIRST_ROWS) {
    this.user = new Int32Array(rows);
    this.release = new Int32Array(rows);
    this.bits = new Int32Array(rows);
    this.ip4 = new Int32Array(rows);
    this.i41 = new Int32Array(rows);
    this.seen41 = new Int32Array(rows);
    this.seenAny = new Int32Array(rows);
    this.key = new Int32Array(rows);
    this.ids = Buffer.alloc(rows * ID_BYTES);
    this.clients = new Array<string>(rows).fill('');
  }

  get rows(): number {
    return this.user.length;
  }

  /** Makes room for `row` (doubling: the copies stay O(1) per row on average). */
  reserve(row: number): void {
    if (row < this.rows) return;
    let rows = this.rows;
    while (rows <= row) rows *= 2;
    this.user = widen(this.user, rows);
    this.release = widen(this.release, rows);
    this.bits = widen(this.bits, rows);
    this.ip4 = widen(this.ip4, rows);
    this.i41 = widen(this.i41, rows);
    this.seen41 = widen(this.seen41, rows);
    this.seenAny = widen(this.seenAny, rows);
    this.key = widen(this.key, rows);
    const ids = Buffer.alloc(rows * ID_BYTES);
    this.ids.copy(ids);
    this.ids = ids;
    for (let i = this.clients.length; i < rows; i++) this.clients.push('');
  }

  /** A fresh row: every field as a new Peer starts. */
  open(row: number, userId: number, releaseId: number, peerId: string): void {
    this.reserve(row);
    this.user[row] = userId;
    this.release[row] = releaseId;
    this.bits[row] = 0;
    this.ip4[row] = 0;
    this.i41[row] = -1;
    this.seen41[row] = 0;
    this.seenAny[row] = 0;
    this.key[row] = 0;
    this.clients[row] = '';
    this.more.delete(row);
    this.keyTexts.delete(row);
    this.oddIds.delete(row);
    if (fitsSlab(peerId)) this.ids.write(peerId, row * ID_BYTES, ID_BYTES, 'latin1');
    else this.oddIds.set(row, peerId);
  }

  /** Lets the row go: what only the Maps held is dropped, the strings are not kept alive. */
  close(row: number): void {
    this.clients[row] = '';
    this.more.delete(row);
    this.keyTexts.delete(row);
    this.oddIds.delete(row);
  }

  /** Row `from` of `source` into row `to` here (a forgotten peer's copy, peer.ts). */
  copyRow(source: PeerColumns, from: number, to: number): void {
    this.user[to] = source.user[from];
    this.release[to] = source.release[from];
    this.bits[to] = source.bits[from];
    this.ip4[to] = source.ip4[from];
    this.i41[to] = source.i41[from];
    this.seen41[to] = source.seen41[from];
    this.seenAny[to] = source.seenAny[from];
    this.key[to] = source.key[from];
    source.ids.copy(this.ids, to * ID_BYTES, from * ID_BYTES, (from + 1) * ID_BYTES);
    this.clients[to] = source.clients[from];
    copyEntry(source.more, from, this.more, to);
    copyEntry(source.keyTexts, from, this.keyTexts, to);
    copyEntry(source.oddIds, from, this.oddIds, to);
  }

  moreOf(row: number): PeerMore | null {
    return this.more.size === 0 ? null : (this.more.get(row) ?? null);
  }

  extra(row: number): PeerMore {
    let more = this.moreOf(row);
    if (more === null) {
      more = new PeerMore();
      this.more.set(row, more);
    }
    return more;
  }

  /** The last announce of a seenIndex() (peer-storage.ts), in ticks; 0: none. */
  seenAt(row: number, index: number): number {
    if (this.holdsSeen41(row, index)) return this.seen41[row];
    const more = this.moreOf(row);
    return more === null ? 0 : more.seen(index);
  }

  markSeen(row: number, index: number, family: 4 | 6, tick: number): void {
    this.seenAny[row] = tick;
    let bits = family === 6 ? this.bits[row] | LAST_V6 : this.bits[row] & ~LAST_V6;
    if (this.seen41[row] === 0 && (index & 3) === 0) {
      // the first IPv4 v1 announce claims the field for its tier: a one-tier IPv4 peer needs no PeerMore
      bits = index === 0 ? bits & ~SEEN41_UDP : bits | SEEN41_UDP;
    }
    this.bits[row] = bits;
    if (this.holdsSeen41(row, index)) this.seen41[row] = tick;
    else this.extra(row).setSeen(index, tick);
  }

  /** Whether `seen41` is the field of this (transport, family, hash) index. */
  private holdsSeen41(row: number, index: number): boolean {
    return (index & 3) === 0 && (index === 4) === ((this.bits[row] & SEEN41_UDP) !== 0);
  }

  /** The client's `key` as it sent it (an int32 when 8 upper-case hex digits: libtorrent, Transmission, UDP). */
  keyOf(row: number): string | null {
    const bits = this.bits[row];
    if ((bits & KEY_INT) !== 0) return (this.key[row] >>> 0).toString(16).toUpperCase().padStart(8, '0');
    return (bits & KEY_TEXT) !== 0 ? this.keyTexts.get(row)! : null;
  }

  setKey(row: number, value: string | null): void {
    const bits = this.bits[row] & ~(KEY_INT | KEY_TEXT);
    if ((this.bits[row] & KEY_TEXT) !== 0) this.keyTexts.delete(row);
    if (value === null) this.bits[row] = bits;
    else if (isUpperHex8(value)) {
      this.key[row] = parseInt(value, 16) | 0;
      this.bits[row] = bits | KEY_INT;
    } else {
      this.keyTexts.set(row, value);
      this.bits[row] = bits | KEY_TEXT;
    }
  }

  /** Writes row's 6-byte compact IPv4 entry (BEP 23) at `offset`: the reply path, no allocation. */
  writeIPv4(row: number, out: Buffer, offset: number): void {
    const ip = this.ip4[row];
    const port = (this.bits[row] & PORT_MASK) >>> PORT_SHIFT;
    out[offset] = ip >>> 24;
    out[offset + 1] = ip >>> 16;
    out[offset + 2] = ip >>> 8;
    out[offset + 3] = ip;
    out[offset + 4] = port >> 8;
    out[offset + 5] = port;
  }

  peerId(row: number): string {
    const odd = this.oddIds.size === 0 ? undefined : this.oddIds.get(row);
    return odd ?? this.ids.toString('latin1', row * ID_BYTES, (row + 1) * ID_BYTES);
  }

  /** Whether row's peer_id is `peerId`, without making a string (the swarm lookups). */
  hasPeerId(row: number, peerId: string): boolean {
    if (this.oddIds.size !== 0 && this.oddIds.has(row)) return this.oddIds.get(row) === peerId;
    if (peerId.length !== ID_BYTES) return false;
    const ids = this.ids;
    const at = row * ID_BYTES;
    for (let i = 0; i < ID_BYTES; i++) if (ids[at + i] !== peerId.charCodeAt(i)) return false;
    return true;
  }
}

/** The live peers' columns, shared by the process like the counter slab (counters.ts). */
export const live = new PeerColumns();

/** 20 chars, each one byte (a latin1 string from a Buffer always is). */
function fitsSlab(peerId: string): boolean {
  if (peerId.length !== ID_BYTES) return false;
  for (let i = 0; i < ID_BYTES; i++) if (peerId.charCodeAt(i) > 0xff) return false;
  return true;
}

function copyEntry<V>(source: Map<number, V>, from: number, target: Map<number, V>, to: number): void {
  const value = source.get(from);
  if (value === undefined) target.delete(to);
  else target.set(to, value);
}

function widen(column: Int32Array, rows: number): Int32Array {
  const wider = new Int32Array(rows);
  wider.set(column);
  return wider;
}
