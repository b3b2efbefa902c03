// One peer of the tracker: the accounting identity (user, release, peer_id) of docs/accounting.md
// with its last reported totals (the baseline deltas are measured from), its addresses
// (BEP 23 / BEP 7), and where it sits in its swarm's address lists.
//
// A million of these live at once, so every field counts: without pointer compression each
// is 8 B. Small integers (V8 Smis, 32-bit here) cost nothing beyond their field, so flags,
// the IPv4 port, the IPv4 address and timestamps are all int32s; the 64-bit totals live in
// the counter slab (counters.ts); what only IPv6, v2 (BEP 52) or two-tier (BEP 12)
// announcers need lives in PeerMore, which most peers never allocate (peer-storage.ts).
import { allocateSlot, DOWNLOADED, LEFT, readCounter, releaseSlot, UPLOADED, writeCounter, type CounterField } from './counters.js';
import { fromTick, isUpperHex8, PeerMore, portOf, seenIndex, toTick } from './peer-storage.js';
import type { Transport } from './types.js';

/** which announced hash a list belongs to */
export const HASH_V1 = 0;
export const HASH_V2 = 1;
export type HashSlot = 0 | 1;

// `bits`: the flags below, and the IPv4 port above them (16 bits: all stays a positive Smi)
const SEEDER = 1;
const ACTIVE = 2;
/** `hashes` (bit 1: in the v1 lists, bit 2: in the v2 lists) */
const HASHES_SHIFT = 2;
const HASHES_MASK = 3 << HASHES_SHIFT;
const HAS_V4 = 16;
/** the last announce came over IPv6: `port` is that address's port */
const LAST_V6 = 32;
/** `seen41` is the UDP tier's (clear: the HTTP tier's); the other tier's lives in PeerMore */
const SEEN41_UDP = 64;
const PORT_SHIFT = 8;
const FLAGS_MASK = (1 << PORT_SHIFT) - 1;

/** Counters of a forgotten peer: its slot went back to the slab, a ledger may still read it. */
const frozenCounters = new WeakMap<Peer, [bigint, bigint, bigint]>();

/** One (user, release, peer_id); twelve fields, 120 B. */
export class Peer {
  /** counter slab slot (counters.ts), -1 once forgotten */
  private slot: number;
  /** IPv4 address as an int32 (meaningful with HAS_V4); its port sits in `bits` */
  private ip4 = 0;
  /** SEEDER | ACTIVE | hashes | HAS_V4 | LAST_V6 | IPv4 port << PORT_SHIFT */
  private bits = 0;
  /** position in the v1 IPv4 address list (swap-remove needs it) */
  private i41 = -1;
  /**
   * last v1 IPv4 announce on one tier (SEEN41_UDP says which: the first to announce), in
   * ticks: min interval applies per (transport, family, hash), so a one-tier IPv4 peer needs
   * no PeerMore
   */
  private seen41 = 0;
  /** last announce of any kind, in ticks */
  private seenAny = 0;
  private more: PeerMore | null = null;
  /** interned client name (shared by thousands of peers) */
  client = '';
  /** the client's `key`: an int32 when it is 8 upper-case hex digits (libtorrent, Transmission, UDP), else the text */
  private keyValue: string | number | null = null;

  constructor(
    readonly userId: number,
    readonly releaseId: number,
    /** 20 bytes as latin1 */
    readonly peerId: string,
    uploaded: bigint,
    downloaded: bigint,
    left: bigint,
  ) {
    this.slot = allocateSlot(uploaded, downloaded, left);
  }

  // --- totals (counters.ts) ---------------------------------------------------------------

  get uploaded(): bigint {
    return this.counter(UPLOADED);
  }

  set uploaded(value: bigint) {
    this.setCounter(UPLOADED, value);
  }

  get downloaded(): bigint {
    return this.counter(DOWNLOADED);
  }

  set downloaded(value: bigint) {
    this.setCounter(DOWNLOADED, value);
  }

  get left(): bigint {
    return this.counter(LEFT);
  }

  set left(value: bigint) {
    this.setCounter(LEFT, value);
  }

  /**
   * Gives the counter slot back (the record is being forgotten). The values are kept aside
   * so that a ledger batch still holding this peer writes its last totals, not those of
   * whichever peer gets the slot next.
   */
  releaseCounters(): void {
    if (this.slot < 0) return;
    frozenCounters.set(this, [this.uploaded, this.downloaded, this.left]);
    releaseSlot(this.slot);
    this.slot = -1;
  }

  private counter(field: CounterField): bigint {
    return this.slot >= 0 ? readCounter(this.slot, field) : frozenCounters.get(this)![field];
  }

  private setCounter(field: CounterField, value: bigint): void {
    if (this.slot >= 0) writeCounter(this.slot, field, value);
    else frozenCounters.get(this)![field] = value;
  }

  // --- flags ------------------------------------------------------------------------------

  get seeder(): boolean {
    return (this.bits & SEEDER) !== 0;
  }

  set seeder(value: boolean) {
    this.bits = value ? this.bits | SEEDER : this.bits & ~SEEDER;
  }

  /** in the swarm (false: stopped, expired or refused; the baseline is still kept) */
  get active(): boolean {
    return (this.bits & ACTIVE) !== 0;
  }

  set active(value: boolean) {
    this.bits = value ? this.bits | ACTIVE : this.bits & ~ACTIVE;
  }

  /** bit 1: in the v1 lists, bit 2: in the v2 lists */
  get hashes(): number {
    return (this.bits & HASHES_MASK) >> HASHES_SHIFT;
  }

  set hashes(value: number) {
    this.bits = (this.bits & ~HASHES_MASK) | (value << HASHES_SHIFT);
  }

  get key(): string | null {
    const key = this.keyValue;
    return typeof key === 'number' ? (key >>> 0).toString(16).toUpperCase().padStart(8, '0') : key;
  }

  set key(value: string | null) {
    this.keyValue = value !== null && isUpperHex8(value) ? parseInt(value, 16) | 0 : value;
  }

  // --- timestamps -------------------------------------------------------------------------

  /** last announce of any kind, ms (whole seconds) */
  get lastSeen(): number {
    return fromTick(this.seenAny);
  }

  set lastSeen(ms: number) {
    this.seenAny = toTick(ms);
  }

  /** The last announce on this tier, family and hash, ms; 0: none since the peer was loaded. */
  seenAt(transport: Transport, family: 4 | 6, slot: HashSlot): number {
    const index = seenIndex(transport, family, slot);
    if (this.holdsSeen41(index)) return fromTick(this.seen41);
    return this.more === null ? 0 : fromTick(this.more.seen(index));
  }

  markSeen(transport: Transport, family: 4 | 6, slot: HashSlot, now: number): void {
    const tick = toTick(now);
    this.seenAny = tick;
    this.bits = family === 6 ? this.bits | LAST_V6 : this.bits & ~LAST_V6;
    const index = seenIndex(transport, family, slot);
    if (this.seen41 === 0 && (index & 3) === 0) {
      // the first IPv4 v1 announce claims the field for its tier
      this.bits = index === 0 ? this.bits & ~SEEN41_UDP : this.bits | SEEN41_UDP;
    }
    if (this.holdsSeen41(index)) this.seen41 = tick;
    else this.extra().setSeen(index, tick);
  }

  /** Whether `seen41` is the field of this (transport, family, hash) index. */
  private holdsSeen41(index: number): boolean {
    return (index & 3) === 0 && (index === 4) === ((this.bits & SEEN41_UDP) !== 0);
  }

  // --- list positions ---------------------------------------------------------------------

  indexIn(family: 4 | 6, slot: HashSlot): number {
    if (family === 4 && slot === HASH_V1) return this.i41;
    const more = this.more;
    if (more === null) return -1;
    if (family === 4) return more.i42;
    return slot === HASH_V1 ? more.i61 : more.i62;
  }

  setIndex(family: 4 | 6, slot: HashSlot, index: number): void {
    if (family === 4 && slot === HASH_V1) {
      this.i41 = index;
      return;
    }
    const more = this.extra();
    if (family === 4) more.i42 = index;
    else if (slot === HASH_V1) more.i61 = index;
    else more.i62 = index;
  }

  // --- addresses --------------------------------------------------------------------------

  hasAddress(family: 4 | 6): boolean {
    return family === 4 ? (this.bits & HAS_V4) !== 0 : this.more !== null && this.more.addr6 !== null;
  }

  /** Whether this is the peer's current IPv4 address and port (most announces). */
  hasIPv4(ip: number, port: number): boolean {
    return (this.bits & HAS_V4) !== 0 && this.ip4 === ip && this.bits >>> PORT_SHIFT === port;
  }

  /** `ip` as from parseIPv4 (an int32) */
  setIPv4(ip: number, port: number): void {
    this.ip4 = ip;
    this.bits = (this.bits & FLAGS_MASK) | HAS_V4 | (port << PORT_SHIFT);
  }

  /** `compact`: 18 chars latin1 (compactIPv6) */
  setIPv6(compact: string): void {
    this.extra().addr6 = compact;
  }

  /** The port of the last announce (of its family's address), 0 when no address is known. */
  get port(): number {
    const v6 = this.more?.addr6 ?? null;
    if (v6 !== null && ((this.bits & LAST_V6) !== 0 || (this.bits & HAS_V4) === 0)) return portOf(v6);
    return (this.bits & HAS_V4) !== 0 ? this.bits >>> PORT_SHIFT : 0;
  }

  /** compact IPv4 address+port (6 chars latin1, BEP 23), for the flush and tests */
  get addr4(): string | null {
    if ((this.bits & HAS_V4) === 0) return null;
    const ip = this.ip4;
    const port = this.bits >>> PORT_SHIFT;
    return String.fromCharCode((ip >>> 24) & 0xff, (ip >>> 16) & 0xff, (ip >>> 8) & 0xff, ip & 0xff, port >> 8, port & 0xff);
  }

  /** The IPv4 address as text (peers.ipv4 of the flush), null when none: straight from the int. */
  ipv4Text(): string | null {
    if ((this.bits & HAS_V4) === 0) return null;
    const ip = this.ip4;
    return `${(ip >>> 24) & 0xff}.${(ip >>> 16) & 0xff}.${(ip >>> 8) & 0xff}.${ip & 0xff}`;
  }

  /** compact IPv6 address+port (18 chars latin1, BEP 7) */
  get addr6(): string | null {
    return this.more?.addr6 ?? null;
  }

  /** Writes the 6-byte compact IPv4 entry (BEP 23) at `offset`: the reply path, no allocation. */
  writeIPv4(out: Buffer, offset: number): void {
    const ip = this.ip4;
    const port = this.bits >>> PORT_SHIFT;
    out[offset] = ip >>> 24;
    out[offset + 1] = ip >>> 16;
    out[offset + 2] = ip >>> 8;
    out[offset + 3] = ip;
    out[offset + 4] = port >> 8;
    out[offset + 5] = port;
  }

  /** Writes the 18-byte compact IPv6 entry (BEP 7) at `offset`. */
  writeIPv6(out: Buffer, offset: number): void {
    const text = this.more!.addr6!;
    for (let i = 0; i < 18; i++) out[offset + i] = text.charCodeAt(i);
  }

  private extra(): PeerMore {
    return (this.more ??= new PeerMore());
  }
}
