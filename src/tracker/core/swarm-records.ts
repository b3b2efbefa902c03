// The records of one swarm, keyed by (user, peer_id): the accounting identity of
// docs/accounting.md, active peers and baselines alike. Swarm (swarm.ts) extends it with the
// address lists and the counts; one object per swarm, so the split costs no memory.
//
// Memory: most releases have a handful of peers, and a Map's hash table costs ~75 B per
// peer at ten peers; so the records are a plain array scanned linearly, switching to Maps
// only past SMALL_SWARM records (peer.ts says what a peer costs).
import type { Peer } from './peer.js';

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

export class SwarmRecords {
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

  static keyOf(userId: number, peerId: string): string {
    return userId + ':' + peerId;
  }

  get(userId: number, peerId: string): Peer | undefined {
    if (this.small !== null) return findIn(this.small, userId, peerId);
    const peer = this.byPeerId!.get(peerId);
    if (peer !== undefined && peer.userId === userId) return peer;
    // also when byPeerId has no entry: its first holder may have been forgotten
    return this.shared?.get(SwarmRecords.keyOf(userId, peerId));
  }

  /** Active peers of a member in this swarm. */
  activeOf(userId: number): number {
    if (this.small === null) return this.tallies!.get(userId)?.active ?? 0;
    let count = 0;
    for (const peer of this.small) if (peer.userId === userId && peer.active) count++;
    return count;
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

  get size(): number {
    if (this.small !== null) return this.small.length;
    return this.byPeerId!.size + (this.shared?.size ?? 0);
  }

  /** Whether lookups scan the array (tests check the switch-over). */
  get usesMaps(): boolean {
    return this.small === null;
  }

  /** A new record; the caller has forgotten any other of the same (user, peer_id). */
  protected addRecord(peer: Peer): void {
    if (this.small !== null && this.small.length < SMALL_SWARM) this.small.push(peer);
    else {
      if (this.small !== null) this.toMaps();
      this.addToMaps(peer);
    }
  }

  /** Removes an inactive record (no-op when it is not one of ours). */
  protected removeRecord(peer: Peer): void {
    if (this.small !== null) {
      removeFrom(this.small, peer);
      return;
    }
    const key = SwarmRecords.keyOf(peer.userId, peer.peerId);
    if (this.byPeerId!.get(peer.peerId) === peer) this.byPeerId!.delete(peer.peerId);
    else if (this.shared?.get(key) === peer) this.shared.delete(key);
    else return; // not one of ours
    const tally = this.tallies!.get(peer.userId)!;
    if (--tally.records === 0) this.tallies!.delete(peer.userId);
    if (this.size <= SMALL_SWARM / 2) this.toArray();
  }

  /** A record became active (1) or inactive (-1): large swarms keep the member's tally. */
  protected tallyActive(userId: number, delta: 1 | -1): void {
    const tally = this.tallies?.get(userId);
    if (tally !== undefined) tally.active += delta;
  }

  /** Inactive records of `peer`'s member here, `peer` itself not counted. */
  protected baselinesBesides(peer: Peer): number {
    if (this.small === null) {
      const tally = this.tallies!.get(peer.userId);
      return tally ? tally.records - tally.active - (peer.active ? 0 : 1) : 0;
    }
    let count = 0;
    for (const other of this.small) if (other.userId === peer.userId && !other.active && other !== peer) count++;
    return count;
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
    else (this.shared ??= new Map()).set(SwarmRecords.keyOf(peer.userId, peer.peerId), peer);
    const tally = this.tallies!.get(peer.userId);
    if (tally === undefined) this.tallies!.set(peer.userId, { active: peer.active ? 1 : 0, records: 1 });
    else {
      tally.records++;
      if (peer.active) tally.active++;
    }
  }
}

/** Record of (user, peer_id) in a small swarm: the user id (a Smi) rules out most first. */
function findIn(records: Peer[], userId: number, peerId: string): Peer | undefined {
  for (let i = 0; i < records.length; i++) {
    const peer = records[i];
    if (peer.userId === userId && peer.hasPeerId(peerId)) return peer;
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
