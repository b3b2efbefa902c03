// In-memory peers of one release, keyed by (user, peer_id): the accounting identity of
// docs/accounting.md. A hybrid torrent (BEP 52) is announced under two hashes; peers connect with
// the hash they announced, so each announced hash has its own peer lists, while credit,
// snatches and counts stay per (user, release, peer_id), once. A dual-stack client (BEP 7)
// is one peer with both an IPv4 and an IPv6 address.
//
// The records themselves (lookup by identity, the array/Map switch) are SwarmRecords
// (swarm-records.ts); a swarm adds the address lists per announced hash and family, the
// seeder and leecher counts, and the peer selection.

import { AddressList, EMPTY } from './address-list.js';
import type { MemberPeerCounts } from './member-peers.js';
import { HASH_V1, HASH_V2, type HashSlot, type Peer } from './peer.js';
import { SwarmRecords } from './swarm-records.js';

export { SMALL_SWARM } from './swarm-records.js';

export interface Selection {
  compact4: Buffer;
  compact6: Buffer;
  /** peer ids (latin1) in the order of the entries, only when asked for (compact=0) */
  peerIds4?: string[];
  peerIds6?: string[];
}

export const NO_PEERS: Selection = { compact4: EMPTY, compact6: EMPTY };

export class Swarm extends SwarmRecords {
  /**
   * Lists per (hash, family), null until a peer of that hash and family is listed. Four
   * fields rather than an array of four: an array costs 80 B per swarm, fields 32.
   */
  private list41: AddressList | null = null;
  private list61: AddressList | null = null;
  private list42: AddressList | null = null;
  private list62: AddressList | null = null;
  seeders = 0;
  leechers = 0;

  readonly releaseId: number;
  /** active peers per member across swarms, shared by the engine's swarms */
  private readonly members: MemberPeerCounts | null;

  constructor(
    releaseId: number,
    members: MemberPeerCounts | null = null,
  ) {
    super();
    this.releaseId = releaseId;
    this.members = members;
  }

  /**
   * Adds a new record; one already kept for the same (user, peer_id) is forgotten first, and
   * so is the member's oldest baseline (stopped or expired record) here past `maxBaselines`.
   */
  add(peer: Peer, maxBaselines = Number.POSITIVE_INFINITY): void {
    const existing = this.get(peer.userId, peer.peerId);
    if (existing !== undefined) this.forget(existing);
    this.addRecord(peer);
    if (this.baselinesBesides(peer) > maxBaselines) this.forgetOldestBaseline(peer);
  }

  private forgetOldestBaseline(kept: Peer): void {
    let oldest: Peer | null = null;
    for (const peer of this.all()) {
      if (peer === kept || peer.userId !== kept.userId || peer.active) continue;
      if (oldest === null || peer.lastSeen < oldest.lastSeen) oldest = peer;
    }
    if (oldest !== null) this.forget(oldest);
  }

  /** Puts a peer in the swarm (counted) and in the lists of the hash it announced. */
  activate(peer: Peer, slot: HashSlot): void {
    if (!peer.active) {
      peer.active = true;
      if (peer.seeder) this.seeders++;
      else this.leechers++;
      this.countActive(peer, 1);
    }
    const bit = slot === HASH_V1 ? 1 : 2;
    if ((peer.hashes & bit) === 0) {
      peer.hashes |= bit;
      this.listIn(peer, slot, 4);
      this.listIn(peer, slot, 6);
    }
  }

  /**
   * The address of a family, from each announce (a moved peer's new IP or port included).
   * A peer's first address of a family also puts it in that family's lists of the hashes
   * it is listed under; a moved peer's packed copies are rewritten.
   */
  setIPv4(peer: Peer, ip: number | null, port: number): void {
    if (ip === null || peer.hasIPv4(ip, port)) return;
    const known = peer.hasAddress(4);
    peer.setIPv4(ip, port);
    this.addressChanged(peer, 4, known);
  }

  setIPv6(peer: Peer, compact: string | null): void {
    if (compact === null || compact === peer.addr6) return;
    const known = peer.hasAddress(6);
    peer.setIPv6(compact);
    this.addressChanged(peer, 6, known);
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
    this.countActive(peer, -1);
  }

  private countActive(peer: Peer, delta: 1 | -1): void {
    this.members?.change(peer.userId, delta);
    this.tallyActive(peer.userId, delta);
  }

  /** Forgets a peer entirely (retention over): its counter slot goes back to the slab. */
  forget(peer: Peer): void {
    this.deactivate(peer);
    peer.releaseCounters();
    this.removeRecord(peer);
  }

  /**
   * Up to `want` addresses of peers that announced `slot`, never the requester; seeders get
   * leechers only. Each family's list is a ring (leechers, then seeders) read from a random
   * starting point: O(want) work, no walk over the swarm. `want` is shared between
   * the families in proportion to their sizes, or all given to `onlyFamily`.
   */
  select(requester: Peer, slot: HashSlot, want: number, onlyLeechers: boolean, withPeerIds = false, onlyFamily?: 4 | 6): Selection {
    const v4 = onlyFamily === 6 ? null : slot === HASH_V1 ? this.list41 : this.list42;
    const v6 = onlyFamily === 4 ? null : slot === HASH_V1 ? this.list61 : this.list62;
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

  private listFor(slot: HashSlot, family: 4 | 6): AddressList {
    if (slot === HASH_V1) {
      if (family === 4) return (this.list41 ??= new AddressList(4, HASH_V1));
      return (this.list61 ??= new AddressList(6, HASH_V1));
    }
    if (family === 4) return (this.list42 ??= new AddressList(4, HASH_V2));
    return (this.list62 ??= new AddressList(6, HASH_V2));
  }

  private listIn(peer: Peer, slot: HashSlot, family: 4 | 6): void {
    if (peer.hasAddress(family)) this.listFor(slot, family).push(peer);
  }

  private addressChanged(peer: Peer, family: 4 | 6, known: boolean): void {
    if ((peer.hashes & 1) !== 0) this.addressChangedIn(peer, HASH_V1, family, known);
    if ((peer.hashes & 2) !== 0) this.addressChangedIn(peer, HASH_V2, family, known);
  }

  private addressChangedIn(peer: Peer, slot: HashSlot, family: 4 | 6, known: boolean): void {
    const list = this.listFor(slot, family);
    if (known) list.rewrite(peer);
    else list.push(peer);
  }

  private unlistAll(peer: Peer): void {
    for (const slot of [HASH_V1, HASH_V2] as const) {
      if ((peer.hashes & (slot === HASH_V1 ? 1 : 2)) === 0) continue;
      if (peer.hasAddress(4)) this.listFor(slot, 4).remove(peer);
      if (peer.hasAddress(6)) this.listFor(slot, 6).remove(peer);
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

/** Whether the requester is one of the ring's entries (then it is skipped). */
function inRing(list: AddressList, onlyLeechers: boolean, requester: Peer): boolean {
  const index = requester.indexIn(list.family, list.slot);
  if (index < 0 || !requester.active || index >= ringEnd(list, onlyLeechers)) return false;
  return list.peers[index] === requester;
}

function ringSize(list: AddressList | null, onlyLeechers: boolean, requester: Peer): number {
  if (list === null) return 0;
  const total = ringEnd(list, onlyLeechers);
  return inRing(list, onlyLeechers, requester) ? total - 1 : total;
}

/** `want` entries read as a ring from a random start, skipping the requester: O(want) work. */
function readRing(list: AddressList | null, onlyLeechers: boolean, requester: Peer, want: number, ids: string[] | undefined): Buffer {
  if (want <= 0 || list === null) return EMPTY;
  const out = Buffer.allocUnsafe(want * list.stride);
  const start = Math.floor(Math.random() * ringEnd(list, onlyLeechers));
  if (list.buf !== null) copyRuns(list, list.buf, onlyLeechers, requester, start, out, ids);
  else writeEach(list, onlyLeechers, requester, start, out, ids);
  return out;
}

/** A packed list: the longest runs between the ring's end and the requester, memory copies. */
function copyRuns(list: AddressList, buf: Buffer, onlyLeechers: boolean, requester: Peer, start: number, out: Buffer, ids: string[] | undefined): void {
  const stride = list.stride;
  const want = out.length / stride;
  const total = ringEnd(list, onlyLeechers);
  const skip = inRing(list, onlyLeechers, requester) ? requester.indexIn(list.family, list.slot) : -1;
  let written = 0;
  let position = start;
  while (written < want) {
    let run = Math.min(want - written, total - position);
    if (skip >= position && skip < position + run) run = skip - position;
    if (run > 0) {
      buf.copy(out, written * stride, position * stride, (position + run) * stride);
      if (ids) for (let i = 0; i < run; i++) ids.push(list.peers[position + i].peerId);
      written += run;
      position += run;
    }
    if (position === skip) position++;
    if (position >= total) position = 0;
  }
}

/** A small list: each entry written from the peer's fields (want <= ringSize, so this ends). */
function writeEach(list: AddressList, onlyLeechers: boolean, requester: Peer, start: number, out: Buffer, ids: string[] | undefined): void {
  const stride = list.stride;
  const total = ringEnd(list, onlyLeechers);
  const peers = list.peers;
  let position = start;
  for (let offset = 0; offset < out.length; ) {
    const peer = peers[position];
    if (peer !== requester) {
      list.writeEntry(position, out, offset);
      if (ids) ids.push(peer.peerId);
      offset += stride;
    }
    if (++position === total) position = 0;
  }
}
