// In-memory peers of one release, keyed by (user, peer_id): the accounting identity of
// PROTOCOL.md. A hybrid torrent (BEP 52) is announced under two hashes; peers connect with
// the hash they announced, so each announced hash has its own peer lists, while credit,
// snatches and counts stay per (user, release, peer_id), once. A dual-stack client (BEP 7)
// is one peer with both an IPv4 and an IPv6 address.
//
// Memory: addresses and peer ids are latin1 strings (one char per byte) in the compact
// BEP 23 / BEP 7 forms (6 and 18 bytes), written straight into replies.

/** which announced hash a list belongs to */
const EMPTY = Buffer.alloc(0);

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

/**
 * Peers of one (hash, family) with their compact addresses packed side by side, leechers
 * first, then seeders: a reply is one or two memory copies instead of a walk over scattered
 * peer objects, and "leechers only" (for seeders) is a prefix. One list per (hash, family)
 * that has peers, made on first use: most releases need one list, not eight.
 */
class AddressList {
  buf: Buffer = EMPTY;
  readonly peers: Peer[] = [];
  /** peers[0, leechers) are leechers, the rest seeders */
  leechers = 0;

  constructor(
    readonly family: 4 | 6,
    readonly slot: HashSlot,
  ) {}

  get stride(): number {
    return this.family === 4 ? 6 : 18;
  }

  get length(): number {
    return this.peers.length;
  }

  push(peer: Peer, address: string): void {
    const end = this.peers.length;
    this.reserve(end + 1);
    let index = end;
    if (!peer.seeder) {
      // the first seeder moves to the end; the new leecher takes its place
      if (end > this.leechers) this.move(this.leechers, end);
      index = this.leechers++;
    }
    writeLatin1(this.buf, address, index * this.stride);
    this.peers[index] = peer;
    peer.setIndex(this.family, this.slot, index);
  }

  rewrite(peer: Peer, address: string): void {
    writeLatin1(this.buf, address, peer.indexIn(this.family, this.slot) * this.stride);
  }

  remove(peer: Peer): void {
    const index = peer.indexIn(this.family, this.slot);
    const last = this.peers.length - 1;
    if (index < this.leechers) {
      // fill the hole with the last leecher, and that one's place with the last seeder
      const lastLeecher = --this.leechers;
      if (index !== lastLeecher) this.move(lastLeecher, index);
      if (last !== lastLeecher) this.move(last, lastLeecher);
    } else if (index !== last) this.move(last, index);
    this.peers.pop();
    peer.setIndex(this.family, this.slot, -1);
    this.shrink();
  }

  private move(from: number, to: number): void {
    const stride = this.stride;
    this.buf.copy(this.buf, to * stride, from * stride, (from + 1) * stride);
    const peer = this.peers[from];
    this.peers[to] = peer;
    peer.setIndex(this.family, this.slot, to);
  }

  private reserve(count: number): void {
    if (count * this.stride <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.stride * 4));
    this.buf.copy(grown, 0, 0, this.peers.length * this.stride);
    this.buf = grown;
  }

  /** gives memory back when a big swarm empties */
  private shrink(): void {
    if (this.buf.length <= 4096 || this.peers.length * this.stride * 4 >= this.buf.length) return;
    const shrunk = Buffer.allocUnsafe(this.buf.length / 2);
    this.buf.copy(shrunk, 0, 0, this.peers.length * this.stride);
    this.buf = shrunk;
  }
}

export interface Selection {
  compact4: Buffer;
  compact6: Buffer;
  /** peer ids (latin1) in the order of the entries, only when asked for (compact=0) */
  peerIds4?: string[];
  peerIds6?: string[];
}

export const NO_PEERS: Selection = { compact4: EMPTY, compact6: EMPTY };

export class Swarm {
  /**
   * Keyed by peer_id alone (no string building per announce); the rare second member using
   * the same peer_id goes to `shared`, keyed by user and peer_id.
   */
  private readonly byPeerId = new Map<string, Peer>();
  private shared: Map<string, Peer> | null = null;
  /** [slot * 2 + (0: IPv4, 1: IPv6)], null until a peer of that hash and family is listed */
  private readonly lists: (AddressList | null)[] = [null, null, null, null];
  seeders = 0;
  leechers = 0;

  constructor(readonly releaseId: number) {}

  static keyOf(userId: number, peerId: string): string {
    return userId + ':' + peerId;
  }

  get(userId: number, peerId: string): Peer | undefined {
    const peer = this.byPeerId.get(peerId);
    if (peer === undefined || peer.userId === userId) return peer;
    return this.shared?.get(Swarm.keyOf(userId, peerId));
  }

  add(peer: Peer): void {
    const first = this.byPeerId.get(peer.peerId);
    if (first === undefined || first.userId === peer.userId) {
      this.byPeerId.set(peer.peerId, peer);
      return;
    }
    this.shared ??= new Map();
    this.shared.set(Swarm.keyOf(peer.userId, peer.peerId), peer);
  }

  /** Every peer record, active or kept as a baseline. */
  *all(): IterableIterator<Peer> {
    yield* this.byPeerId.values();
    if (this.shared) yield* this.shared.values();
  }

  /** Puts a peer in the swarm (counted) and in the lists of the hash it announced. */
  activate(peer: Peer, slot: HashSlot): void {
    if (!peer.active) {
      peer.active = true;
      if (peer.seeder) this.seeders++;
      else this.leechers++;
    }
    const bit = slot === HASH_V1 ? 1 : 2;
    if ((peer.hashes & bit) === 0) {
      peer.hashes |= bit;
      this.listIn(peer, slot, 4);
      this.listIn(peer, slot, 6);
    }
  }

  /**
   * A new address for a family (first announce from it, or a new IP/port): listed peers
   * are moved or added in place.
   */
  setAddress(peer: Peer, family: 4 | 6, address: string | null): void {
    const previous = peer.addressOf(family);
    if (address === null || address === previous) return;
    if (family === 4) peer.addr4 = address;
    else peer.addr6 = address;
    for (const slot of [HASH_V1, HASH_V2] as const) {
      if ((peer.hashes & (slot === HASH_V1 ? 1 : 2)) === 0) continue;
      if (previous === null) this.listFor(slot, family).push(peer, address);
      else this.listFor(slot, family).rewrite(peer, address);
    }
  }

  /** Seeder/leecher change of an active peer: moves it between lists and counts. */
  setSeeder(peer: Peer, seeder: boolean): void {
    if (peer.seeder === seeder) return;
    if (!peer.active) {
      peer.seeder = seeder;
      return;
    }
    this.unlistAll(peer);
    if (seeder) {
      this.leechers--;
      this.seeders++;
    } else {
      this.seeders--;
      this.leechers++;
    }
    peer.seeder = seeder;
    this.relistAll(peer);
  }

  /** Takes a peer out of the swarm; its record (the baseline) stays. */
  deactivate(peer: Peer): void {
    if (!peer.active) return;
    this.unlistAll(peer);
    peer.hashes = 0;
    peer.active = false;
    if (peer.seeder) this.seeders--;
    else this.leechers--;
  }

  /** Forgets a peer entirely (retention over). */
  forget(peer: Peer): void {
    this.deactivate(peer);
    if (this.byPeerId.get(peer.peerId) === peer) this.byPeerId.delete(peer.peerId);
    else this.shared?.delete(Swarm.keyOf(peer.userId, peer.peerId));
  }

  /**
   * Up to `want` addresses of peers that announced `slot`, never the requester; seeders get
   * leechers only. Each family's list is a ring (leechers, then seeders) read from a random
   * starting point: O(want) bytes copied, no walk over the swarm. `want` is shared between
   * the families in proportion to their sizes.
   */
  select(requester: Peer, slot: HashSlot, want: number, onlyLeechers: boolean, withPeerIds = false): Selection {
    const v4 = this.lists[slot * 2];
    const v6 = this.lists[slot * 2 + 1];
    const total4 = ringSize(v4, onlyLeechers, requester);
    const total6 = ringSize(v6, onlyLeechers, requester);
    if (want <= 0 || total4 + total6 === 0) return NO_PEERS;
    let want6 = total4 + total6 <= want ? total6 : Math.round((want * total6) / (total4 + total6));
    let want4 = Math.min(total4, want - want6);
    want6 = Math.min(total6, want - want4);
    const ids4: string[] | undefined = withPeerIds ? [] : undefined;
    const ids6: string[] | undefined = withPeerIds ? [] : undefined;
    return {
      compact4: readRing(v4, onlyLeechers, requester, want4, ids4),
      compact6: readRing(v6, onlyLeechers, requester, want6, ids6),
      peerIds4: ids4,
      peerIds6: ids6,
    };
  }

  get size(): number {
    return this.byPeerId.size + (this.shared?.size ?? 0);
  }

  private listFor(slot: HashSlot, family: 4 | 6): AddressList {
    const at = slot * 2 + (family === 4 ? 0 : 1);
    return (this.lists[at] ??= new AddressList(family, slot));
  }

  private listIn(peer: Peer, slot: HashSlot, family: 4 | 6): void {
    const address = peer.addressOf(family);
    if (address !== null) this.listFor(slot, family).push(peer, address);
  }

  private unlistAll(peer: Peer): void {
    for (const slot of [HASH_V1, HASH_V2] as const) {
      if ((peer.hashes & (slot === HASH_V1 ? 1 : 2)) === 0) continue;
      if (peer.addr4 !== null) this.listFor(slot, 4).remove(peer);
      if (peer.addr6 !== null) this.listFor(slot, 6).remove(peer);
    }
  }

  private relistAll(peer: Peer): void {
    for (const slot of [HASH_V1, HASH_V2] as const) {
      if ((peer.hashes & (slot === HASH_V1 ? 1 : 2)) === 0) continue;
      this.listIn(peer, slot, 4);
      this.listIn(peer, slot, 6);
    }
  }
}

/** How many entries a reply may come from: leechers, or leechers and seeders. */
function ringEnd(list: AddressList, onlyLeechers: boolean): number {
  return onlyLeechers ? list.leechers : list.length;
}

/** Position of the requester inside the ring, or -1. */
function requesterPosition(list: AddressList, onlyLeechers: boolean, requester: Peer): number {
  const index = requester.indexIn(list.family, list.slot);
  if (index < 0 || !requester.active || index >= ringEnd(list, onlyLeechers)) return -1;
  return list.peers[index] === requester ? index : -1;
}

function ringSize(list: AddressList | null, onlyLeechers: boolean, requester: Peer): number {
  if (list === null) return 0;
  const total = ringEnd(list, onlyLeechers);
  return requesterPosition(list, onlyLeechers, requester) >= 0 ? total - 1 : total;
}

/** `want` entries read as a ring from a random start, skipping the requester: O(want) bytes copied. */
function readRing(list: AddressList | null, onlyLeechers: boolean, requester: Peer, want: number, ids: string[] | undefined): Buffer {
  if (want <= 0 || list === null) return EMPTY;
  const stride = list.stride;
  const total = ringEnd(list, onlyLeechers);
  const skip = requesterPosition(list, onlyLeechers, requester);
  const out = Buffer.allocUnsafe(want * stride);
  let written = 0;
  let position = Math.floor(Math.random() * total);
  while (written < want) {
    // the longest run from `position`, stopping before the requester
    let run = Math.min(want - written, total - position);
    if (skip >= position && skip < position + run) run = skip - position;
    if (run > 0) {
      list.buf.copy(out, written * stride, position * stride, (position + run) * stride);
      if (ids) for (let i = 0; i < run; i++) ids.push(list.peers[position + i].peerId);
      written += run;
      position += run;
    }
    if (position === skip) position++;
    if (position >= total) position = 0;
  }
  return out;
}

/** A JIT-inlined byte copy: Buffer#write costs a native call per peer, too much at numwant 50. */
function writeLatin1(out: Buffer, text: string, offset: number): void {
  for (let i = 0; i < text.length; i++) out[offset + i] = text.charCodeAt(i);
}

/** IPv4 dotted quad + port -> 6-byte compact form as latin1 (BEP 23). */
export function compactIPv4(ip: string, port: number): string | null {
  const octets = [0, 0, 0, 0];
  let part = 0;
  let digits = 0;
  for (let i = 0; i < ip.length; i++) {
    const code = ip.charCodeAt(i);
    if (code === 46) {
      if (digits === 0 || ++part > 3) return null;
      digits = 0;
    } else if (code >= 48 && code <= 57 && digits < 3) {
      octets[part] = octets[part] * 10 + (code - 48);
      if (octets[part] > 255) return null;
      digits++;
    } else return null;
  }
  if (part !== 3 || digits === 0) return null;
  return String.fromCharCode(octets[0], octets[1], octets[2], octets[3], port >> 8, port & 0xff);
}

/** IPv6 text + port -> 18-byte compact form as latin1 (BEP 7). */
export function compactIPv6(ip: string, port: number): string | null {
  const bytes = parseIPv6(ip);
  if (bytes === null) return null;
  return bytes.toString('latin1') + String.fromCharCode(port >> 8, port & 0xff);
}

function parseIPv6(ip: string): Buffer | null {
  const zone = ip.indexOf('%');
  if (zone >= 0) ip = ip.slice(0, zone);
  const halves = ip.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const groups: number[] = [];
  const pushGroups = (list: string[], into: number[]): boolean => {
    for (const group of list) {
      if (group.includes('.')) {
        const v4 = compactIPv4(group, 0);
        if (v4 === null) return false;
        into.push((v4.charCodeAt(0) << 8) | v4.charCodeAt(1), (v4.charCodeAt(2) << 8) | v4.charCodeAt(3));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return false;
        into.push(parseInt(group, 16));
      }
    }
    return true;
  };
  const tailGroups: number[] = [];
  if (!pushGroups(head, groups) || !pushGroups(tail, tailGroups)) return null;
  const missing = 8 - groups.length - tailGroups.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return null;
  for (let i = 0; i < missing; i++) groups.push(0);
  groups.push(...tailGroups);
  const out = Buffer.allocUnsafe(16);
  groups.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}

/** Compact latin1 address back to text + port (non-compact replies, UDP PeerEntry). */
export function expandCompact(compact: string): { ip: string; port: number } {
  const port = (compact.charCodeAt(compact.length - 2) << 8) | compact.charCodeAt(compact.length - 1);
  if (compact.length === 6) {
    return { ip: `${compact.charCodeAt(0)}.${compact.charCodeAt(1)}.${compact.charCodeAt(2)}.${compact.charCodeAt(3)}`, port };
  }
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((compact.charCodeAt(i) << 8) | compact.charCodeAt(i + 1)).toString(16));
  return { ip: groups.join(':'), port };
}
