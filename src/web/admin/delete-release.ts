// Delete a release with a reason (soft delete): the tracker answers its announces with
// "Unregistered torrent: <reason>" so clients stop (docs/protocol.md, "Refusals").
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { logModeration } from '../../policy/moderation-log.js';
import type { Actor } from './action-target.js';

export async function deleteRelease(options: { app: FastifyInstance; actor: Actor; releaseId: number; reason: string }): Promise<void> {
  const { app, actor, releaseId, reason } = options;
  const now = new Date(app.clock.now());
  await app.db.prisma.$transaction(async (tx) => {
    const deleted = await tx.release.updateMany({ where: { id: releaseId, deletedAt: null }, data: { deletedAt: now, deleteReason: reason } });
    if (deleted.count !== 1) throw AppError.badRequest('admin.errors.alreadyDeleted', 'delete-reason');
    await logModeration(tx, { actorId: actor.id, releaseId, action: 'delete_release', reason, at: now });
  });
  await app.tracker.syncRelease(releaseId);
}
