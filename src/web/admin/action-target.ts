// What every staff action on a member starts with: the target exists and the actor may act on
// it (moderators never on staff), and what every one ends with: the tracker learns at once.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import type { SessionUser } from '../session.js';
import type { Role } from '../guards.js';
import { findActionTarget, type ActionTarget } from './member-queries.js';

export type Actor = Pick<SessionUser, 'id' | 'role' | 'username'>;
export type TargetCheck = (actor: Pick<SessionUser, 'id' | 'role'>, target: { id: number; role: Role }) => boolean;

export async function loadTarget(app: FastifyInstance, actor: Actor, targetId: number, can: TargetCheck): Promise<ActionTarget> {
  const target = await findActionTarget(app.db.prisma, targetId);
  if (!target) throw AppError.notFound('There is no member with that number.');
  if (!can(actor, target)) throw AppError.forbidden('You cannot do that to this member (moderators act on members and uploaders only).');
  return target;
}

/** Select this in the write that changes a member, and hand the row to syncTracker. */
export const TRACKER_FIELDS = { id: true, passkey: true, enabled: true, canLeech: true } as const;

export function syncTracker(app: FastifyInstance, user: { id: number; passkey: string; enabled: boolean; canLeech: boolean }): void {
  app.tracker.catalog.setUser({ id: user.id, passkey: user.passkey, enabled: user.enabled, canLeech: user.canLeech });
}
