// Withdraw or restore a member's leech right by hand. A manual withdrawal is marked 'staff'
// so the ratio job never undoes it; a manual restore clears any policy reason (the job may
// withdraw again later if the rules still say so). The member is told in their inbox, with
// the reason, and can answer the staff there.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { logModeration } from '../../policy/moderation-log.js';
import { canSetLeechRight } from '../guards.js';
import { messageMember } from '../inbox/open-ticket.js';
import { loadTarget, type Actor } from './action-target.js';

export async function setLeechRight(options: { app: FastifyInstance; actor: Actor; targetId: number; allow: boolean; reason: string }): Promise<void> {
  const { app, actor, allow, reason } = options;
  const target = await loadTarget(app, actor, options.targetId, canSetLeechRight);
  if (target.canLeech === allow) throw AppError.badRequest(allow ? 'This member can already download.' : 'Downloading is already withdrawn.', 'leech-reason');
  const now = new Date(app.clock.now());
  await app.db.prisma.$transaction(async (tx) => {
    await tx.user.update({
      where: { id: target.id },
      select: { id: true },
      // Restoring also ends a watch: the member gets a fresh one if the ratio is still low.
      data: allow
        ? { canLeech: true, leechWithdrawnBy: null, watchStartedAt: null, watchDeadline: null, watchDownloaded: null }
        : { canLeech: false, leechWithdrawnBy: 'staff' },
    });
    await logModeration(tx, {
      actorId: actor.id,
      targetUserId: target.id,
      action: allow ? 'leech_restore' : 'leech_withdraw',
      reason,
      details: { previouslyWithdrawnBy: target.leechWithdrawnBy },
      at: now,
    });
    await messageMember(tx, {
      memberId: target.id, staffId: actor.id, kind: 'staff', now,
      subject: { key: allow ? 'sent.leech.restoredSubject' : 'sent.leech.withdrawnSubject', params: {} },
      body: { key: allow ? 'sent.leech.restored' : 'sent.leech.withdrawn', params: { reason } },
    });
  });
  await app.tracker.syncMember(target.id);
}
