// One peer of the tracker: the accounting identity (user, release, peer_id) of PROTOCOL.md
// with its last reported totals (the baseline deltas are measured from), its addresses in
// compact BEP 23 / BEP 7 form, and where it sits in its swarm's address lists.

/** which announced hash a list belongs to */
export const HASH_V1 = 0;
export const HASH_V2 = 1;
export type HashSlot = 0 | 1;

/**
 * Timestamps are kept as whole seconds since 2020 so they stay small integers (V8 Smis)
 * instead of boxed doubles: five of them per peer, a million peers. 0 means "never".
 */
const EPOCH_S = 1_577_836_800;
const toTick = (ms: number): number => (ms === 0 ? 0 : Math.max(Math.floor(ms / 1000) - EPOCH_S, 1));
const fromTick = (tick: number): number => (tick === 0 ? 0 : (tick + EPOCH_S) * 1000);

const SEEDER = 1;
const ACTIVE = 2;
/** `hashes` bits sit above the two flags */
const HASHES_SHIFT = 2;

/** What only an IPv6 or v2 (BEP 52) announcer needs: most peers never allocate it. */
class PeerMore {
  i42 = -1;
  i61 = -1;
  i62 = -1;
  seen42 = 0;
  seen61 = 0;
  seen62 = 0;
}

/**
 * One (user, release, peer_id). Memory counts here (a million of them): flags share one
 * small integer, timestamps are Smi ticks, and the v2/IPv6 list positions live in PeerMore.
 */
export class Peer {
  /** compact IPv4 address+port (6 chars latin1) */
  addr4: string | null = null;
  /** compact IPv6 address+port (18 chars latin1) */
  addr6: string | null = null;
  uploaded: bigint;
  downloaded: bigint;
  left: bigint;
  /** SEEDER | ACTIVE | hashes << HASHES_SHIFT */
  private flags = 0;
  /** position in the v1 IPv4 address list (swap-remove needs it) */
  private i41 = -1;
  /** last v1 IPv4 announce, in ticks: min interval applies per (family, hash) slot (H12) */
  private seen41 = 0;
  /** last announce of any kind, in ticks */
  private seenAny = 0;
  private more: PeerMore | null = null;
  port = 0;
  client = '';
  key: string | null = null;

  constructor(
    readonly userId: number,
    readonly releaseId: number,
    /** 20 bytes as latin1 */
    readonly peerId: string,
    uploaded: bigint,
    downloaded: bigint,
    left: bigint,
  ) {
    this.uploaded = uploaded;
    this.downloaded = downloaded;
    this.left = left;
  }

  get seeder(): boolean {
    return (this.flags & SEEDER) !== 0;
  }

  set seeder(value: boolean) {
    this.flags = value ? this.flags | SEEDER : this.flags & ~SEEDER;
  }

  /** in the swarm (false: stopped, expired or refused; the baseline is still kept) */
  get active(): boolean {
    return (this.flags & ACTIVE) !== 0;
  }

  set active(value: boolean) {
    this.flags = value ? this.flags | ACTIVE : this.flags & ~ACTIVE;
  }

  /** bit 1: in the v1 lists, bit 2: in the v2 lists */
  get hashes(): number {
    return this.flags >> HASHES_SHIFT;
  }

  set hashes(value: number) {
    this.flags = (this.flags & (SEEDER | ACTIVE)) | (value << HASHES_SHIFT);
  }

  /** last announce of any kind, ms (whole seconds) */
  get lastSeen(): number {
    return fromTick(this.seenAny);
  }

  set lastSeen(ms: number) {
    this.seenAny = toTick(ms);
  }

  seenAt(family: 4 | 6, slot: HashSlot): number {
    if (family === 4 && slot === HASH_V1) return fromTick(this.seen41);
    const more = this.more;
    if (more === null) return 0;
    if (family === 4) return fromTick(more.seen42);
    return fromTick(slot === HASH_V1 ? more.seen61 : more.seen62);
  }

  markSeen(family: 4 | 6, slot: HashSlot, now: number): void {
    const tick = toTick(now);
    this.seenAny = tick;
    if (family === 4 && slot === HASH_V1) {
      this.seen41 = tick;
      return;
    }
    const more = (this.more ??= new PeerMore());
    if (family === 4) more.seen42 = tick;
    else if (slot === HASH_V1) more.seen61 = tick;
    else more.seen62 = tick;
  }

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
    const more = (this.more ??= new PeerMore());
    if (family === 4) more.i42 = index;
    else if (slot === HASH_V1) more.i61 = index;
    else more.i62 = index;
  }

  addressOf(family: 4 | 6): string | null {
    return family === 4 ? this.addr4 : this.addr6;
  }
}
