// The tracker core: announce as a checklist of small named checks, then the accounting, the
// swarm update and the peer selection; scrape; the expiry sweep. No transport, no database
// (docs/architecture.md). BEP 3 (announce), BEP 7 (IPv6 peers), BEP 21 (paused), BEP 23
// (compact), BEP 48 (scrape), BEP 52 (v2 and hybrid hashes); accounting: docs/accounting.md.
import type { Clock } from '../../clock.js';
import type { Catalog, TrackerRelease, TrackerUser } from './catalog.js';
import { Ledger, type PeerRow, type Traffic } from './ledger.js';
import { isClientAllowed, type TrackerPolicy } from './tracker-policy.js';
import { HASH_V1, HASH_V2, Peer, type HashSlot } from './peer.js';
import { INT64_MAX } from '../../int64.js';
import { compactIPv6, parseIPv4 } from './address.js';
import { MemberPeerCounts } from './member-peers.js';
import { NO_PEERS, Swarm, type Selection } from './swarm.js';
import { AnnounceReply } from './reply.js';
import { reasonIn, type ReasonTable } from './reasons.js';
import { TrackerError, type AnnounceRequest, type ScrapeEntry, type TrackerCore } from './types.js';

export interface CoreOptions {
  catalog: Catalog;
  clock: Clock;
  policy: TrackerPolicy;
  /** announces are refused beyond this many pending ledger entries, while flushes fail */
  maxPendingDeltas: number;
  /**
   * True while the database is unreachable (the last flush failed). Only then does the
   * pending bound refuse announces: while flushes succeed, a burst that outruns them is
   * taken whole by the next flush, so what is pending stays bounded by the flush itself.
   * Without it (a core with no database behind it) the bound always applies.
   */
  flushesFailing?: () => boolean;
  /** baselines of stopped/expired peers are kept this long, ms */
  retentionMs: number;
  /** where a refused client's user reads which clients are allowed (the site's /rules#clients) */
  rulesUrl?: string;
  /** refusals in each language, made once from the catalogs (src/tracker/reason-texts.ts); absent: English only */
  reasons?: ReasonTable;
}

/** A persisted peer row, as loaded at start (src/db/tracker-store.ts): what the ledger wrote. */
export type StoredPeer = PeerRow;

export interface SweepTally {
  expired: number;
  forgotten: number;
}

export interface TrackerStats {
  peers: number;
  seeders: number;
  leechers: number;
  releasesWithPeers: number;
  /** peer records kept only as baselines (stopped or expired) */
  baselines: number;
}

const ZERO = 0n;
const NO_CREDIT: Traffic = { up: ZERO, down: ZERO, upActual: ZERO, downActual: ZERO };
/** account()'s answer for a new session: no credit, and a boundary (announce() compares by identity) */
const NEW_SESSION: Traffic = { up: ZERO, down: ZERO, upActual: ZERO, downActual: ZERO };
const resolved = Promise.resolve();
/** margin past 1.5 intervals before a silent peer is dropped */
const EXPIRY_MARGIN_MS = 120_000;

export class TrackerEngine implements TrackerCore {
  readonly ledger = new Ledger();
  readonly swarms = new Map<number, Swarm>();
  /** active peers per member, kept by the swarms (the peer caps read it) */
  readonly memberPeers = new MemberPeerCounts();
  /** times completed per release (releases.snatched), loaded at start, raised by flushes */
  readonly completed = new Map<number, number>();
  private readonly clientNames = new Map<string, string>();
  /** where the next sweepSome() resumes; null: at the first swarm */
  private sweepCursor: Iterator<[number, Swarm]> | null = null;
  private sweepVisited = 0;
  /** peers looked at by the last finished sweep pass (the service sizes its slices by it) */
  lastSweepPass = 0;

  /**
   * The service's group commit (tracker-service.ts): resolves once what was recorded so far
   * has committed. Without one (specs of the core, the bench) no reply is marked to wait.
   */
  waitForFlush: (() => Promise<void>) | null = null;

  constructor(private readonly options: CoreOptions) {}

  durable(): Promise<void> {
    return this.waitForFlush === null ? resolved : this.waitForFlush();
  }

  get policy(): TrackerPolicy {
    return this.options.policy;
  }

  announce(request: AnnounceRequest): AnnounceReply {
    const user = this.checkPasskey(request.passkey);
    try {
      return this.announceAs(user, request);
    } catch (error) {
      // the passkey named the member: they read the refusal in their language
      if (error instanceof TrackerError) error.forMember(user.locale);
      throw error;
    }
  }

  reasonText(error: TrackerError): string {
    return reasonIn(this.options.reasons, this.options.policy.defaultLocale, error);
  }

  private announceAs(user: TrackerUser, request: AnnounceRequest): AnnounceReply {
    checkFields(request);
    const peerId = request.peerId.toString('latin1');
    this.checkClient(peerId);
    checkUser(user);
    const release = this.checkRelease(request.infoHash);
    this.checkCapacity();
    this.checkPeerCaps(user, release, peerId, request);
    const now = this.options.clock.now();
    const swarm = this.swarmOf(release.id);
    const slot = hashSlotOf(release, request.infoHash);
    const { peer, isNew } = this.peerFor(swarm, user, peerId, request);
    const wasActiveSeeder = peer.active && peer.seeder;
    const wasLeecher = !isNew && peer.left > ZERO;
    const early = this.isEarly(peer, request, slot, isNew);
    const credited = this.account(peer, release, request, isNew);
    const seedtime = this.seedtimeGap(peer, wasActiveSeeder, request, now);
    // BEP 3 `completed`, or a leecher that became a seeder without saying so
    const snatched = request.left === ZERO && (request.event === 'completed' || wasLeecher);
    this.updatePeer(swarm, peer, request, now, slot);
    const refusal = this.leechRefusal(user, request);
    this.updateSwarm(swarm, peer, request, slot, refusal !== null);
    this.ledger.record({ peer, credited, now, seedtime, snatched });
    // A new baseline, or an announce the client never repeats once answered: its reply waits
    // for the flush holding it (kill -9 safety; plain re-announces carry cumulative counters).
    const boundary = this.waitForFlush !== null && (credited === NEW_SESSION || (request.event !== '' && request.event !== 'paused'));
    if (refusal) {
      refusal.boundary = boundary;
      throw refusal;
    }
    const reply = this.reply(swarm, peer, request, slot, early);
    reply.boundary = boundary;
    return reply;
  }

  scrape(passkey: string, infoHashes: Buffer[]): ScrapeEntry[] {
    const user = this.checkPasskey(passkey);
    if (!user.enabled) throw TrackerError.of('accountDisabled', undefined, 3600).forMember(user.locale);
    const entries: ScrapeEntry[] = [];
    for (const infoHash of infoHashes) {
      const release = this.options.catalog.releaseByHash(infoHash);
      if (!release || release.deletedReason !== null) continue;
      const swarm = this.swarms.get(release.id);
      entries.push({ infoHash, complete: swarm?.seeders ?? 0, incomplete: swarm?.leechers ?? 0, downloaded: this.completed.get(release.id) ?? 0 });
    }
    return entries;
  }

  // --- the checklist ------------------------------------------------------------------

  private checkPasskey(passkey: string): TrackerUser {
    if (!/^[0-9a-f]{32}$/.test(passkey)) throw TrackerError.of('invalidPasskey');
    const user = this.options.catalog.userByPasskey(passkey);
    if (!user) throw TrackerError.of('unknownPasskey', undefined, 3600);
    return user;
  }

  private checkClient(peerId: string): void {
    if (!isClientAllowed(this.options.policy, peerId)) {
      const url = this.options.rulesUrl;
      throw url ? TrackerError.of('clientRefusedSee', url, 3600) : TrackerError.of('clientRefused', undefined, 3600);
    }
  }

  private checkRelease(infoHash: Buffer): TrackerRelease {
    const release = this.options.catalog.releaseByHash(infoHash);
    if (!release) throw TrackerError.of('unregistered', undefined, 3600);
    if (release.deletedReason !== null) {
      throw release.deletedReason ? TrackerError.of('unregisteredBecause', release.deletedReason, 3600) : TrackerError.of('unregistered', undefined, 3600);
    }
    return release;
  }

  /** The database has been away too long: refuse rather than lose deltas. */
  private checkCapacity(): void {
    if (this.ledger.pending < this.options.maxPendingDeltas) return;
    if (this.options.flushesFailing?.() ?? true) {
      throw TrackerError.of('busy', undefined, 300);
    }
  }

  /**
   * A peer that would join its swarm past the member's caps is refused before any
   * accounting. Peers already in the swarm, and `stopped` (which leaves it), always pass.
   */
  private checkPeerCaps(user: TrackerUser, release: TrackerRelease, peerId: string, request: AnnounceRequest): void {
    if (request.event === 'stopped') return;
    const swarm = this.swarms.get(release.id);
    if (swarm?.get(user.id, peerId)?.active) return;
    const policy = this.options.policy;
    const retry = policy.announceInterval;
    if (swarm && swarm.activeOf(user.id) >= policy.maxPeersPerRelease) {
      throw TrackerError.of('tooManyOnRelease', policy.maxPeersPerRelease, retry);
    }
    if (this.memberPeers.of(user.id) >= policy.maxPeersPerMember) {
      throw TrackerError.of('tooManyPeers', policy.maxPeersPerMember, retry);
    }
  }

  /** Refused after the accounting: the upload of a member without leech right still counts. */
  private leechRefusal(user: TrackerUser, request: AnnounceRequest): TrackerError | null {
    if (user.canLeech || request.left === ZERO || request.event === 'stopped') return null;
    return TrackerError.of('leechForbidden', undefined, this.options.policy.announceInterval);
  }

  /**
   * Inside min interval -> warning and no peers, still credited. Kept per (transport,
   * family, hash): a client announcing on the HTTP and the UDP tier (BEP 12), over IPv4 and
   * IPv6 (BEP 7), or a hybrid's two hashes (BEP 52) re-announces on each on its own timer.
   */
  private isEarly(peer: Peer, request: AnnounceRequest, slot: HashSlot, isNew: boolean): boolean {
    if (isNew || (request.event !== '' && request.event !== 'paused')) return false;
    const last = peer.seenAt(request.transport, request.family, slot);
    if (last === 0) return false; // first announce on this tier/family/hash
    return this.options.clock.now() - last < this.options.policy.minInterval * 1000;
  }

  // --- accounting (docs/accounting.md) ---------------------------------------------------

  private peerFor(swarm: Swarm, user: TrackerUser, peerId: string, request: AnnounceRequest): { peer: Peer; isNew: boolean } {
    const existing = swarm.get(user.id, peerId);
    if (existing) return { peer: existing, isNew: false };
    const peer = new Peer(user.id, swarm.releaseId, peerId, request.uploaded, request.downloaded, request.left);
    swarm.add(peer, this.options.policy.maxBaselinesPerRelease);
    return { peer, isNew: true };
  }

  /**
   * Deltas since the peer's baseline (its last reported totals). A new peer credits 0; a
   * counter that went down, or `started` from another client instance (another key), is a
   * new session: credit 0, returned as NEW_SESSION (docs/accounting.md). A `started` with the
   * same key and counters at or above the baseline is the same session announcing to another
   * tier (BEP 12: clients announce to every tier, and retry a timed-out UDP `started` later
   * with the counters they have by then): its delta is credited. A plain announce from the
   * same instance with lower counters is a stale report (a UDP retry built before the other
   * tier's newer announce, BEP 15): credit 0 and keep the baseline, or the bytes between the
   * two reports would be credited again.
   */
  private account(peer: Peer, release: TrackerRelease, request: AnnounceRequest, isNew: boolean): Traffic {
    const uploaded = peer.uploaded; // each read of a slab counter makes a BigInt: read once
    const downloaded = peer.downloaded;
    const lower = request.uploaded < uploaded || request.downloaded < downloaded;
    const same = sameInstance(peer, request);
    if (!isNew && lower && same && request.event !== 'started') return NO_CREDIT;
    const reset = isNew || lower || (request.event === 'started' && !same);
    peer.uploaded = request.uploaded;
    peer.downloaded = request.downloaded;
    if (reset) return NEW_SESSION;
    const upActual = request.uploaded - uploaded;
    const downActual = request.downloaded - downloaded;
    if (upActual === ZERO && downActual === ZERO) return NO_CREDIT;
    return this.creditFor(release, upActual, downActual);
  }

  /** Release modes and the site-wide switch; actual totals always get the raw delta. */
  private creditFor(release: TrackerRelease, up: bigint, down: bigint): Traffic {
    const siteFree = this.options.policy.siteFreeleech;
    switch (release.freeleech) {
      case 'neutral':
        return { up: ZERO, down: ZERO, upActual: up, downActual: down };
      case 'freeleech':
        return { up, down: ZERO, upActual: up, downActual: down };
      case 'double_upload':
        return { up: up * 2n, down: siteFree ? ZERO : down, upActual: up, downActual: down };
      default:
        return { up, down: siteFree ? ZERO : down, upActual: up, downActual: down };
    }
  }

  /** Seed time accrues between two consecutive seeding announces, a gap capped at 2 intervals. */
  private seedtimeGap(peer: Peer, wasActiveSeeder: boolean, request: AnnounceRequest, now: number): number {
    if (!wasActiveSeeder || request.left !== ZERO || peer.lastSeen === 0) return 0;
    const capMs = this.options.policy.announceInterval * 2000;
    return Math.floor(Math.min(Math.max(now - peer.lastSeen, 0), capMs) / 1000);
  }

  // --- swarm ----------------------------------------------------------------------------

  private updatePeer(swarm: Swarm, peer: Peer, request: AnnounceRequest, now: number, slot: HashSlot): void {
    peer.left = request.left;
    if (request.family === 4) swarm.setIPv4(peer, parseIPv4(request.ip), request.port);
    else swarm.setIPv6(peer, compactIPv6(request.ip, request.port));
    peer.key = request.key;
    peer.client = this.clientName(request);
    peer.markSeen(request.transport, request.family, slot, now);
  }

  private updateSwarm(swarm: Swarm, peer: Peer, request: AnnounceRequest, slot: HashSlot, refused: boolean): void {
    if (request.event === 'stopped' || refused) {
      swarm.deactivate(peer);
      swarm.setSeeder(peer, request.left === ZERO);
      return;
    }
    swarm.setSeeder(peer, request.left === ZERO);
    swarm.activate(peer, slot);
  }

  private reply(swarm: Swarm, peer: Peer, request: AnnounceRequest, slot: HashSlot, early: boolean): AnnounceReply {
    const policy = this.options.policy;
    let selection: Selection = NO_PEERS;
    if (!early && request.event !== 'stopped') {
      const want = request.numwant === null || request.numwant < 0 ? policy.numwantDefault : Math.min(request.numwant, policy.numwantCap);
      const onlyLeechers = request.left === ZERO || request.event === 'paused';
      selection = swarm.select(peer, slot, want, onlyLeechers, request.withPeerIds === true, request.peerFamily);
    }
    // ±10 % jitter spreads the re-announces of clients that started together.
    const interval = Math.round(policy.announceInterval * (0.9 + Math.random() * 0.2));
    return new AnnounceReply(
      interval,
      policy.minInterval,
      swarm.seeders,
      swarm.leechers,
      this.completed.get(swarm.releaseId) ?? 0,
      selection,
      early ? `Announced too soon: wait ${policy.minInterval} s between announces` : undefined,
    );
  }

  private swarmOf(releaseId: number): Swarm {
    let swarm = this.swarms.get(releaseId);
    if (!swarm) {
      swarm = new Swarm(releaseId, this.memberPeers);
      this.swarms.set(releaseId, swarm);
    }
    return swarm;
  }

  /** User-Agent (or the peer_id prefix) interned: thousands of peers share a few strings. */
  private clientName(request: AnnounceRequest): string {
    const raw = request.userAgent ? request.userAgent.slice(0, 64) : request.peerId.toString('latin1', 0, 8).replace(/[^\x20-\x7e]/g, '?');
    let name = this.clientNames.get(raw);
    if (name === undefined) {
      if (this.clientNames.size > 10_000) this.clientNames.clear();
      name = raw;
      this.clientNames.set(raw, name);
    }
    return name;
  }

  // --- lifecycle --------------------------------------------------------------------------

  /**
   * Drops peers silent for 1.5 intervals + a margin from their swarms (their rows become
   * inactive), and forgets baselines older than the retention: one whole pass, at once
   * (specs, tools). The service sweeps with sweepSome() instead.
   */
  sweep(): SweepTally {
    this.sweepCursor = null;
    const tally = { expired: 0, forgotten: 0 };
    this.sweepSome(Number.POSITIVE_INFINITY, tally);
    return tally;
  }

  /**
   * sweep() a slice at a time: whole swarms until about `budget` peers were looked at,
   * resuming where the previous call stopped. A pass over every peer at once would hold the
   * event loop, every announce waiting behind it, for a time that grows with the swarms; a
   * slice keeps that wait small. Returns true when this call finished a pass (the next call
   * starts another).
   */
  sweepSome(budget: number, tally: SweepTally = { expired: 0, forgotten: 0 }): boolean {
    const now = this.options.clock.now();
    const expireBefore = now - (this.options.policy.announceInterval * 1500 + EXPIRY_MARGIN_MS);
    const forgetBefore = now - this.options.retentionMs;
    // a Map iterator survives deletes (an emptied swarm) and sees swarms added after it
    const cursor = (this.sweepCursor ??= this.swarms.entries());
    let visited = 0;
    while (visited < budget) {
      const next = cursor.next();
      if (next.done) {
        this.sweepCursor = null;
        this.lastSweepPass = this.sweepVisited + visited;
        this.sweepVisited = 0;
        return true;
      }
      visited += this.sweepSwarm(next.value[0], next.value[1], expireBefore, forgetBefore, tally);
    }
    this.sweepVisited += visited;
    return false;
  }

  /** Returns how many peers the swarm held. */
  private sweepSwarm(releaseId: number, swarm: Swarm, expireBefore: number, forgetBefore: number, tally: SweepTally): number {
    const size = swarm.size;
    for (const peer of swarm.all()) {
      if (peer.active && peer.lastSeen < expireBefore) {
        swarm.deactivate(peer);
        this.ledger.touchPeer(peer);
        tally.expired++;
      } else if (!peer.active && peer.lastSeen < forgetBefore) {
        swarm.forget(peer);
        tally.forgotten++;
      }
    }
    if (swarm.size === 0) this.swarms.delete(releaseId);
    return size;
  }

  /** Puts a persisted peer back at start: in the swarm when recent, else as a baseline. */
  restorePeer(stored: StoredPeer): void {
    const release = this.options.catalog.releaseById(stored.releaseId);
    if (!release) return;
    const swarm = this.swarmOf(stored.releaseId);
    const peer = new Peer(stored.userId, stored.releaseId, stored.peerId.toString('latin1'), stored.uploaded, stored.downloaded, stored.left);
    const ipv4 = stored.ipv4 ? parseIPv4(stored.ipv4) : null;
    if (ipv4 !== null) peer.setIPv4(ipv4, stored.port);
    const ipv6 = stored.ipv6 ? compactIPv6(stored.ipv6, stored.port) : null;
    if (ipv6 !== null) peer.setIPv6(ipv6);
    peer.client = stored.client;
    peer.key = stored.key;
    peer.seeder = stored.seeder;
    peer.lastSeen = stored.lastAnnounceAt;
    swarm.add(peer, this.options.policy.maxBaselinesPerRelease);
    const expireBefore = this.options.clock.now() - (this.options.policy.announceInterval * 1500 + EXPIRY_MARGIN_MS);
    if (!stored.active || stored.lastAnnounceAt < expireBefore || release.deletedReason !== null) return;
    // Which hash it announced is not stored: v1 when the release has one (what most clients
    // announce); a v2 announcer is put in its own lists at its next announce.
    swarm.activate(peer, release.infoHashV1 ? HASH_V1 : HASH_V2);
  }

  stats(): TrackerStats {
    const stats: TrackerStats = { peers: 0, seeders: 0, leechers: 0, releasesWithPeers: 0, baselines: 0 };
    for (const swarm of this.swarms.values()) {
      stats.seeders += swarm.seeders;
      stats.leechers += swarm.leechers;
      stats.baselines += swarm.size - swarm.seeders - swarm.leechers;
      if (swarm.seeders + swarm.leechers > 0) stats.releasesWithPeers++;
    }
    stats.peers = stats.seeders + stats.leechers;
    return stats;
  }

  /** Live counts of a release (the flush writes them to releases.seeders/leechers). */
  countsOf(releaseId: number): { seeders: number; leechers: number } {
    const swarm = this.swarms.get(releaseId);
    return { seeders: swarm?.seeders ?? 0, leechers: swarm?.leechers ?? 0 };
  }
}

// --- checks that need no state --------------------------------------------------------------

/** The transports validate too; the core re-checks what the accounting relies on. */
function checkFields(request: AnnounceRequest): void {
  if (request.infoHash.length !== 20) throw TrackerError.of('badInfoHash');
  if (request.peerId.length !== 20) throw TrackerError.of('badPeerId');
  if (!Number.isInteger(request.port) || request.port < 1 || request.port > 65535) throw TrackerError.of('badPort');
  if (request.uploaded < ZERO || request.downloaded < ZERO || request.left < ZERO) throw TrackerError.of('badCounters');
  // the counter slab holds 0 .. 2^63-1 exactly (counters.ts); the transports cap there too
  if (request.uploaded > INT64_MAX || request.downloaded > INT64_MAX || request.left > INT64_MAX) throw TrackerError.of('badCounters');
}

/** The key (BEP 7) tells one running client from a restarted one with the same peer_id. */
function sameInstance(peer: Peer, request: AnnounceRequest): boolean {
  return peer.key !== null && peer.key === request.key;
}

function checkUser(user: TrackerUser): void {
  if (!user.enabled) throw TrackerError.of('accountDisabled', undefined, 3600);
}

function hashSlotOf(release: TrackerRelease, infoHash: Buffer): HashSlot {
  return release.infoHashV1 !== null && release.infoHashV1.equals(infoHash) ? HASH_V1 : HASH_V2;
}
