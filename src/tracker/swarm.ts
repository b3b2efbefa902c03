// In-memory peers of one release, keyed by (user, peer_id): the accounting identity of
// PROTOCOL.md. A hybrid torrent (BEP 52) is announced under two hashes; peers connect with
// the hash they announced, so each announced hash has its own peer lists, while credit,
// snatches and counts stay per (user, release, peer_id), once. A dual-stack client (BEP 7)
// is one peer with both an IPv4 and an IPv6 address.
//
// Memory: addresses and peer ids are latin1 strings (one char per byte) in the compact
// BEP 23 / BEP 7 forms (6 and 18 bytes), written straight into replies.

/** which announced hash a list belongs to */
export const HASH_V1 = 0;
export const HASH_V2 = 1;
export type HashSlot = 0 | 1;

export class Peer {
  /** compact IPv4 address+port (6 chars latin1) */
  addr4: string | null = null;
  /** compact IPv6 address+port (18 chars latin1) */
  addr6: string | null = null;
  uploaded: bigint;
  downloaded: bigint;
  left: bigint;
  seeder = false;
  /** in the swarm (false: stopped, expired or refused; the baseline is still kept) */
  active = false;
  /** bit 1: in the v1 lists, bit 2: in the v2 lists */
  hashes = 0;
  /** position in the address list of each (hash, family): swap-remove needs it */
  i41 = -1;
  i42 = -1;
  i61 = -1;
  i62 = -1;
  /** last announce, ms, per (family, hash): min interval applies per slot (H12) */
  seen41 = 0;
  seen42 = 0;
  seen61 = 0;
  seen62 = 0;
  /** last announce of any kind, ms */
  lastSeen = 0;
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

  seenAt(family: 4 | 6, slot: HashSlot): number {
    if (family === 4) return slot === HASH_V1 ? this.seen41 : this.seen42;
    return slot === HASH_V1 ? this.seen61 : this.seen62;
  }

  markSeen(family: 4 | 6, slot: HashSlot, now: number): void {
    if (family === 4) {
      if (slot === HASH_V1) this.seen41 = now;
      else this.seen42 = now;
    } else if (slot === HASH_V1) this.seen61 = now;
    else this.seen62 = now;
    this.lastSeen = now;
  }

  indexIn(family: 4 | 6, slot: HashSlot): number {
    if (family === 4) return slot === HASH_V1 ? this.i41 : this.i42;
    return slot === HASH_V1 ? this.i61 : this.i62;
  }

  setIndex(family: 4 | 6, slot: HashSlot, index: number): void {
    if (family === 4) {
      if (slot === HASH_V1) this.i41 = index;
      else this.i42 = index;
    } else if (slot === HASH_V1) this.i61 = index;
    else this.i62 = index;
  }

  addressOf(family: 4 | 6): string | null {
    return family === 4 ? this.addr4 : this.addr6;
  }
}

/**
 * Peers of one (hash, family, seeder|leecher) with their compact addresses packed side by
 * side: a reply is one or two memory copies instead of a walk over scattered peer objects.
 */
class AddressList {
  buf: Buffer;
  readonly peers: Peer[] = [];

  constructor(
    readonly family: 4 | 6,
    readonly slot: HashSlot,
  ) {
    this.buf = Buffer.allocUnsafe(this.stride * 4);
  }

  get stride(): number {
    return this.family === 4 ? 6 : 18;
  }

  get length(): number {
    return this.peers.length;
  }

  push(peer: Peer, address: string): void {
    const index = this.peers.length;
    if ((index + 1) * this.stride > this.buf.length) {
      const grown = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(grown, 0, 0, index * this.stride);
      this.buf = grown;
    }
    writeLatin1(this.buf, address, index * this.stride);
    this.peers.push(peer);
    peer.setIndex(this.family, this.slot, index);
  }

  rewrite(peer: Peer, address: string): void {
    writeLatin1(this.buf, address, peer.indexIn(this.family, this.slot) * this.stride);
  }

  remove(peer: Peer): void {
    const index = peer.indexIn(this.family, this.slot);
    const lastIndex = this.peers.length - 1;
    const last = this.peers.pop()!;
    if (last !== peer) {
      this.peers[index] = last;
      this.buf.copy(this.buf, index * this.stride, lastIndex * this.stride, (lastIndex + 1) * this.stride);
      last.setIndex(this.family, this.slot, index);
    }
    peer.setIndex(this.family, this.slot, -1);
    // give memory back when a big swarm empties
    if (this.buf.length > 4096 && this.peers.length * this.stride * 4 < this.buf.length) {
      const shrunk = Buffer.allocUnsafe(this.buf.length / 2);
      this.buf.copy(shrunk, 0, 0, this.peers.length * this.stride);
      this.buf = shrunk;
    }
  }
}

/** The lists of one (hash, family): leechers then seeders form one virtual ring. */
class FamilyLists {
  readonly leechers: AddressList;
  readonly seeders: AddressList;

  constructor(family: 4 | 6, slot: HashSlot) {
    this.leechers = new AddressList(family, slot);
    this.seeders = new AddressList(family, slot);
  }

  listOf(peer: Peer): AddressList {
    return peer.seeder ? this.seeders : this.leechers;
  }
}

export interface Selection {
  compact4: Buffer;
  compact6: Buffer;
  /** peer ids (latin1) in the order of the entries, only when asked for (compact=0) */
  peerIds4?: string[];
  peerIds6?: string[];
}

const EMPTY = Buffer.alloc(0);
export const NO_PEERS: Selection = { compact4: EMPTY, compact6: EMPTY };

export class Swarm {
  /**
   * Keyed by peer_id alone (no string building per announce); the rare second member using
   * the same peer_id goes to `shared`, keyed by user and peer_id.
   */
  private readonly byPeerId = new Map<string, Peer>();
  private shared: Map<string, Peer> | null = null;
  /** [hash slot][0: IPv4, 1: IPv6] */
  private readonly lists: [[FamilyLists, FamilyLists], [FamilyLists, FamilyLists]] = [
    [new FamilyLists(4, HASH_V1), new FamilyLists(6, HASH_V1)],
    [new FamilyLists(4, HASH_V2), new FamilyLists(6, HASH_V2)],
  ];
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
      const list = this.lists[slot][family === 4 ? 0 : 1].listOf(peer);
      if (previous === null) list.push(peer, address);
      else list.rewrite(peer, address);
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
   * leechers only. Each family's lists are a ring (leechers, then seeders) read from a random
   * starting point: O(want) bytes copied, no walk over the swarm. `want` is shared between
   * the families in proportion to their sizes.
   */
  select(requester: Peer, slot: HashSlot, want: number, onlyLeechers: boolean, withPeerIds = false): Selection {
    const [v4, v6] = this.lists[slot];
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

  private listIn(peer: Peer, slot: HashSlot, family: 4 | 6): void {
    const address = peer.addressOf(family);
    if (address !== null) this.lists[slot][family === 4 ? 0 : 1].listOf(peer).push(peer, address);
  }

  private unlistAll(peer: Peer): void {
    for (const slot of [HASH_V1, HASH_V2] as const) {
      if ((peer.hashes & (slot === HASH_V1 ? 1 : 2)) === 0) continue;
      if (peer.addr4 !== null) this.lists[slot][0].listOf(peer).remove(peer);
      if (peer.addr6 !== null) this.lists[slot][1].listOf(peer).remove(peer);
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

/** Ring position of the requester in these lists, or -1. */
function requesterPosition(lists: FamilyLists, onlyLeechers: boolean, requester: Peer): number {
  const index = requester.indexIn(lists.leechers.family, lists.leechers.slot);
  if (index < 0 || !requester.active) return -1;
  if (!requester.seeder) return lists.leechers.peers[index] === requester ? index : -1;
  if (onlyLeechers) return -1;
  return lists.seeders.peers[index] === requester ? lists.leechers.length + index : -1;
}

function ringSize(lists: FamilyLists, onlyLeechers: boolean, requester: Peer): number {
  const total = lists.leechers.length + (onlyLeechers ? 0 : lists.seeders.length);
  return requesterPosition(lists, onlyLeechers, requester) >= 0 ? total - 1 : total;
}

function readRing(lists: FamilyLists, onlyLeechers: boolean, requester: Peer, want: number, ids: string[] | undefined): Buffer {
  if (want <= 0) return EMPTY;
  const stride = lists.leechers.stride;
  const total = lists.leechers.length + (onlyLeechers ? 0 : lists.seeders.length);
  const skip = requesterPosition(lists, onlyLeechers, requester);
  const out = Buffer.allocUnsafe(want * stride);
  let written = 0;
  let position = Math.floor(Math.random() * total);
  while (written < want) {
    // the longest run from `position` inside one list, stopping before the requester
    const inLeechers = position < lists.leechers.length;
    const list = inLeechers ? lists.leechers : lists.seeders;
    const start = inLeechers ? position : position - lists.leechers.length;
    let run = Math.min(want - written, list.length - start);
    if (skip >= position && skip < position + run) run = skip - position;
    if (run > 0) {
      list.buf.copy(out, written * stride, start * stride, (start + run) * stride);
      if (ids) for (let i = 0; i < run; i++) ids.push(list.peers[start + i].peerId);
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
