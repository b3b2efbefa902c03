// Requests with bounties: who may fill, confirm or withdraw, and how much a bounty may be.
// The bounty is upload credit taken from the member's credited upload at once (escrow) and
// given to the filler when the fill is confirmed, or back to each contributor on withdrawal.
// docs/members-and-staff.md#requests-and-bounties
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
export function bountyRefusal(amount: bigint, minimum: bigint, uploaded: bigint): string | null {
  if (amount < minimum) return `A bounty is at least ${Number(minimum) / 1024 ** 2} MiB.`;
  if (amount > uploaded) return 'That is more upload credit than you have.';
  return null;
}

/** Why the release cannot fill the request, or null. */
export function fillRefusal(request: RequestState, actor: Actor, release: { deleted: boolean } | null): string | null {
  if (request.status !== 'open') return 'This request is not open.';
  if (!release || release.deleted) return 'There is no such release.';
  if (request.requesterId === actor.id) return 'You cannot fill your own request.';
  return null;
}

/**
 * The requester confirms a fill at any time; staff may confirm for them once the fill is
 * `delayDays` old (a requester who never comes back must not hold the filler's bounty).
 */
export function confirmRefusal(request: RequestState, actor: Actor, now: number, delayDays: number): string | null {
  if (request.status !== 'filled' || !request.filledAt) return 'This request is not waiting for a confirmation.';
  if (actor.id === request.requesterId) return null;
  if (!actor.staff) return 'Only the member who asked may confirm the fill.';
  if (now - request.filledAt.getTime() < delayDays * DAY_MS) return `Staff may confirm a fill ${delayDays} days after it, if the requester has not.`;
  return null;
}

/** The requester (or staff) rejects a wrong fill: the request opens again. */
export function rejectRefusal(request: RequestState, actor: Actor): string | null {
  if (request.status !== 'filled') return 'This request is not filled.';
  return actor.id === request.requesterId || actor.staff ? null : 'Only the member who asked may reject the fill.';
}

/** An open request may be withdrawn by its requester or staff; every contributor is repaid. */
export function withdrawRefusal(request: RequestState, actor: Actor): string | null {
  if (request.status !== 'open') return 'Only an open request can be withdrawn.';
  return actor.id === request.requesterId || actor.staff ? null : 'Only the member who asked may withdraw the request.';
}

/** Each contributor's total, to repay on withdrawal. */
export function refundsOf(bounties: ReadonlyArray<{ userId: number; amount: bigint }>): Map<number, bigint> {
  const refunds = new Map<number, bigint>();
  for (const b of bounties) refunds.set(b.userId, (refunds.get(b.userId) ?? 0n) + b.amount);
  return refunds;
}
