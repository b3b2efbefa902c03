// The tracker core of the shared mode (docs/scaling.md): the same checklist as the engine
// (announce-checks.ts: passkey, fields, client, account, release, all from the catalog in
// memory), then the peer work goes to a SharedPeerStore (shared-peers.ts) that several
// processes share, with the checks that span swarms: the peer caps and download slots. Refusals carry the same codes, so members read the same localized
// reasons (reasons.ts) in both modes. Checklist refusals are thrown at once; the store's answer
// comes as a promise, which the transports await (the memory engine never returns one).
import type { Clock } from '../../clock.js';
import { checkClient, checkFields, checkPasskey, checkRelease, checkUser, hashSlotOf, leechRefusal } from './announce-checks.js';
import type { Catalog, TrackerRelease, TrackerUser } from './catalog.js';
import { slotsFull, slotsOf, type MemberPerks } from './perks.js';
import { reasonIn, type ReasonTable } from './reasons.js';
import { AnnounceReply } from './reply.js';
import type { SharedAnnounceResult, SharedPeerStore } from './shared-peers.js';
import type { TrackerPolicy } from './tracker-policy.js';
import { TrackerError, type AnnounceRequest, type AnnounceResult, type ScrapeEntry, type TrackerCore } from './types.js';

export interface SharedCoreOptions {
  catalog: Catalog;
  clock: Clock;
  policy: TrackerPolicy;
  store: SharedPeerStore;
  /** where a refused client's user reads which clients are allowed */
  rulesUrl?: string;
  reasons?: ReasonTable;
}

const ZERO = 0n;
const EMPTY = Buffer.alloc(0);

export class SharedTrackerCore implements TrackerCore {
  /**
   * Times completed per release, as loaded at start and raised by the `completed` announces
   * this process answered: a display value (the books count snatches from the drained deltas).
   */
  readonly completed = new Map<number, number>();

  private readonly options: SharedCoreOptions;

  constructor(options: SharedCoreOptions) {
    this.options = options;
  }

  get policy(): TrackerPolicy {
    return this.options.policy;
  }

  announce(request: AnnounceRequest): Promise<AnnounceResult> {
    const user = checkPasskey(this.options.catalog, request.passkey);
    try {
      return this.announceAs(user, request);
    } catch (error) {
      if (error instanceof TrackerError) error.forMember(user.locale);
      throw error;
    }
  }

  reasonText(error: TrackerError): string {
    return reasonIn(this.options.reasons, this.options.policy.defaultLocale, error);
  }

  scrape(passkey: string, infoHashes: Buffer[]): Promise<ScrapeEntry[]> {
    checkUser(checkPasskey(this.options.catalog, passkey));
    const wanted: { infoHash: Buffer; release: TrackerRelease }[] = [];
    for (const infoHash of infoHashes) {
      const release = this.options.catalog.releaseByHash(infoHash);
      if (release && release.deletedReason === null) wanted.push({ infoHash, release });
    }
    return Promise.all(
      wanted.map(async ({ infoHash, release }) => {
        const counts = await this.options.store.counts(release.id);
        return { infoHash, complete: counts.seeders, incomplete: counts.leechers, downloaded: this.completed.get(release.id) ?? 0 };
      }),
    );
  }

  private announceAs(user: TrackerUser, request: AnnounceRequest): Promise<AnnounceResult> {
    const { catalog, policy, clock } = this.options;
    checkFields(request);
    const peerId = request.peerId.toString('latin1');
    checkClient(policy, peerId, this.options.rulesUrl);
    checkUser(user);
    const release = checkRelease(catalog, request.infoHash);
    const now = clock.now();
    const refusal = leechRefusal(policy, user, request);
    const { up, down } = multipliers(policy, release, user.perks, now);
    const pending = this.options.store.announce({
      userId: user.id,
      releaseId: release.id,
      peerId: request.peerId,
      event: request.event,
      uploaded: request.uploaded,
      downloaded: request.downloaded,
      left: request.left,
      key: request.key,
      ip: request.ip,
      family: request.family,
      port: request.port,
      slot: hashSlotOf(release, request.infoHash),
      transport: request.transport,
      want: wantOf(policy, request),
      peerFamily: request.peerFamily,
      withPeerIds: request.withPeerIds === true,
      listable: refusal === null,
      upMultiplier: up,
      downMultiplier: down,
      client: clientName(request),
      now,
      interval: policy.announceInterval,
      minInterval: policy.minInterval,
      maxPeersPerRelease: policy.maxPeersPerRelease,
      maxPeersPerMember: policy.maxPeersPerMember,
      downloadSlots: slotsOf(policy, user.perks),
    });
    return pending.then((stored) => this.answer(stored, user, release.id, request, refusal));
  }

  private answer(stored: SharedAnnounceResult, user: TrackerUser, releaseId: number, request: AnnounceRequest, refusal: TrackerError | null): AnnounceResult {
    const policy = this.options.policy;
    if (stored.refused === 'peer-cap') throw TrackerError.of('tooManyOnRelease', policy.maxPeersPerRelease, policy.announceInterval).forMember(user.locale);
    if (stored.refused === 'member-cap') throw TrackerError.of('tooManyPeers', policy.maxPeersPerMember, policy.announceInterval).forMember(user.locale);
    if (stored.refused === 'slots') throw slotsFull(slotsOf(policy, user.perks), policy.announceInterval).forMember(user.locale);
    if (request.event === 'completed' && request.left === ZERO) this.completed.set(releaseId, (this.completed.get(releaseId) ?? 0) + 1);
    if (refusal) throw refusal.forMember(user.locale);
    // ±10 % jitter spreads the re-announces of clients that started together.
    const interval = Math.round(policy.announceInterval * (0.9 + Math.random() * 0.2));
    const peers = stored.early ? { compact4: EMPTY, compact6: EMPTY } : { compact4: stored.compact4, compact6: stored.compact6, peerIds4: stored.peerIds4, peerIds6: stored.peerIds6 };
    const warning = stored.early ? `Announced too soon: wait ${policy.minInterval} s between announces` : undefined;
    return new AnnounceReply(interval, policy.minInterval, stored.seeders, stored.leechers, this.completed.get(releaseId) ?? 0, peers, warning);
  }
}

/** numwant as the engine reads it: the default when absent, capped by the policy. */
function wantOf(policy: TrackerPolicy, request: AnnounceRequest): number {
  if (request.event === 'stopped') return 0;
  return request.numwant === null || request.numwant < 0 ? policy.numwantDefault : Math.min(request.numwant, policy.numwantCap);
}

/**
 * The credit rule as multipliers of the actual amounts: the release's mode and the site-wide
 * switch (accounting.ts creditFor), then the member's perks (perks.ts applyPerks: double upload
 * never lifts a neutral release's 0, a token or personal freeleech zeroes the download).
 */
export function multipliers(policy: TrackerPolicy, release: TrackerRelease, perks: MemberPerks | undefined, now: number): { up: 0 | 1 | 2; down: 0 | 1 } {
  const mode = release.freeleech;
  let up: 0 | 1 | 2 = mode === 'neutral' ? 0 : mode === 'double_upload' ? 2 : 1;
  let down: 0 | 1 = mode === 'neutral' || mode === 'freeleech' || policy.siteFreeleech ? 0 : 1;
  if (perks) {
    if (up !== 0 && perks.doubleUploadUntil > now) up = 2;
    if (perks.freeleechUntil > now || (perks.tokens.get(release.id) ?? 0) > now) down = 0;
  }
  return { up, down };
}

/** User-Agent (or the peer_id prefix), as the engine names a peer's client. */
function clientName(request: AnnounceRequest): string {
  return request.userAgent ? request.userAgent.slice(0, 64) : request.peerId.toString('latin1', 0, 8).replace(/[^\x20-\x7e]/g, '?');
}
