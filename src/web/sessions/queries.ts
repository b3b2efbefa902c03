// A member's live sessions (rows of `sessions`, keyed by the SHA-256 of the cookie token).
import type { PrismaClient } from '../../generated/prisma/client.js';

export const MAX_LISTED_SESSIONS = 100;

export function listLiveSessions(prisma: PrismaClient, userId: number, now: number) {
  return prisma.session.findMany({
    where: { userId, expiresAt: { gt: new Date(now) } },
    orderBy: { lastSeenAt: 'desc' },
    take: MAX_LISTED_SESSIONS,
    select: { id: true, createdAt: true, lastSeenAt: true, ip: true, userAgent: true },
  });
}

/** Only among the member's own rows: a guessed id of someone else's session deletes nothing. */
export async function revokeSession(prisma: PrismaClient, userId: number, id: string): Promise<boolean> {
  const { count } = await prisma.session.deleteMany({ where: { userId, id } });
  return count === 1;
}

export async function revokeOtherSessions(prisma: PrismaClient, userId: number, keepId: string | null): Promise<number> {
  const { count } = await prisma.session.deleteMany({ where: { userId, ...(keepId ? { id: { not: keepId } } : {}) } });
  return count;
}
