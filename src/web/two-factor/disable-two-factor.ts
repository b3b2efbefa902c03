// A member turns two-factor login off with their password and a code (from the app, or a
// recovery code), so neither a borrowed browser nor a stolen password alone can do it. Every
// other session ends.
import type { PrismaClient } from '../../generated/prisma/client.js';
import { AppError } from '../../errors.js';
import { verifyPassword } from '../auth/password.js';
import { clearTwoFactor, findTwoFactor } from './queries.js';
import { verifySecondFactor } from './verify-second-factor.js';

export interface DisableTwoFactorOptions {
  prisma: PrismaClient;
  userId: number;
  password: string;
  code: string;
  now: number;
  keepSessionId: string | null;
}

export async function disableTwoFactor(options: DisableTwoFactorOptions): Promise<void> {
  const { prisma, userId, now } = options;
  const account = await findTwoFactor(prisma, userId);
  if (!account) throw AppError.notFound('users.noSuchMember');
  if (!account.totpEnabledAt) throw AppError.conflict('twoFactor.errors.alreadyOff');
  if (!(await verifyPassword(account.passwordHash, options.password))) throw AppError.badRequest('twoFactor.errors.notYourPassword', 'disable-password');
  if (!(await verifySecondFactor(prisma, account, options.code, now))) {
    throw AppError.badRequest('twoFactor.errors.codeWrongOrUsed', 'disable-code');
  }
  await prisma.$transaction(async (tx) => {
    await clearTwoFactor(tx, userId);
    await tx.session.deleteMany({ where: { userId, ...(options.keepSessionId ? { id: { not: options.keepSessionId } } : {}) } });
  });
}
