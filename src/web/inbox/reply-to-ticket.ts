// A message in an existing conversation. The member's reply reopens a resolved conversation
// and marks it unread for staff; a staff reply marks it unread for the member, takes an
// unassigned conversation for its author, and is logged like every staff action.
import type { PrismaClient } from '../../generated/prisma/client.js';
import { logModeration } from '../../policy/moderation-log.js';

interface Reply {
  prisma: PrismaClient;
  ticket: { id: number; memberId: number; assigneeId: number | null };
  authorId: number;
  body: string;
  now: Date;
}

export async function replyAsMember(options: Reply): Promise<void> {
  const { prisma, ticket, authorId, body, now } = options;
  await prisma.ticket.update({
    where: { id: ticket.id },
    data: {
      status: 'open', resolvedAt: null, staffUnread: true, memberUnread: false, lastMessageAt: now,
      messages: { create: { authorId, fromStaff: false, body, createdAt: now } },
    },
  });
}

export async function replyAsStaff(options: Reply & { resolve: boolean }): Promise<void> {
  const { prisma, ticket, authorId, body, now, resolve } = options;
  await prisma.$transaction(async (tx) => {
    await tx.ticket.update({
      where: { id: ticket.id },
      data: {
        memberUnread: true, staffUnread: false, lastMessageAt: now,
        assigneeId: ticket.assigneeId ?? authorId,
        ...(resolve ? { status: 'resolved', resolvedAt: now } : {}),
        messages: { create: { authorId, fromStaff: true, body, createdAt: now } },
      },
    });
    await logModeration(tx, { actorId: authorId, targetUserId: ticket.memberId, action: resolve ? 'ticket_reply_resolve' : 'ticket_reply', reason: '', details: { ticket: ticket.id }, at: now });
  });
}
