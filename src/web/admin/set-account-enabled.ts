// Disable or enable an account. Disabling ends every session and the tracker refuses the
// passkey at the member's next announce.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { logModeration } from '../../policy/moderation-log.js';
import { canDisableAccount } from '../guards.js';
import { endSessionsOf } from '../session.js';
import { loadTarget, type Actor } from './action-target.js';

export async function setAccountEnabled(options: { app: FastifyInstance; actor: Actor; targetId: number; enabled: boolean; reason: string }): Promise<void> {
  const { app, actor, enabled, reason } = options;
  const target = await loadTarget(app, actor, options.targetId, canDisableAccount);
  if (target.enabled === enabled) throw AppError.badRequest(enabled ? 'The account is already enabled.' : 'The account is already disabled.', 'enabled-reason');
  const now = new Date(app.clock.now());
  await app.db.prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: target.id }, data: { enabled, disabledReason: enabled ? null : reason }, select: { id: true } });
    await logModeration(tx, { actorId: actor.id, targetUserId: target.id, action: enabled ? 'enable' : 'disable', reason, at: now });
  });
  await app.tracker.syncMember(target.id);
  if (!enabled) await endSessionsOf(app.db.prisma, target.id);
}
