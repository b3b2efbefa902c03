// Merged deltas waiting for the next flush (one transaction, src/db/tracker-store.ts).
// Announces only add to in-memory tables (members', transfers' and daily byte deltas in
// typed-array columns, ledger-rows.ts); `take()` hands everything to the flusher and starts
// empty ones. A batch whose flush failed may still have committed (the COMMIT went through and
// only its acknowledgement was lost), so it is held as is, "in doubt" (`hold()`), and written
// again under the same batch id before anything newer: the database then tells whether it is
// already in (src/db/tracker-store.ts), so nothing is lost and nothing is counted twice.
//
// Peers are kept by reference: the row written is the peer's state at `take()` time, which
// is exactly the state matching the credited deltas in the same batch (announces are
// synchronous). That pairing is what makes a kill -9 neither lose nor double a byte.
import { randomUUID } from 'node:crypto';
import type { Peer } from './peer.js';
import { TrafficRows, TransferRows, type Traffic } from './ledger-rows.js';

export { TrafficRows, TransferRows, type Traffic, type TransferDelta } from './ledger-rows.js';

export interface SnatchRow {
  userId: number;
  releaseId: number;
  at: number;
}

export interface PeerRow {
  userId: number;
  releaseId: number;
  peerId: Buffer;
  ipv4: string | null;
  ipv6: string | null;
  port: number;
  uploaded: bigint;
  downloaded: bigint;
  left: bigint;
  client: string;
  key: string | null;
  seeder: boolean;
  active: boolean;
  lastAnnounceAt: number;
}

export interface ReleaseCounts {
  releaseId: number;
  seeders: number;
  leechers: number;
}

export interface LedgerBatch {
  /** written with the batch (ledger_batches): a retried batch that already committed is skipped */
  id: string;
  /** by (user, 0) */
  users: TrafficRows;
  /** by (user, release) */
  transfers: TransferRows;
  /** by (user, UTC day number: days since 1970-01-01) */
  daily: TrafficRows;
  snatches: Map<string, SnatchRow>;
  peers: Set<Peer>;
  releases: Set<number>;
  /** snapshots taken by take(): what the flush writes */
  peerRows: PeerRow[];
  releaseRows: ReleaseCounts[];
}

/** What one announce adds to the books. */
export interface AnnounceEntry {
  peer: Peer;
  credited: Traffic;
  now: number;
  seedtime: number;
  snatched: boolean;
}

const ZERO = 0n;
const DAY_MS = 86_400_000;

export class Ledger {
  private users = new TrafficRows();
  private transfers = new TransferRows();
  private daily = new TrafficRows();
  private snatches = new Map<string, SnatchRow>();
  private peers = new Set<Peer>();
  private releases = new Set<number>();
  private doubtful: LedgerBatch | null = null;

  /**
   * Entries waiting for the database (bounded by config.maxPendingDeltas). Release counts
   * are not among them: they are absolute values read from the swarms when written, not
   * deltas, so leaving them for a later flush loses nothing (see take()).
   */
  get pending(): number {
    return this.fresh + (this.doubtful === null ? 0 : sizeOf(this.doubtful));
  }

  /** Entries recorded since the last take() (the batch in doubt not counted). */
  get fresh(): number {
    return this.users.size + this.transfers.size + this.daily.size + this.snatches.size + this.peers.size;
  }

  /** The batch whose flush failed without telling whether it committed, if any. */
  get inDoubt(): LedgerBatch | null {
    return this.doubtful;
  }

  /**
   * Keeps a batch whose flush failed, unmerged: merging it into newer deltas would give it a
   * new id (applied twice if the first attempt did commit) and its older peer rows could
   * overwrite newer baselines. The flusher retries it first, then settles it.
   */
  hold(batch: LedgerBatch): void {
    this.doubtful = batch;
  }

  settle(): void {
    this.doubtful = null;
  }

  /** Releases whose seeder/leecher counts changed since they were last handed out. */
  get countsPending(): number {
    return this.releases.size;
  }

  record(entry: AnnounceEntry): void {
    const { peer, credited, now } = entry;
    this.peers.add(peer);
    this.releases.add(peer.releaseId);
    const moved = credited.up !== ZERO || credited.down !== ZERO || credited.upActual !== ZERO || credited.downActual !== ZERO;
    if (moved) {
      this.users.add(this.users.upsert(peer.userId, 0), credited);
      this.daily.add(this.daily.upsert(peer.userId, Math.floor(now / DAY_MS)), credited);
    }
    const transfers = this.transfers;
    const row = transfers.upsert(peer.userId, peer.releaseId);
    if (moved) transfers.add(row, credited);
    transfers.seedtime[row] += entry.seedtime;
    transfers.setState(row, peer.active && peer.seeder, peer.active && !peer.seeder);
    transfers.lastAnnounceAt[row] = now;
    if (entry.snatched) {
      if (transfers.completedAt[row] === 0) transfers.completedAt[row] = now;
      const key = peer.userId + ':' + peer.releaseId;
      if (!this.snatches.has(key)) this.snatches.set(key, { userId: peer.userId, releaseId: peer.releaseId, at: now });
    }
  }

  /** The release row's counts differ from the live ones (found at start): write them. */
  touchRelease(releaseId: number): void {
    this.releases.add(releaseId);
  }

  /** A peer changed without an announce (expiry): persist its row and the release counts. */
  touchPeer(peer: Peer): void {
    this.peers.add(peer);
    this.releases.add(peer.releaseId);
  }

  /**
   * Hands everything pending to the flusher. `counts` reads a release's live counts; with
   * null the releases' counts stay pending for a later take(). Writing releases.seeders and
   * .leechers is by far the dearest row of a flush (a release row carries every browse
   * index, the trigram one included, and a count change rewrites them all), and the books
   * do not depend on it, so the flusher writes counts on a slower cadence than credit.
   * `snapshot` false leaves peerRows empty, for a caller that snapshots each part itself
   * (partsOneByOne, when no announce can come in between).
   */
  take(counts: ((releaseId: number) => { seeders: number; leechers: number }) | null, snapshot = true): LedgerBatch {
    const releases = counts === null ? new Set<number>() : this.releases;
    const batch: LedgerBatch = {
      id: randomUUID(),
      users: this.users,
      transfers: this.transfers,
      daily: this.daily,
      snatches: this.snatches,
      peers: this.peers,
      releases,
      peerRows: snapshot ? [...this.peers].map(peerRow) : [],
      releaseRows: counts === null ? [] : [...releases].map((releaseId) => ({ releaseId, ...counts(releaseId) })),
    };
    // sized like the batch just taken: the next one is likely as big, and grows no more
    this.users = new TrafficRows(batch.users.size);
    this.transfers = new TransferRows(batch.transfers.size);
    this.daily = new TrafficRows(batch.daily.size);
    this.snatches = new Map();
    this.peers = new Set();
    if (counts !== null) this.releases = new Set();
    return batch;
  }

  /**
   * Up to `limit` releases whose counts are waiting, no longer waiting: the flusher writes
   * their live counts in bounded statements of their own (the counts are absolute values,
   * so they need not share the credit's transaction), and gives back with touchRelease()
   * what it could not write.
   */
  takeReleases(limit: number): number[] {
    const ids: number[] = [];
    for (const id of this.releases) {
      if (ids.length >= limit) break;
      ids.push(id);
    }
    for (const id of ids) this.releases.delete(id);
    return ids;
  }

  /** Gives a batch whose flush failed back, merged under what arrived since. */
  restore(batch: LedgerBatch): void {
    this.users.merge(batch.users);
    this.daily.merge(batch.daily);
    this.transfers.merge(batch.transfers);
    for (const [key, s] of batch.snatches) if (!this.snatches.has(key)) this.snatches.set(key, s);
    // A peer announced since take() is already here with newer state; one that was not has
    // not changed since, so its current state is the snapshot that failed.
    for (const peer of batch.peers) this.peers.add(peer);
    for (const id of batch.releases) this.releases.add(id);
  }

  isEmpty(): boolean {
    return this.pending === 0 && this.releases.size === 0;
  }
}

function sizeOf(batch: LedgerBatch): number {
  return batch.users.size + batch.transfers.size + batch.daily.size + batch.snatches.size + batch.peers.size;
}

/** A peer's row as the flush writes it: its state now. */
export function peerRow(peer: Peer): PeerRow {
  return {
    userId: peer.userId,
    releaseId: peer.releaseId,
    peerId: Buffer.from(peer.peerId, 'latin1'),
    ipv4: peer.ipv4Text(),
    ipv6: peer.addr6 === null ? null : addressText(peer.addr6),
    port: peer.port,
    uploaded: peer.uploaded,
    downloaded: peer.downloaded,
    left: peer.left,
    client: peer.client,
    key: peer.key,
    seeder: peer.seeder,
    active: peer.active,
    lastAnnounceAt: peer.lastSeen,
  };
}

function addressText(compact: string): string {
  if (compact.length === 6) return `${compact.charCodeAt(0)}.${compact.charCodeAt(1)}.${compact.charCodeAt(2)}.${compact.charCodeAt(3)}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((compact.charCodeAt(i) << 8) | compact.charCodeAt(i + 1)).toString(16));
  return groups.join(':');
}
