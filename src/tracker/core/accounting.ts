// What one announce credits (docs/accounting.md): the deltas since the peer's baseline (its last
// reported totals), the release's freeleech mode and the site-wide switch, and the seed time
// between two seeding announces. Accounts per (user, release, peer_id), never per ip:port.
import type { TrackerRelease } from './catalog.js';
import type { Traffic } from './ledger.js';
import type { Peer } from './peer.js';
import type { TrackerPolicy } from './tracker-policy.js';
import type { AnnounceRequest } from './types.js';

const ZERO = 0n;
const NO_CREDIT: Traffic = { up: ZERO, down: ZERO, upActual: ZERO, downActual: ZERO };
/** account()'s answer for a new session: no credit, and a boundary (the engine compares by identity) */
export const NEW_SESSION: Traffic = { up: ZERO, down: ZERO, upActual: ZERO, downActual: ZERO };

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
export function account(policy: TrackerPolicy, peer: Peer, release: TrackerRelease, request: AnnounceRequest, isNew: boolean): Traffic {
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
  return creditFor(policy, release, upActual, downActual);
}

/** Release modes and the site-wide switch; actual totals always get the raw delta. */
function creditFor(policy: TrackerPolicy, release: TrackerRelease, up: bigint, down: bigint): Traffic {
  const siteFree = policy.siteFreeleech;
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
export function seedtimeGap(policy: TrackerPolicy, peer: Peer, wasActiveSeeder: boolean, request: AnnounceRequest, now: number): number {
  if (!wasActiveSeeder || request.left !== ZERO || peer.lastSeen === 0) return 0;
  const capMs = policy.announceInterval * 2000;
  return Math.floor(Math.min(Math.max(now - peer.lastSeen, 0), capMs) / 1000);
}

/** The key (BEP 7) tells one running client from a restarted one with the same peer_id. */
function sameInstance(peer: Peer, request: AnnounceRequest): boolean {
  return peer.key !== null && peer.key === request.key;
}
