// Forgive a hit-and-run mark: it stops counting and is never set again for that release.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { logModeration } from '../../policy/moderation-log.js';
import { canClearHitAndRun } from '../guards.js';
import { loadTarget, type Actor } from './action-target.js';

export async function clearHitAndRun(options: { app: FastifyInstance; actor: Actor; targetId: number; releaseId: number; reason: string }): Promise<void> {
  const { app, actor, releaseId, reason } = options;
  const target = await loadTarget(app, actor, options.targetId, canClearHitAndRun);
  await app.db.prisma.$transaction(async (tx) => {
    const cleared = await tx.transfer.updateMany({
      where: { userId: target.id, releaseId, hitAndRunAt: { not: null }, hitAndRunCleared: false },
      data: { hitAndRunCleared: true },
    });
    if (cleared.count !== 1) throw AppError.badRequest('admin.errors.noActiveHnr', 'hnr-reason');
    await logModeration(tx, { actorId: actor.id, targetUserId: target.id, releaseId, action: 'hnr_forgive', reason, at: new Date(app.clock.now()) });
  });
}
