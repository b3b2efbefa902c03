// What every staff action on a member starts with: the target exists and the actor may act on
// it (moderators never on staff). Actions that change what the tracker knows end with
// app.tracker.syncMember(target.id), so it learns at once.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import type { SessionUser } from '../session.js';
import type { Role } from '../guards.js';
import { findActionTarget, type ActionTarget } from './member-queries.js';

export type Actor = Pick<SessionUser, 'id' | 'role' | 'username'>;
export type TargetCheck = (actor: Pick<SessionUser, 'id' | 'role'>, target: { id: number; role: Role }) => boolean;

export async function loadTarget(app: FastifyInstance, actor: Actor, targetId: number, can: TargetCheck): Promise<ActionTarget> {
  const target = await findActionTarget(app.db.prisma, targetId);
  if (!target) throw AppError.notFound('admin.notFound.member');
  if (!can(actor, target)) throw AppError.forbidden('admin.errors.notThisMember');
  return target;
}
