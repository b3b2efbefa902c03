// Change a member's role (admins only, never their own).
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import type { Role } from '../../generated/prisma/client.js';
import { logModeration } from '../../policy/moderation-log.js';
import { canChangeRole } from '../guards.js';
import { loadTarget, type Actor } from './action-target.js';

export const ROLES: Role[] = ['member', 'uploader', 'moderator', 'admin'];
const ALREADY: Record<Role, string> = {
  member: 'admin.errors.alreadyRole.member', uploader: 'admin.errors.alreadyRole.uploader', moderator: 'admin.errors.alreadyRole.moderator', admin: 'admin.errors.alreadyRole.admin',
};

export async function changeMemberRole(options: { app: FastifyInstance; actor: Actor; targetId: number; role: string; reason: string }): Promise<void> {
  const { app, actor, reason } = options;
  const target = await loadTarget(app, actor, options.targetId, canChangeRole);
  const role = ROLES.find((r) => r === options.role);
  if (!role) throw AppError.badRequest('admin.errors.chooseRole', 'role');
  if (role === target.role) throw AppError.badRequest(ALREADY[role], 'role', { username: target.username });
  await app.db.prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: target.id }, data: { role } });
    await logModeration(tx, { actorId: actor.id, targetUserId: target.id, action: 'change_role', reason, details: { from: target.role, to: role }, at: new Date(app.clock.now()) });
  });
}
