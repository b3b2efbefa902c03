// The staff inbox's queries (tables tickets and ticket_messages), each with an explicit select.
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';

export const TICKETS_PAGE_SIZE = 30;
export const STAFF_VIEWS = ['unassigned', 'mine', 'open', 'resolved'] as const;
export type StaffView = (typeof STAFF_VIEWS)[number];

type Db = PrismaClient | Prisma.TransactionClient;

const listSelect = {
  id: true, subject: true, subjectKey: true, subjectParams: true, kind: true, status: true, memberUnread: true, staffUnread: true, createdAt: true, lastMessageAt: true,
  member: { select: { id: true, username: true } },
  assignee: { select: { id: true, username: true } },
  _count: { select: { messages: true } },
} as const;

/** Open conversations a staff member should read: new activity, unassigned or theirs. */
export function countStaffQueue(prisma: Db, staffId: number): Promise<number> {
  return prisma.ticket.count({ where: { status: 'open', staffUnread: true, OR: [{ assigneeId: null }, { assigneeId: staffId }] } });
}

export async function listMemberTickets(prisma: Db, memberId: number, page: number) {
  const where = { memberId };
  const [total, rows] = await Promise.all([
    prisma.ticket.count({ where }),
    prisma.ticket.findMany({ where, select: listSelect, orderBy: [{ lastMessageAt: 'desc' }, { id: 'desc' }], skip: (page - 1) * TICKETS_PAGE_SIZE, take: TICKETS_PAGE_SIZE }),
  ]);
  return { total, rows };
}

function staffWhere(view: StaffView, staffId: number): Prisma.TicketWhereInput {
  if (view === 'unassigned') return { status: 'open', assigneeId: null };
  if (view === 'mine') return { status: 'open', assigneeId: staffId };
  if (view === 'open') return { status: 'open' };
  return { status: 'resolved' };
}

export async function listStaffQueue(prisma: Db, options: { view: StaffView; staffId: number; page: number }) {
  const where = staffWhere(options.view, options.staffId);
  const [total, rows, counts] = await Promise.all([
    prisma.ticket.count({ where }),
    prisma.ticket.findMany({ where, select: listSelect, orderBy: [{ lastMessageAt: options.view === 'resolved' ? 'desc' : 'asc' }, { id: 'asc' }], skip: (options.page - 1) * TICKETS_PAGE_SIZE, take: TICKETS_PAGE_SIZE }),
    Promise.all(STAFF_VIEWS.map((view) => prisma.ticket.count({ where: staffWhere(view, options.staffId) }))),
  ]);
  return { total, rows, counts: Object.fromEntries(STAFF_VIEWS.map((view, i) => [view, counts[i]])) as Record<StaffView, number> };
}

export function findTicket(prisma: Db, id: number) {
  return prisma.ticket.findUnique({
    where: { id },
    select: {
      ...listSelect,
      resolvedAt: true,
      memberId: true,
      assigneeId: true,
      member: { select: { id: true, username: true, enabled: true } },
      messages: {
        select: { id: true, body: true, textKey: true, textParams: true, fromStaff: true, createdAt: true, author: { select: { id: true, username: true } } },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      },
    },
  });
}
export type TicketDetails = NonNullable<Awaited<ReturnType<typeof findTicket>>>;

/** Staff who can be assigned a conversation. */
export function listStaff(prisma: Db) {
  return prisma.user.findMany({ where: { role: { in: ['moderator', 'admin'] }, enabled: true }, select: { id: true, username: true }, orderBy: { usernameLower: 'asc' } });
}

/** A disabled member's appeals, newest first, with their messages (the login page shows them). */
export function listAppeals(prisma: Db, memberId: number) {
  return prisma.ticket.findMany({
    where: { memberId, kind: 'appeal' },
    select: {
      id: true, subject: true, subjectKey: true, subjectParams: true, status: true,
      messages: { select: { id: true, body: true, textKey: true, textParams: true, fromStaff: true, createdAt: true, author: { select: { username: true } } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
    },
    orderBy: { lastMessageAt: 'desc' },
    take: 5,
  });
}
