// The announce checklist (docs/protocol.md lists the refusals): each check throws a TrackerError
// named by its code (reasons.ts), whose text the member reads in their language, and the `failure reason`'s retry hint. The engine runs them in
// order, before any accounting; the leech refusal and the min interval come after it.
import type { Catalog, TrackerRelease, TrackerUser } from './catalog.js';
import { INT64_MAX } from '../../int64.js';
import type { MemberPeerCounts } from './member-peers.js';
import { HASH_V1, HASH_V2, type HashSlot, type Peer } from './peer.js';
import type { Swarm } from './swarm.js';
import { isClientAllowed, type TrackerPolicy } from './tracker-policy.js';
import { TrackerError, type AnnounceRequest } from './types.js';

const ZERO = 0n;

export function checkPasskey(catalog: Catalog, passkey: string): TrackerUser {
  if (!/^[0-9a-f]{32}$/.test(passkey)) throw TrackerError.of('invalidPasskey');
  const user = catalog.userByPasskey(passkey);
  if (!user) throw TrackerError.of('unknownPasskey', undefined, 3600);
  return user;
}

/** The transports validate too; the core re-checks what the accounting relies on. */
export function checkFields(request: AnnounceRequest): void {
  if (request.infoHash.length !== 20) throw TrackerError.of('badInfoHash');
  if (request.peerId.length !== 20) throw TrackerError.of('badPeerId');
  if (!Number.isInteger(request.port) || request.port < 1 || request.port > 65535) throw TrackerError.of('badPort');
  if (request.uploaded < ZERO || request.downloaded < ZERO || request.left < ZERO) throw TrackerError.of('badCounters');
  // the counter slab holds 0 .. 2^63-1 exactly (counters.ts); the transports cap there too
  if (request.uploaded > INT64_MAX || request.downloaded > INT64_MAX || request.left > INT64_MAX) throw TrackerError.of('badCounters');
}

/** `rulesUrl`: where a refused client's user reads which clients are allowed. */
export function checkClient(policy: TrackerPolicy, peerId: string, rulesUrl: string | undefined): void {
  if (!isClientAllowed(policy, peerId)) {
    throw rulesUrl ? TrackerError.of('clientRefusedSee', rulesUrl, 3600) : TrackerError.of('clientRefused', undefined, 3600);
  }
}

export function checkUser(user: TrackerUser): void {
  if (!user.enabled) throw TrackerError.of('accountDisabled', undefined, 3600).forMember(user.locale);
}

export function checkRelease(catalog: Catalog, infoHash: Buffer): TrackerRelease {
  const release = catalog.releaseByHash(infoHash);
  if (!release) throw TrackerError.of('unregistered', undefined, 3600);
  if (release.deletedReason !== null) {
    throw release.deletedReason ? TrackerError.of('unregisteredBecause', release.deletedReason, 3600) : TrackerError.of('unregistered', undefined, 3600);
  }
  return release;
}

/**
 * The database has been away too long: refuse rather than lose deltas. `flushesFailing`
 * absent (a core with no database behind it): the bound always applies.
 */
export function checkCapacity(pending: number, maxPendingDeltas: number, flushesFailing: (() => boolean) | undefined): void {
  if (pending < maxPendingDeltas) return;
  if (flushesFailing?.() ?? true) {
    throw TrackerError.of('busy', undefined, 300);
  }
}

/**
 * A peer that would join its swarm past the member's caps is refused before any
 * accounting. Peers already in the swarm, and `stopped` (which leaves it), always pass.
 */
export function checkPeerCaps(policy: TrackerPolicy, swarm: Swarm | undefined, memberPeers: MemberPeerCounts, userId: number, peerId: string, request: AnnounceRequest): void {
  if (request.event === 'stopped') return;
  if (swarm?.get(userId, peerId)?.active) return;
  const retry = policy.announceInterval;
  if (swarm && swarm.activeOf(userId) >= policy.maxPeersPerRelease) {
    throw TrackerError.of('tooManyOnRelease', policy.maxPeersPerRelease, retry);
  }
  if (memberPeers.of(userId) >= policy.maxPeersPerMember) {
    throw TrackerError.of('tooManyPeers', policy.maxPeersPerMember, retry);
  }
}

/** Refused after the accounting: the upload of a member without leech right still counts. */
export function leechRefusal(policy: TrackerPolicy, user: TrackerUser, request: AnnounceRequest): TrackerError | null {
  if (user.canLeech || request.left === ZERO || request.event === 'stopped') return null;
  return TrackerError.of('leechForbidden', undefined, policy.announceInterval);
}

/**
 * Inside min interval -> warning and no peers, still credited. Kept per (transport,
 * family, hash): a client announcing on the HTTP and the UDP tier (BEP 12), over IPv4 and
 * IPv6 (BEP 7), or a hybrid's two hashes (BEP 52) re-announces on each on its own timer.
 */
export function isEarly(policy: TrackerPolicy, peer: Peer, request: AnnounceRequest, slot: HashSlot, isNew: boolean, now: number): boolean {
  if (isNew || (request.event !== '' && request.event !== 'paused')) return false;
  const last = peer.seenAt(request.transport, request.family, slot);
  if (last === 0) return false; // first announce on this tier/family/hash
  return now - last < policy.minInterval * 1000;
}

/** Which of a hybrid's hashes (BEP 52) the announce used. */
export function hashSlotOf(release: TrackerRelease, infoHash: Buffer): HashSlot {
  return release.infoHashV1 !== null && release.infoHashV1.equals(infoHash) ? HASH_V1 : HASH_V2;
}
