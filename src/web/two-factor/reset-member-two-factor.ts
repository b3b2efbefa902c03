// Staff turn off a member's two-factor login when the member lost both their phone and their
// recovery codes (after checking who is asking, off the site). Like every staff action it
// needs a reason and is logged; every session of the member ends, so whoever holds one must
// log in again.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { logModeration } from '../../policy/moderation-log.js';
import { loadTarget, type Actor } from '../admin/action-target.js';
import { canResetTwoFactorOf } from '../guards.js';
import { mailTwoFactorNotice } from './notice-mail.js';
import { clearTwoFactor, findTwoFactor } from './queries.js';

export async function resetMemberTwoFactor(options: { app: FastifyInstance; actor: Actor; targetId: number; reason: string }): Promise<void> {
  const { app, actor, reason } = options;
  const target = await loadTarget(app, actor, options.targetId, canResetTwoFactorOf);
  const account = await findTwoFactor(app.db.prisma, target.id);
  if (!account?.totpEnabledAt && !account?.totpPendingSecret) throw AppError.conflict('admin.errors.noTwoFactor');
  const now = app.clock.now();
  await app.db.prisma.$transaction(async (tx) => {
    await clearTwoFactor(tx, target.id);
    await tx.session.deleteMany({ where: { userId: target.id } });
    await logModeration(tx, { actorId: actor.id, targetUserId: target.id, action: 'reset_two_factor', reason, at: new Date(now) });
  });
  await mailTwoFactorNotice(app, target.id, 'reset');
}
