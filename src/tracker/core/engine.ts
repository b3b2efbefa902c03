// The tracker core: announce as a checklist of small named checks (announce-checks.ts), then
// the accounting (accounting.ts), the swarm update and the peer selection; scrape; the expiry
// sweep (sweep.ts). No transport, no database (docs/architecture.md). BEP 3 (announce), BEP 7
// (IPv6 peers), BEP 21 (paused), BEP 23 (compact), BEP 48 (scrape), BEP 52 (v2 and hybrid
// hashes); accounting: docs/accounting.md.
import type { Clock } from '../../clock.js';
import { account, NEW_SESSION, seedtimeGap } from './accounting.js';
import { checkCapacity, checkClient, checkFields, checkPasskey, checkPeerCaps, checkRelease, checkUser, hashSlotOf, isEarly, leechRefusal } from './announce-checks.js';
import type { Catalog, TrackerUser } from './catalog.js';
import { Ledger, type PeerRow } from './ledger.js';
import type { TrackerPolicy } from './tracker-policy.js';
import { HASH_V1, HASH_V2, Peer, type HashSlot } from './peer.js';
import { compactIPv6, parseIPv4 } from './address.js';
import { MemberPeerCounts } from './member-peers.js';
import { expireBefore, SweepCursor, type SweepTally } from './sweep.js';
import { NO_PEERS, Swarm, type Selection } from './swarm.js';
import { AnnounceReply } from './reply.js';
import { applyPerks, checkSlots, LeechSlots, noteSlots } from './perks.js';
import { reasonIn, type ReasonTable } from './reasons.js';
import { TrackerError, type AnnounceRequest, type ScrapeEntry, type TrackerCore } from './types.js';

export type { SweepTally } from './sweep.js';

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

export interface TrackerStats {
  peers: number;
  seeders: number;
  leechers: number;
  releasesWithPeers: number;
  /** peer records kept only as baselines (stopped or expired) */
  baselines: number;
}

const ZERO = 0n;
const resolved = Promise.resolve();

export class TrackerEngine implements TrackerCore {
  readonly ledger = new Ledger();
  readonly swarms = new Map<number, Swarm>();
  /** active peers per member, kept by the swarms (the peer caps read it) */
  readonly memberPeers = new MemberPeerCounts();
  /** times completed per release (releases.snatched), loaded at start, raised by flushes */
  readonly completed = new Map<number, number>();
  private readonly clientNames = new Map<string, string>();
  /** releases each member with download slots leeches now (perks.ts) */
  private readonly leechSlots = new LeechSlots();
  private readonly sweepCursor = new SweepCursor(this.swarms, this.ledger);

  /**
   * The service's group commit (src/tracker/service.ts): resolves once what was recorded so far
   * has committed. Without one (specs of the core, the bench) no reply is marked to wait.
   */
  waitForFlush: (() => Promise<void>) | null = null;

  private readonly options: CoreOptions;

  constructor(options: CoreOptions) {
    this.options = options;
  }

  durable(): Promise<void> {
    return this.waitForFlush === null ? resolved : this.waitForFlush();
  }

  get policy(): TrackerPolicy {
    return this.options.policy;
  }

  announce(request: AnnounceRequest): AnnounceReply {
    const user = checkPasskey(this.options.catalog, request.passkey);
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
    const { catalog, policy } = this.options;
    checkFields(request);
    const peerId = request.peerId.toString('latin1');
    checkClient(policy, peerId, this.options.rulesUrl);
    checkUser(user);
    const release = checkRelease(catalog, request.infoHash);
    checkCapacity(this.ledger.pending, this.options.maxPendingDeltas, this.options.flushesFailing);
    checkPeerCaps(policy, this.swarms.get(release.id), this.memberPeers, user.id, peerId, request);
    const now = this.options.clock.now();
    checkSlots(this.leechSlots, policy, user, release.id, request, now);
    const swarm = this.swarmOf(release.id);
    const slot = hashSlotOf(release, request.infoHash);
    const { peer, isNew } = this.peerFor(swarm, user.id, peerId, request);
    const wasActiveSeeder = peer.active && peer.seeder;
    const wasLeecher = !isNew && peer.left > ZERO;
    const early = isEarly(policy, peer, request, slot, isNew, this.options.clock.now());
    // the member's tokens, personal freeleech and double upload (perks.ts); actual amounts untouched
    const credited = applyPerks(account(policy, peer, release, request, isNew), user.perks, release.id, now);
    const seedtime = seedtimeGap(policy, peer, wasActiveSeeder, request, now);
    // BEP 3 `completed`, or a leecher that became a seeder without saying so
    const snatched = request.left === ZERO && (request.event === 'completed' || wasLeecher);
    this.updatePeer(swarm, peer, request, now, slot);
    const refusal = leechRefusal(policy, user, request);
    noteSlots(this.leechSlots, policy, user, release.id, request, refusal !== null, now);
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
    checkUser(checkPasskey(this.options.catalog, passkey));
    const entries: ScrapeEntry[] = [];
    for (const infoHash of infoHashes) {
      const release = this.options.catalog.releaseByHash(infoHash);
      if (!release || release.deletedReason !== null) continue;
      const swarm = this.swarms.get(release.id);
      entries.push({ infoHash, complete: swarm?.seeders ?? 0, incomplete: swarm?.leechers ?? 0, downloaded: this.completed.get(release.id) ?? 0 });
    }
    return entries;
  }

  // --- swarm ----------------------------------------------------------------------------

  private peerFor(swarm: Swarm, userId: number, peerId: string, request: AnnounceRequest): { peer: Peer; isNew: boolean } {
    const existing = swarm.get(userId, peerId);
    if (existing) return { peer: existing, isNew: false };
    const peer = new Peer(userId, swarm.releaseId, peerId, request.uploaded, request.downloaded, request.left);
    swarm.add(peer, this.options.policy.maxBaselinesPerRelease);
    return { peer, isNew: true };
  }

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
    this.sweepCursor.restart();
    const tally = { expired: 0, forgotten: 0 };
    this.sweepSome(Number.POSITIVE_INFINITY, tally);
    return tally;
  }

  /**
   * sweep() a slice at a time: whole swarms until about `budget` peers were looked at,
   * resuming where the previous call stopped, so that announces never wait behind a whole
   * pass. Returns true when this call finished a pass (the next call starts another).
   */
  sweepSome(budget: number, tally: SweepTally = { expired: 0, forgotten: 0 }): boolean {
    const now = this.options.clock.now();
    return this.sweepCursor.step(budget, expireBefore(now, this.options.policy.announceInterval), now - this.options.retentionMs, tally);
  }

  /** peers looked at by the last finished sweep pass (the service sizes its slices by it) */
  get lastSweepPass(): number {
    return this.sweepCursor.lastPass;
  }

  set lastSweepPass(peers: number) {
    this.sweepCursor.lastPass = peers;
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
    if (!stored.active || stored.lastAnnounceAt < expireBefore(this.options.clock.now(), this.options.policy.announceInterval) || release.deletedReason !== null) return;
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
