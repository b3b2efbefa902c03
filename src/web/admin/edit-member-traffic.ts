// Edit a member's credited upload and download. The new totals are applied as deltas in one
// UPDATE, so bytes the tracker credits meanwhile are kept; the ratio job re-evaluates watch
// and leech right on its next run. The member journal is applied first, so the totals the
// edit starts from (and logs) hold every committed credit (docs/accounting.md, "The member journal").
import type { FastifyInstance } from 'fastify';
import { applyMemberJournalNow } from '../../db/member-journal.js';
import { logModeration } from '../../policy/moderation-log.js';
import { canEditTraffic } from '../guards.js';
import { loadTarget, type Actor } from './action-target.js';

export async function editMemberTraffic(options: {
  app: FastifyInstance;
  actor: Actor;
  targetId: number;
  /** null: leave as it is */
  uploaded: bigint | null;
  downloaded: bigint | null;
  reason: string;
}): Promise<void> {
  const { app, actor, reason } = options;
  await applyMemberJournalNow(app.db.sql);
  const target = await loadTarget(app, actor, options.targetId, canEditTraffic);
  const uploaded = options.uploaded ?? target.uploaded;
  const downloaded = options.downloaded ?? target.downloaded;
  const upDelta = uploaded - target.uploaded;
  const downDelta = downloaded - target.downloaded;
  const now = new Date(app.clock.now());
  await app.db.prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: target.id }, data: { uploaded: { increment: upDelta }, downloaded: { increment: downDelta } } });
    await logModeration(tx, {
      actorId: actor.id,
      targetUserId: target.id,
      action: 'edit_traffic',
      reason,
      details: { uploaded: { from: target.uploaded, to: uploaded }, downloaded: { from: target.downloaded, to: downloaded } },
      at: now,
    });
  });
}
