// Staff work the queue: assign a conversation (to themselves or another staff member, or
// nobody), resolve it, reopen it. Each change is logged.
import type { PrismaClient } from '../../generated/prisma/client.js';
import { AppError } from '../../errors.js';
import { logModeration } from '../../policy/moderation-log.js';

interface Change {
  prisma: PrismaClient;
  actorId: number;
  ticket: { id: number; memberId: number };
  now: Date;
}

export async function assignTicket(options: Change & { assigneeId: number | null }): Promise<string | null> {
  const { prisma, actorId, ticket, assigneeId, now } = options;
  let assignee: { username: string } | null = null;
  if (assigneeId !== null) {
    assignee = await prisma.user.findFirst({ where: { id: assigneeId, role: { in: ['moderator', 'admin'] }, enabled: true }, select: { username: true } });
    if (!assignee) throw AppError.badRequest('inbox.errors.chooseStaff', 'assignee');
  }
  await prisma.$transaction(async (tx) => {
    await tx.ticket.update({ where: { id: ticket.id }, data: { assigneeId } });
    await logModeration(tx, { actorId, targetUserId: ticket.memberId, action: 'ticket_assign', reason: '', details: { ticket: ticket.id, assignee: assignee?.username ?? null }, at: now });
  });
  return assignee?.username ?? null;
}

export async function setTicketResolved(options: Change & { resolved: boolean }): Promise<void> {
  const { prisma, actorId, ticket, resolved, now } = options;
  await prisma.$transaction(async (tx) => {
    await tx.ticket.update({
      where: { id: ticket.id },
      data: resolved ? { status: 'resolved', resolvedAt: now, staffUnread: false } : { status: 'open', resolvedAt: null },
    });
    await logModeration(tx, { actorId, targetUserId: ticket.memberId, action: resolved ? 'ticket_resolve' : 'ticket_reopen', reason: '', details: { ticket: ticket.id }, at: now });
  });
}
