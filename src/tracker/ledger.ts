// Merged deltas waiting for the next flush (one transaction, src/db/tracker-store.ts).
// Announces only add to in-memory maps; `take()` hands everything to the flusher and starts
// empty maps; a failed flush gives its batch back with `restore()`, merged with what arrived
// meanwhile, so nothing is lost and nothing is counted twice.
//
// Peers are kept by reference: the row written is the peer's state at `take()` time, which
// is exactly the state matching the credited deltas in the same batch (announces are
// synchronous). That pairing is what makes a kill -9 neither lose nor double a byte.
import type { Peer } from './peer.js';

export interface Traffic {
  up: bigint;
  down: bigint;
  upActual: bigint;
  downActual: bigint;
}

export interface TransferDelta extends Traffic {
  userId: number;
  releaseId: number;
  /** seconds */
  seedtime: number;
  seeding: boolean;
  leeching: boolean;
  lastAnnounceAt: number;
  completedAt: number | null;
}

export interface DailyDelta extends Traffic {
  userId: number;
  /** YYYY-MM-DD (UTC) */
  day: string;
}

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
  users: Map<number, Traffic>;
  transfers: Map<string, TransferDelta>;
  daily: Map<string, DailyDelta>;
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
  private users = new Map<number, Traffic>();
  private transfers = new Map<string, TransferDelta>();
  private daily = new Map<string, DailyDelta>();
  private snatches = new Map<string, SnatchRow>();
  private peers = new Set<Peer>();
  private releases = new Set<number>();
  private dayNumber = -1;
  private dayText = '';

  /**
   * Entries waiting for the database (bounded by config.maxPendingDeltas). Release counts
   * are not among them: they are absolute values read from the swarms when written, not
   * deltas, so leaving them for a later flush loses nothing (see take()).
   */
  get pending(): number {
    return this.users.size + this.transfers.size + this.daily.size + this.snatches.size + this.peers.size;
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
      addTraffic(this.userDelta(peer.userId), credited);
      addTraffic(this.dailyDelta(peer.userId, now), credited);
    }
    const transfer = this.transferDelta(peer.userId, peer.releaseId, now);
    if (moved) addTraffic(transfer, credited);
    transfer.seedtime += entry.seedtime;
    transfer.seeding = peer.active && peer.seeder;
    transfer.leeching = peer.active && !peer.seeder;
    transfer.lastAnnounceAt = now;
    if (entry.snatched) {
      transfer.completedAt ??= now;
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
   */
  take(counts: ((releaseId: number) => { seeders: number; leechers: number }) | null): LedgerBatch {
    const releases = counts === null ? new Set<number>() : this.releases;
    const batch: LedgerBatch = {
      users: this.users,
      transfers: this.transfers,
      daily: this.daily,
      snatches: this.snatches,
      peers: this.peers,
      releases,
      peerRows: [...this.peers].map(peerRow),
      releaseRows: counts === null ? [] : [...releases].map((releaseId) => ({ releaseId, ...counts(releaseId) })),
    };
    this.users = new Map();
    this.transfers = new Map();
    this.daily = new Map();
    this.snatches = new Map();
    this.peers = new Set();
    if (counts !== null) this.releases = new Set();
    return batch;
  }

  /** Gives a batch whose flush failed back, merged under what arrived since. */
  restore(batch: LedgerBatch): void {
    for (const [id, t] of batch.users) addTraffic(this.userDelta(id), t);
    for (const [key, t] of batch.daily) {
      const current = this.daily.get(key);
      if (current) addTraffic(current, t);
      else this.daily.set(key, t);
    }
    for (const [key, t] of batch.transfers) this.mergeTransfer(key, t);
    for (const [key, s] of batch.snatches) if (!this.snatches.has(key)) this.snatches.set(key, s);
    // A peer announced since take() is already here with newer state; one that was not has
    // not changed since, so its current state is the snapshot that failed.
    for (const peer of batch.peers) this.peers.add(peer);
    for (const id of batch.releases) this.releases.add(id);
  }

  isEmpty(): boolean {
    return this.pending === 0 && this.releases.size === 0;
  }

  private mergeTransfer(key: string, older: TransferDelta): void {
    const current = this.transfers.get(key);
    if (!current) {
      this.transfers.set(key, older);
      return;
    }
    addTraffic(current, older);
    current.seedtime += older.seedtime;
    current.completedAt = older.completedAt ?? current.completedAt;
  }

  private userDelta(userId: number): Traffic {
    let delta = this.users.get(userId);
    if (!delta) {
      delta = { up: ZERO, down: ZERO, upActual: ZERO, downActual: ZERO };
      this.users.set(userId, delta);
    }
    return delta;
  }

  private dailyDelta(userId: number, now: number): DailyDelta {
    const day = this.dayOf(now);
    const key = userId + ':' + day;
    let delta = this.daily.get(key);
    if (!delta) {
      delta = { userId, day, up: ZERO, down: ZERO, upActual: ZERO, downActual: ZERO };
      this.daily.set(key, delta);
    }
    return delta;
  }

  private transferDelta(userId: number, releaseId: number, now: number): TransferDelta {
    const key = userId + ':' + releaseId;
    let delta = this.transfers.get(key);
    if (!delta) {
      delta = { userId, releaseId, up: ZERO, down: ZERO, upActual: ZERO, downActual: ZERO, seedtime: 0, seeding: false, leeching: false, lastAnnounceAt: now, completedAt: null };
      this.transfers.set(key, delta);
    }
    return delta;
  }

  private dayOf(now: number): string {
    const number = Math.floor(now / DAY_MS);
    if (number !== this.dayNumber) {
      this.dayNumber = number;
      this.dayText = new Date(number * DAY_MS).toISOString().slice(0, 10);
    }
    return this.dayText;
  }
}

function addTraffic(into: Traffic, delta: Traffic): void {
  into.up += delta.up;
  into.down += delta.down;
  into.upActual += delta.upActual;
  into.downActual += delta.downActual;
}

function peerRow(peer: Peer): PeerRow {
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
