// Staff issue a reset link for a member who lost their password and has no verified address.
// The link is shown once to the staff member, who passes it on; like every staff action it
// needs a reason and is written to the moderation log (without the token).
import type { FastifyInstance } from 'fastify';
import { logModeration } from '../../../policy/moderation-log.js';
import { canIssueResetLink } from '../../guards.js';
import { loadTarget, type Actor } from '../../admin/action-target.js';
import { issueToken, STAFF_RESET_TTL_MS, tokenLink } from './account-tokens.js';

export async function issueResetLink(options: { app: FastifyInstance; actor: Actor; targetId: number; reason: string }): Promise<string> {
  const { app, actor, reason } = options;
  const target = await loadTarget(app, actor, options.targetId, canIssueResetLink);
  const now = app.clock.now();
  const token = await app.db.prisma.$transaction(async (tx) => {
    const issued = await issueToken(tx, { userId: target.id, purpose: 'reset', now, ttlMs: STAFF_RESET_TTL_MS });
    await logModeration(tx, { actorId: actor.id, targetUserId: target.id, action: 'issue_reset_link', reason, at: new Date(now) });
    return issued;
  });
  return tokenLink(app.config.baseUrl, 'reset', token);
}
