// Grant a member invites (users.invites_left).
import type { FastifyInstance } from 'fastify';
import { logModeration } from '../../policy/moderation-log.js';
import { canGrantInvites } from '../guards.js';
import { loadTarget, type Actor } from './action-target.js';

export async function grantInvites(options: { app: FastifyInstance; actor: Actor; targetId: number; count: number; reason: string }): Promise<void> {
  const { app, actor, count, reason } = options;
  const target = await loadTarget(app, actor, options.targetId, canGrantInvites);
  await app.db.prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: target.id }, data: { invitesLeft: { increment: count } } });
    await logModeration(tx, { actorId: actor.id, targetUserId: target.id, action: 'grant_invites', reason, details: { count }, at: new Date(app.clock.now()) });
  });
}
