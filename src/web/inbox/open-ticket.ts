// Opening a conversation: a member writing to staff (or appealing from the login page), and
// staff writing to a member (a warning, a report's outcome, a message from the member page).
// A staff message starts resolved and assigned to its sender: nothing waits on staff until
// the member answers, which reopens it (reply-to-ticket.ts).
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';
import { englishOf, type StoredText } from '../../i18n/stored-text.js';
import { logModeration } from '../../policy/moderation-log.js';

export type TicketKind = 'member' | 'appeal' | 'staff' | 'report';

export async function openTicket(options: { prisma: PrismaClient; memberId: number; subject: string; body: string; kind: 'member' | 'appeal'; now: Date }): Promise<number> {
  const { prisma, memberId, subject, body, kind, now } = options;
  const ticket = await prisma.ticket.create({
    data: {
      memberId, subject, kind, status: 'open', staffUnread: true, createdAt: now, lastMessageAt: now,
      messages: { create: { authorId: memberId, fromStaff: false, body, createdAt: now } },
    },
    select: { id: true },
  });
  return ticket.id;
}

/** Adds to the member's open appeal, or opens one: a disabled member has one conversation at a time. */
export async function appendAppeal(options: { prisma: PrismaClient; memberId: number; body: string; now: Date }): Promise<number> {
  const { prisma, memberId, body, now } = options;
  const open = await prisma.ticket.findFirst({ where: { memberId, kind: 'appeal', status: 'open' }, select: { id: true }, orderBy: { id: 'desc' } });
  if (!open) return openTicket({ prisma, memberId, subject: 'Appeal: my account is disabled', body, kind: 'appeal', now });
  await prisma.ticket.update({
    where: { id: open.id },
    data: { staffUnread: true, lastMessageAt: now, messages: { create: { authorId: memberId, fromStaff: false, body, createdAt: now } } },
  });
  return open.id;
}

export interface StaffMessage {
  memberId: number;
  staffId: number;
  /** a text staff wrote, or the site's own (a catalog key and its values) */
  subject: string | StoredText;
  body: string | StoredText;
  kind: 'staff' | 'report';
  now: Date;
  /** logged with the message unless the calling action logs it already */
  reason?: string;
}

/** A text as stored: its English, and its key and values when the site wrote it. */
const stored = (text: string | StoredText) =>
  typeof text === 'string' ? { text, key: null, params: undefined } : { text: englishOf(text), key: text.key, params: text.params as Prisma.InputJsonValue };

/** Staff write first; inside the caller's transaction, so the message exists exactly when its action does. */
export async function messageMember(tx: Prisma.TransactionClient, message: StaffMessage): Promise<number> {
  const { memberId, staffId, kind, now } = message;
  const subject = stored(message.subject);
  const body = stored(message.body);
  const ticket = await tx.ticket.create({
    data: {
      memberId, subject: subject.text.slice(0, 200), subjectKey: subject.key, subjectParams: subject.params, kind, status: 'resolved', assigneeId: staffId, memberUnread: true, createdAt: now, lastMessageAt: now, resolvedAt: now,
      messages: { create: { authorId: staffId, fromStaff: true, body: body.text, textKey: body.key, textParams: body.params, createdAt: now } },
    },
    select: { id: true },
  });
  if (message.reason !== undefined) {
    await logModeration(tx, { actorId: staffId, targetUserId: memberId, action: 'message_member', reason: message.reason, details: { ticket: ticket.id, subject: subject.text }, at: now });
  }
  return ticket.id;
}
