// In-memory peers of one release, keyed by (user, peer_id): the accounting identity of
// PROTOCOL.md. A hybrid torrent (BEP 52) is announced under two hashes; peers connect with
// the hash they announced, so each announced hash has its own peer lists, while credit,
// snatches and counts stay per (user, release, peer_id), once. A dual-stack client (BEP 7)
// is one peer with both an IPv4 and an IPv6 address.
//
// Memory: addresses and peer ids are latin1 strings (one char per byte) in the compact
// BEP 23 / BEP 7 forms (6 and 18 bytes), written straight into replies (peer.ts and
// address-list.ts say what a peer costs).

import { AddressList, EMPTY } from './address-list.js';
import { HASH_V1, HASH_V2, type HashSlot, type Peer } from './peer.js';

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
   * the families in proportion to their sizes, or all given to `onlyFamily`.
   */
  select(requester: Peer, slot: HashSlot, want: number, onlyLeechers: boolean, withPeerIds = false, onlyFamily?: 4 | 6): Selection {
    const v4 = onlyFamily === 6 ? null : this.lists[slot * 2];
    const v6 = onlyFamily === 4 ? null : this.lists[slot * 2 + 1];
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
