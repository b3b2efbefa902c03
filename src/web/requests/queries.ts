// The requests pages' reads, each with an explicit select.
import type { PrismaClient } from '../../generated/prisma/client.js';

const PAGE = 100;
export const STATUSES = ['open', 'filled', 'done', 'withdrawn'] as const;
export type StatusFilter = (typeof STATUSES)[number];

export function listRequests(prisma: PrismaClient, status: StatusFilter) {
  return prisma.request.findMany({
    where: { status },
    orderBy: status === 'open' ? [{ bounty: 'desc' }, { id: 'desc' }] : [{ id: 'desc' }],
    take: PAGE,
    select: { id: true, name: true, bounty: true, status: true, createdAt: true, categoryId: true, requester: { select: { id: true, username: true } } },
  });
}

export function findRequest(prisma: PrismaClient, id: number) {
  return prisma.request.findUnique({
    where: { id },
    select: {
      id: true, name: true, description: true, links: true, bounty: true, status: true, categoryId: true, createdAt: true, filledAt: true, closedAt: true, requesterId: true,
      requester: { select: { id: true, username: true } },
      filler: { select: { id: true, username: true } },
      release: { select: { id: true, name: true } },
      bounties: { orderBy: { id: 'asc' }, select: { amount: true, createdAt: true, user: { select: { id: true, username: true } } } },
    },
  });
}
