// Account lookups for logging in and registering.
import type { PrismaClient } from '../../generated/prisma/client.js';

export function findLoginCandidate(prisma: PrismaClient, username: string) {
  return prisma.user.findUnique({
    where: { usernameLower: username.toLowerCase() },
    select: { id: true, username: true, passwordHash: true, enabled: true, disabledReason: true, totpEnabledAt: true },
  });
}

/** A usable invite: unused and not expired. */
export function findUsableInvite(prisma: PrismaClient, code: string, now: Date) {
  return prisma.invite.findFirst({
    where: { code, usedById: null, expiresAt: { gt: now } },
    select: { id: true, inviterId: true, email: true },
  });
}
