// Requests with bounties: who may fill, confirm or withdraw, and how much a bounty may be.
// The bounty is upload credit taken from the member's credited upload at once (escrow) and
// given to the filler when the fill is confirmed, or back to each contributor on withdrawal.
// docs/members-and-staff.md#requests-and-bounties
import { refusal, type Refusal } from './refusal.js';

const DAY_MS = 86_400_000;

export type RequestStatus = 'open' | 'filled' | 'done' | 'withdrawn';

export interface RequestState {
  requesterId: number | null;
  status: RequestStatus;
  fillerId: number | null;
  filledAt: Date | null;
}

export interface Actor {
  id: number;
  staff: boolean;
}

/** Why this bounty (bytes) cannot be offered, or null. */
export function bountyRefusal(amount: bigint, minimum: bigint, uploaded: bigint): Refusal | null {
  if (amount < minimum) return refusal('requests.refusal.minimum', { mib: Number(minimum) / 1024 ** 2 });
  if (amount > uploaded) return refusal('requests.refusal.tooMuch');
  return null;
}

/** Why the release cannot fill the request, or null. */
export function fillRefusal(request: RequestState, actor: Actor, release: { deleted: boolean } | null): Refusal | null {
  if (request.status !== 'open') return refusal('requests.refusal.notOpen');
  if (!release || release.deleted) return refusal('releases.notFound');
  if (request.requesterId === actor.id) return refusal('requests.refusal.ownRequest');
  return null;
}

/**
 * The requester confirms a fill at any time; staff may confirm for them once the fill is
 * `delayDays` old (a requester who never comes back must not hold the filler's bounty).
 */
export function confirmRefusal(request: RequestState, actor: Actor, now: number, delayDays: number): Refusal | null {
  if (request.status !== 'filled' || !request.filledAt) return refusal('requests.refusal.notWaiting');
  if (actor.id === request.requesterId) return null;
  if (!actor.staff) return refusal('requests.refusal.onlyRequesterConfirms');
  if (now - request.filledAt.getTime() < delayDays * DAY_MS) return refusal('requests.refusal.staffDelay', { count: delayDays });
  return null;
}

/** The requester (or staff) rejects a wrong fill: the request opens again. */
export function rejectRefusal(request: RequestState, actor: Actor): Refusal | null {
  if (request.status !== 'filled') return refusal('requests.refusal.notFilled');
  return actor.id === request.requesterId || actor.staff ? null : refusal('requests.refusal.onlyRequesterRejects');
}

/** An open request may be withdrawn by its requester or staff; every contributor is repaid. */
export function withdrawRefusal(request: RequestState, actor: Actor): Refusal | null {
  if (request.status !== 'open') return refusal('requests.refusal.onlyOpenWithdrawn');
  return actor.id === request.requesterId || actor.staff ? null : refusal('requests.refusal.onlyRequesterWithdraws');
}

/** Each contributor's total, to repay on withdrawal. */
export function refundsOf(bounties: ReadonlyArray<{ userId: number; amount: bigint }>): Map<number, bigint> {
  const refunds = new Map<number, bigint>();
  for (const b of bounties) refunds.set(b.userId, (refunds.get(b.userId) ?? 0n) + b.amount);
  return refunds;
}
