// One peer of the tracker: the accounting identity (user, release, peer_id) of docs/accounting.md
// with its last reported totals (the baseline deltas are measured from), its addresses
// (BEP 23 / BEP 7), and where it sits in its swarm's address lists.
//
// A million of these live at once, so a Peer is a handle: one field, its row in the peer
// columns (peer-columns.ts, typed arrays outside the V8 heap) and in the counter slab
// (counters.ts, the exact 64-bit totals). What only IPv6, v2 (BEP 52) or two-tier (BEP 12)
// announcers need lives in PeerMore, which most peers never allocate (peer-storage.ts).
import { allocateSlot, DOWNLOADED, LEFT, readCounter, releaseSlot, UPLOADED, writeCounter, type CounterField } from './counters.js';
import { LAST_V6, live, PeerColumns, PORT_MASK, PORT_SHIFT } from './peer-columns.js';
import { fromTick, type PeerMore, portOf, seenIndex, toTick } from './peer-storage.js';
import type { Transport } from './types.js';

/** which announced hash a list belongs to */
export const HASH_V1 = 0;
export const HASH_V2 = 1;
export type HashSlot = 0 | 1;

// `bits`: the flags below, the IPv4 port above them (16 bits), the key's form above that
const SEEDER = 1;
const ACTIVE = 2;
/** `hashes` (bit 1: in the v1 lists, bit 2: in the v2 lists) */
const HASHES_SHIFT = 2;
const HASHES_MASK = 3 << HASHES_SHIFT;
const HAS_V4 = 16;
// 32 and 64: LAST_V6 and SEEN41_UDP (peer-columns.ts)

/**
 * A forgotten peer's fields and totals: its row went back to the slabs, a ledger batch may
 * still read it (and must read its last values, not those of whichever peer gets the row).
 */
const frozen = new WeakMap<Peer, { columns: PeerColumns; counters: [bigint, bigint, bigint] }>();

/** One (user, release, peer_id): a handle on its row. */
export class Peer {
  /** row in the peer columns and the counter slab, -1 once forgotten */
  private slot: number;

  constructor(userId: number, releaseId: number, /** 20 bytes as latin1 */ peerId: string, uploaded: bigint, downloaded: bigint, left: bigint) {
    this.slot = allocateSlot(uploaded, downloaded, left);
    live.open(this.slot, userId, releaseId, peerId);
  }

  /** The columns holding this peer: the live ones, or its frozen copy once forgotten. */
  private get cols(): PeerColumns {
    return this.slot >= 0 ? live : frozen.get(this)!.columns;
  }

  private get row(): number {
    return this.slot >= 0 ? this.slot : 0;
  }

  private get bits(): number {
    return this.cols.bits[this.row];
  }

  private set bits(value: number) {
    this.cols.bits[this.row] = value;
  }

  private get more(): PeerMore | null {
    return this.cols.moreOf(this.row);
  }

  /** Whether the peer needed its extra record (most never do: specs check it). */
  get hasMore(): boolean {
    return this.more !== null;
  }

  get userId(): number {
    return this.cols.user[this.row];
  }

  get releaseId(): number {
    return this.cols.release[this.row];
  }

  /** 20 bytes as latin1 (a new string each time: compare with hasPeerId) */
  get peerId(): string {
    return this.cols.peerId(this.row);
  }

  hasPeerId(peerId: string): boolean {
    return this.cols.hasPeerId(this.row, peerId);
  }

  /** interned client name (shared by thousands of peers) */
  get client(): string {
    return this.cols.clients[this.row];
  }

  set client(name: string) {
    this.cols.clients[this.row] = name;
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
   * Gives the row back (the record is being forgotten). Its fields and totals are copied
   * aside first, for a ledger batch still holding this peer.
   */
  releaseCounters(): void {
    const slot = this.slot;
    if (slot < 0) return;
    const columns = new PeerColumns(1);
    columns.copyRow(live, slot, 0);
    frozen.set(this, { columns, counters: [this.uploaded, this.downloaded, this.left] });
    live.close(slot);
    releaseSlot(slot);
    this.slot = -1;
  }

  private counter(field: CounterField): bigint {
    return this.slot >= 0 ? readCounter(this.slot, field) : frozen.get(this)!.counters[field];
  }

  private setCounter(field: CounterField, value: bigint): void {
    if (this.slot >= 0) writeCounter(this.slot, field, value);
    else frozen.get(this)!.counters[field] = value;
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
    return this.cols.keyOf(this.row);
  }

  set key(value: string | null) {
    this.cols.setKey(this.row, value);
  }

  // --- timestamps -------------------------------------------------------------------------

  /** last announce of any kind, ms (whole seconds) */
  get lastSeen(): number {
    return fromTick(this.cols.seenAny[this.row]);
  }

  set lastSeen(ms: number) {
    this.cols.seenAny[this.row] = toTick(ms);
  }

  /** The last announce on this tier, family and hash, ms; 0: none since the peer was loaded. */
  seenAt(transport: Transport, family: 4 | 6, slot: HashSlot): number {
    return fromTick(this.cols.seenAt(this.row, seenIndex(transport, family, slot)));
  }

  markSeen(transport: Transport, family: 4 | 6, slot: HashSlot, now: number): void {
    this.cols.markSeen(this.row, seenIndex(transport, family, slot), family, toTick(now));
  }

  // --- list positions ---------------------------------------------------------------------

  indexIn(family: 4 | 6, slot: HashSlot): number {
    if (family === 4 && slot === HASH_V1) return this.cols.i41[this.row];
    const more = this.more;
    if (more === null) return -1;
    if (family === 4) return more.i42;
    return slot === HASH_V1 ? more.i61 : more.i62;
  }

  setIndex(family: 4 | 6, slot: HashSlot, index: number): void {
    if (family === 4 && slot === HASH_V1) {
      this.cols.i41[this.row] = index;
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
    return (this.bits & HAS_V4) !== 0 && this.cols.ip4[this.row] === ip && this.ipv4Port === port;
  }

  /** `ip` as from parseIPv4 (an int32) */
  setIPv4(ip: number, port: number): void {
    this.cols.ip4[this.row] = ip;
    this.bits = (this.bits & ~PORT_MASK) | HAS_V4 | (port << PORT_SHIFT);
  }

  /** `compact`: 18 chars latin1 (compactIPv6) */
  setIPv6(compact: string): void {
    this.extra().addr6 = compact;
  }

  /** The port of the last announce (of its family's address), 0 when no address is known. */
  get port(): number {
    const v6 = this.more?.addr6 ?? null;
    if (v6 !== null && ((this.bits & LAST_V6) !== 0 || (this.bits & HAS_V4) === 0)) return portOf(v6);
    return (this.bits & HAS_V4) !== 0 ? this.ipv4Port : 0;
  }

  private get ipv4Port(): number {
    return (this.bits & PORT_MASK) >>> PORT_SHIFT;
  }

  /** compact IPv4 address+port (6 chars latin1, BEP 23), for the flush and tests */
  get addr4(): string | null {
    if ((this.bits & HAS_V4) === 0) return null;
    const ip = this.cols.ip4[this.row];
    const port = this.ipv4Port;
    return String.fromCharCode((ip >>> 24) & 0xff, (ip >>> 16) & 0xff, (ip >>> 8) & 0xff, ip & 0xff, port >> 8, port & 0xff);
  }

  /** The IPv4 address as text (peers.ipv4 of the flush), null when none: straight from the int. */
  ipv4Text(): string | null {
    if ((this.bits & HAS_V4) === 0) return null;
    const ip = this.cols.ip4[this.row];
    return `${(ip >>> 24) & 0xff}.${(ip >>> 16) & 0xff}.${(ip >>> 8) & 0xff}.${ip & 0xff}`;
  }

  /** compact IPv6 address+port (18 chars latin1, BEP 7) */
  get addr6(): string | null {
    return this.more?.addr6 ?? null;
  }

  /** Writes the 6-byte compact IPv4 entry (BEP 23) at `offset`: the reply path, no allocation. */
  writeIPv4(out: Buffer, offset: number): void {
    this.cols.writeIPv4(this.row, out, offset);
  }

  /** Writes the 18-byte compact IPv6 entry (BEP 7) at `offset`. */
  writeIPv6(out: Buffer, offset: number): void {
    const text = this.more!.addr6!;
    for (let i = 0; i < 18; i++) out[offset + i] = text.charCodeAt(i);
  }

  private extra(): PeerMore {
    return this.cols.extra(this.row);
  }
}
