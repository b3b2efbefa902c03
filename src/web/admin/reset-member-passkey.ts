// Reset a member's passkey (leaked .torrent files): the old one stops working at once.
import type { FastifyInstance } from 'fastify';
import { logModeration } from '../../policy/moderation-log.js';
import { canResetPasskeyOf } from '../guards.js';
import { newPasskey } from '../users/create-user.js';
import { loadTarget, type Actor } from './action-target.js';

export async function resetMemberPasskey(options: { app: FastifyInstance; actor: Actor; targetId: number; reason: string }): Promise<string> {
  const { app, actor, reason } = options;
  const target = await loadTarget(app, actor, options.targetId, canResetPasskeyOf);
  const passkey = newPasskey();
  await app.db.prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: target.id }, data: { passkey }, select: { id: true } });
    await logModeration(tx, { actorId: actor.id, targetUserId: target.id, action: 'reset_passkey', reason, at: new Date(app.clock.now()) });
  });
  await app.tracker.syncMember(target.id);
  return passkey;
}
