// A member's own traffic perks, honoured without a database query: freeleech tokens spent on
// single releases, personal freeleech and double upload for a time, and download slots (how
// many releases a class may leech at once). The catalog carries each member's perks; the
// service reloads them when a member buys, spends or is given one (syncMember).
// docs/members-and-staff.md#the-ratio-economy, docs/accounting.md#credited-and-actual
import type { Traffic } from './ledger-rows.js';
import { TrackerError } from './types.js';

export interface MemberPerks {
  /** epoch ms until which no download is credited on any release; 0: none */
  freeleechUntil: number;
  /** epoch ms until which upload is credited twice; 0: none */
  doubleUploadUntil: number;
  /** release id -> epoch ms until which the token spent on it runs */
  tokens: ReadonlyMap<number, number>;
  /** the member's class: its download slots come from the tracker policy */
  userClass: string;
}

const ZERO = 0n;

/**
 * The credit after the member's perks. Actual amounts are never touched. Double upload doubles
 * the actual upload, never more (a double-upload release stays ×2) and never a neutral
 * release's 0. Returns `traffic` itself when nothing changes (the engine compares by identity).
 */
export function applyPerks(traffic: Traffic, perks: MemberPerks | undefined, releaseId: number, now: number): Traffic {
  if (!perks || (traffic.up === ZERO && traffic.down === ZERO)) return traffic;
  const free = traffic.down !== ZERO && (perks.freeleechUntil > now || (perks.tokens.get(releaseId) ?? 0) > now);
  const double = traffic.up !== ZERO && perks.doubleUploadUntil > now && traffic.up < traffic.upActual * 2n;
  if (!free && !double) return traffic;
  return { ...traffic, up: double ? traffic.upActual * 2n : traffic.up, down: free ? ZERO : traffic.down };
}

/**
 * Releases each limited member is leeching now (last leeching announce per release). An entry
 * older than a peer's expiry is gone, as the peer is. Only members with a slot limit are kept.
 */
export class LeechSlots {
  private readonly byMember = new Map<number, Map<number, number>>();

  /**
   * Refuses a leeching announce on a release beyond `slots` others (0: no limit), before the
   * accounting: a new leecher has nothing to credit yet. `expiryMs`: when a silent peer is gone.
   */
  check(userId: number, slots: number, releaseId: number, leeching: boolean, now: number, expiryMs: number, retryIn: number): void {
    if (slots <= 0 || !leeching) return;
    const releases = this.byMember.get(userId);
    if (!releases || releases.has(releaseId)) return;
    for (const [id, at] of releases) if (now - at > expiryMs) releases.delete(id);
    if (releases.size >= slots) throw slotsFull(slots, retryIn);
  }

  /** After an accepted announce: the release is leeched now, or no longer. */
  note(userId: number, slots: number, releaseId: number, leeching: boolean, now: number): void {
    let releases = this.byMember.get(userId);
    if (!leeching || slots <= 0) {
      releases?.delete(releaseId);
      if (releases?.size === 0 || (releases && slots <= 0)) this.byMember.delete(userId);
      return;
    }
    if (!releases) this.byMember.set(userId, (releases = new Map()));
    releases.set(releaseId, now);
  }
}

/** margin past 1.5 intervals before a silent peer is dropped (as the engine's sweep) */
const EXPIRY_MARGIN_MS = 120_000;

interface SlotPolicy {
  announceInterval: number;
  downloadSlots?: Readonly<Record<string, number>>;
}

interface SlotAnnounce {
  left: bigint;
  event: string;
}

/** The member's class download slots (0: no limit). */
export const slotsOf = (policy: SlotPolicy, perks: MemberPerks | undefined): number => (perks ? (policy.downloadSlots?.[perks.userClass] ?? 0) : 0);

/** The refusal of a leech past the member's `slots`. */
export function slotsFull(slots: number, retryIn: number): TrackerError {
  return slots === 1 ? TrackerError.of('slotsFullOne', undefined, retryIn) : TrackerError.of('slotsFull', slots, retryIn);
}
const isLeeching = (request: SlotAnnounce): boolean => request.left !== ZERO && request.event !== 'stopped';

/** The engine's check before the accounting: the member's class download slots. */
export function checkSlots(slots: LeechSlots, policy: SlotPolicy, user: { id: number; perks?: MemberPerks }, releaseId: number, request: SlotAnnounce, now: number): void {
  const expiryMs = policy.announceInterval * 1500 + EXPIRY_MARGIN_MS;
  slots.check(user.id, slotsOf(policy, user.perks), releaseId, isLeeching(request), now, expiryMs, policy.announceInterval);
}

/** After the announce was accepted (a refused leecher holds no slot). */
export function noteSlots(slots: LeechSlots, policy: SlotPolicy, user: { id: number; perks?: MemberPerks }, releaseId: number, request: SlotAnnounce, refused: boolean, now: number): void {
  slots.note(user.id, slotsOf(policy, user.perks), releaseId, isLeeching(request) && !refused, now);
}
