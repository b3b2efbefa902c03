// In-memory peers of one release, keyed by (user, peer_id): the accounting identity of
// docs/accounting.md. A hybrid torrent (BEP 52) is announced under two hashes; peers connect with
// the hash they announced, so each announced hash has its own peer lists, while credit,
// snatches and counts stay per (user, release, peer_id), once. A dual-stack client (BEP 7)
// is one peer with both an IPv4 and an IPv6 address.
//
// Memory: most releases have a handful of peers, and a Map's hash table costs ~75 B per
// peer at ten peers; so a swarm keeps its records in a plain array scanned linearly, and
// switches to Maps only past SMALL_SWARM records (peer.ts says what a peer costs).

import { AddressList, EMPTY } from './address-list.js';
import type { MemberPeerCounts } from './member-peers.js';
import { HASH_V1, HASH_V2, type HashSlot, type Peer } from './peer.js';

export interface Selection {
  compact4: Buffer;
  compact6: Buffer;
  /** peer ids (latin1) in the order of the entries, only when asked for (compact=0) */
  peerIds4?: string[];
  peerIds6?: string[];
}

export const NO_PEERS: Selection = { compact4: EMPTY, compact6: EMPTY };

/**
 * Up to this many records, a lookup scans an array (cheaper than hashing a 20-char key at
 * this size, and ~60 B per peer smaller); past it, Maps. Back to the array at half of it, so
 * a swarm hovering at the threshold does not convert on every announce.
 */
export const SMALL_SWARM = 24;

/** A member's records in a large swarm (small swarms count by scanning their array). */
interface MemberTally {
  active: number;
  records: number;
}

export class Swarm {
  /** every record while the swarm is small; null once it uses the Maps */
  private small: Peer[] | null = [];
  /**
   * Large swarms: keyed by peer_id alone (no string building per announce); the rare second
   * member using the same peer_id goes to `shared`, keyed by user and peer_id.
   */
  private byPeerId: Map<string, Peer> | null = null;
  private shared: Map<string, Peer> | null = null;
  /** large swarms only: each member's active peers and records here */
  private tallies: Map<number, MemberTally> | null = null;
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

  constructor(
    readonly releaseId: number,
    /** active peers per member across swarms, shared by the engine's swarms */
    private readonly members: MemberPeerCounts | null = null,
  ) {}

  static keyOf(userId: number, peerId: string): string {
    return userId + ':' + peerId;
  }

  get(userId: number, peerId: string): Peer | undefined {
    if (this.small !== null) return findIn(this.small, userId, peerId);
    const peer = this.byPeerId!.get(peerId);
    if (peer !== undefined && peer.userId === userId) return peer;
    // also when byPeerId has no entry: its first holder may have been forgotten
    return this.shared?.get(Swarm.keyOf(userId, peerId));
  }

  /**
   * Adds a new record; one already kept for the same (user, peer_id) is forgotten first, and
   * so is the member's oldest baseline (stopped or expired record) here past `maxBaselines`.
   */
  add(peer: Peer, maxBaselines = Number.POSITIVE_INFINITY): void {
    const existing = this.get(peer.userId, peer.peerId);
    if (existing !== undefined) this.forget(existing);
    if (this.small !== null && this.small.length < SMALL_SWARM) this.small.push(peer);
    else {
      if (this.small !== null) this.toMaps();
      this.addToMaps(peer);
    }
    if (this.baselinesBesides(peer) > maxBaselines) this.forgetOldestBaseline(peer);
  }

  /** Active peers of a member in this swarm. */
  activeOf(userId: number): number {
    if (this.small === null) return this.tallies!.get(userId)?.active ?? 0;
    let count = 0;
    for (const peer of this.small) if (peer.userId === userId && peer.active) count++;
    return count;
  }

  /** Inactive records of `peer`'s member here, `peer` itself not counted. */
  private baselinesBesides(peer: Peer): number {
    if (this.small === null) {
      const tally = this.tallies!.get(peer.userId);
      return tally ? tally.records - tally.active - (peer.active ? 0 : 1) : 0;
    }
    let count = 0;
    for (const other of this.small) if (other.userId === peer.userId && !other.active && other !== peer) count++;
    return count;
  }

  private forgetOldestBaseline(kept: Peer): void {
    let oldest: Peer | null = null;
    for (const peer of this.all()) {
      if (peer === kept || peer.userId !== kept.userId || peer.active) continue;
      if (oldest === null || peer.lastSeen < oldest.lastSeen) oldest = peer;
    }
    if (oldest !== null) this.forget(oldest);
  }

  /**
   * Every record, active or kept as a baseline. The caller may forget the record it was
   * just given (the sweep does): the array is walked from the end, so the swap-remove of
   * the current record only moves one already visited; a Map iterator tolerates deletes.
   */
  *all(): IterableIterator<Peer> {
    const small = this.small;
    if (small !== null) {
      for (let i = small.length - 1; i >= 0; i--) if (i < small.length) yield small[i];
      return;
    }
    // both Maps read now: forgetting may turn them back into an array as we go
    const shared = this.shared;
    yield* this.byPeerId!.values();
    if (shared) yield* shared.values();
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
    const tally = this.tallies?.get(peer.userId);
    if (tally !== undefined) tally.active += delta;
  }

  /** Forgets a peer entirely (retention over): its counter slot goes back to the slab. */
  forget(peer: Peer): void {
    this.deactivate(peer);
    peer.releaseCounters();
    if (this.small !== null) {
      removeFrom(this.small, peer);
      return;
    }
    const key = Swarm.keyOf(peer.userId, peer.peerId);
    if (this.byPeerId!.get(peer.peerId) === peer) this.byPeerId!.delete(peer.peerId);
    else if (this.shared?.get(key) === peer) this.shared.delete(key);
    else return; // not one of ours
    const tally = this.tallies!.get(peer.userId)!;
    if (--tally.records === 0) this.tallies!.delete(peer.userId);
    if (this.size <= SMALL_SWARM / 2) this.toArray();
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

  get size(): number {
    if (this.small !== null) return this.small.length;
    return this.byPeerId!.size + (this.shared?.size ?? 0);
  }

  /** Whether lookups scan the array (tests check the switch-over). */
  get usesMaps(): boolean {
    return this.small === null;
  }

  private toMaps(): void {
    const records = this.small!;
    this.small = null;
    this.byPeerId = new Map();
    this.tallies = new Map();
    for (const peer of records) this.addToMaps(peer);
  }

  private toArray(): void {
    const records = [...this.byPeerId!.values()];
    if (this.shared) records.push(...this.shared.values());
    this.byPeerId = null;
    this.shared = null;
    this.tallies = null;
    this.small = records;
  }

  private addToMaps(peer: Peer): void {
    const byPeerId = this.byPeerId!;
    if (!byPeerId.has(peer.peerId)) byPeerId.set(peer.peerId, peer);
    else (this.shared ??= new Map()).set(Swarm.keyOf(peer.userId, peer.peerId), peer);
    const tally = this.tallies!.get(peer.userId);
    if (tally === undefined) this.tallies!.set(peer.userId, { active: peer.active ? 1 : 0, records: 1 });
    else {
      tally.records++;
      if (peer.active) tally.active++;
    }
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

/** Record of (user, peer_id) in a small swarm: the user id (a Smi) rules out most first. */
function findIn(records: Peer[], userId: number, peerId: string): Peer | undefined {
  for (let i = 0; i < records.length; i++) {
    const peer = records[i];
    if (peer.userId === userId && peer.peerId === peerId) return peer;
  }
  return undefined;
}

/** Swap-remove: order means nothing in the records array. */
function removeFrom(records: Peer[], peer: Peer): void {
  const index = records.indexOf(peer);
  if (index < 0) return;
  const last = records.pop()!;
  if (index < records.length) records[index] = last;
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
