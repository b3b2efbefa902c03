// Issuing an invite spends one of the member's invites (admins have no quota), in the same
// transaction as the code, so two clicks cannot spend one invite twice.
import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { AppError } from '../../errors.js';

export interface CreateInviteOptions {
  prisma: PrismaClient;
  inviter: { id: number; role: string };
  email: string | null;
  expiryDays: number;
  now: number;
}

export async function createInvite(options: CreateInviteOptions) {
  const { prisma, inviter } = options;
  return prisma.$transaction(async (tx) => {
    if (inviter.role !== 'admin') {
      const spent = await tx.user.updateMany({ where: { id: inviter.id, invitesLeft: { gt: 0 } }, data: { invitesLeft: { decrement: 1 } } });
      if (spent.count !== 1) throw AppError.forbidden('invites.noneLeft');
    }
    return tx.invite.create({
      data: {
        code: randomBytes(16).toString('hex'),
        inviterId: inviter.id,
        email: options.email,
        createdAt: new Date(options.now),
        expiresAt: new Date(options.now + options.expiryDays * 86400_000),
      },
      select: { id: true, code: true },
    });
  });
}

/** Revoking an unused invite gives it back. */
export async function revokeInvite(options: { prisma: PrismaClient; inviter: { id: number; role: string }; inviteId: number }) {
  const { prisma, inviter } = options;
  await prisma.$transaction(async (tx) => {
    const removed = await tx.invite.deleteMany({ where: { id: options.inviteId, inviterId: inviter.id, usedById: null } });
    if (removed.count !== 1) throw AppError.notFound('invites.noSuch');
    if (inviter.role !== 'admin') await tx.user.update({ where: { id: inviter.id }, data: { invitesLeft: { increment: 1 } } });
  });
}
