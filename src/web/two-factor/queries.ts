// Two-factor state of one member, each with an explicit select.
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';

type Db = PrismaClient | Prisma.TransactionClient;

export function findTwoFactor(prisma: Db, userId: number) {
  return prisma.user.findUnique({
    where: { id: userId },
    select: {
      id: true, username: true, passwordHash: true, enabled: true, role: true,
      totpSecret: true, totpEnabledAt: true, totpPendingSecret: true, totpLastStep: true,
    },
  });
}

export type TwoFactorAccount = NonNullable<Awaited<ReturnType<typeof findTwoFactor>>>;

export function listUnusedRecoveryCodes(prisma: Db, userId: number) {
  return prisma.recoveryCode.findMany({ where: { userId, usedAt: null }, select: { id: true, codeHash: true } });
}

export function countUnusedRecoveryCodes(prisma: Db, userId: number): Promise<number> {
  return prisma.recoveryCode.count({ where: { userId, usedAt: null } });
}

/** Replaces the member's recovery codes with new hashes. */
export async function storeRecoveryCodes(tx: Prisma.TransactionClient, userId: number, hashes: string[], now: number): Promise<void> {
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({ data: hashes.map((codeHash) => ({ userId, codeHash, createdAt: new Date(now) })) });
}

/** Turns two-factor login off and forgets its secrets and codes. */
export async function clearTwoFactor(tx: Prisma.TransactionClient, userId: number): Promise<void> {
  await tx.user.update({
    where: { id: userId },
    data: { totpSecret: null, totpEnabledAt: null, totpPendingSecret: null, totpLastStep: null },
    select: { id: true },
  });
  await tx.recoveryCode.deleteMany({ where: { userId } });
}
