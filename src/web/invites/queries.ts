// A member's invites, newest first.
import type { PrismaClient } from '../../generated/prisma/client.js';

export function listInvites(prisma: PrismaClient, inviterId: number) {
  return prisma.invite.findMany({
    where: { inviterId },
    orderBy: { createdAt: 'desc' },
    take: 200,
    select: { id: true, code: true, email: true, createdAt: true, expiresAt: true, usedAt: true, usedBy: { select: { id: true, username: true } } },
  });
}

export function invitesLeft(prisma: PrismaClient, userId: number) {
  return prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { invitesLeft: true } });
}
