// Warn a member: a warnings row the member sees on every page until it expires, a message in
// their inbox, and a log entry.
import type { FastifyInstance } from 'fastify';
import { logModeration } from '../../policy/moderation-log.js';
import { canWarn } from '../guards.js';
import { messageMember } from '../inbox/open-ticket.js';
import { formatDate } from '../view-helpers.js';
import { loadTarget, type Actor } from './action-target.js';

export async function warnMember(options: { app: FastifyInstance; actor: Actor; targetId: number; reason: string; days: number | null }): Promise<void> {
  const { app, actor, reason, days } = options;
  const target = await loadTarget(app, actor, options.targetId, canWarn);
  const now = app.clock.now();
  const expiresAt = days ? new Date(now + days * 86_400_000) : null;
  await app.db.prisma.$transaction(async (tx) => {
    await tx.warning.create({ data: { userId: target.id, byId: actor.id, reason, expiresAt, createdAt: new Date(now) } });
    await logModeration(tx, { actorId: actor.id, targetUserId: target.id, action: 'warn', reason, details: { days }, at: new Date(now) });
    // the warning also lands in the member's inbox, where they can answer the staff
    const until = expiresAt ? `, until ${formatDate(expiresAt)}` : '';
    await messageMember(tx, { memberId: target.id, staffId: actor.id, subject: { key: 'sent.warning.subject', params: {} }, body: `${reason}\n\n*(warning${until}; reply here to discuss it with staff)*`, kind: 'staff', now: new Date(now) });
  });
}
