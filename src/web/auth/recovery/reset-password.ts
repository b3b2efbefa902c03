// The reset link's form: a new password under the registration rules. argon2 runs before the
// transaction; the transaction spends the token, writes the hash and ends every session of the
// member, so whoever held the old password (or a stolen cookie) is out.
import type { PrismaClient } from '../../../generated/prisma/client.js';
import { AppError } from '../../../errors.js';
import { checkPassword } from '../../users/create-user.js';
import { hashPassword } from '../password.js';
import { findLiveToken, spendToken } from './account-tokens.js';

/** a catalog key: the error page says it in the reader's language */
export const DEAD_LINK = 'recovery.deadLink';

export interface ResetPasswordOptions {
  prisma: PrismaClient;
  token: string;
  password: string;
  confirm: string;
  now: number;
}

/** The member a live reset link belongs to; a 410 page otherwise. */
export async function loadResetToken(prisma: PrismaClient, token: string, now: number) {
  const live = await findLiveToken(prisma, token, 'reset', now);
  if (!live) throw new AppError(410, DEAD_LINK);
  return live;
}

export async function resetPassword(options: ResetPasswordOptions): Promise<{ userId: number }> {
  const { prisma, now } = options;
  const live = await loadResetToken(prisma, options.token, now);
  checkPassword(options.password, live.user.username);
  if (options.password !== options.confirm) throw AppError.badRequest('auth.register.passwordsDiffer', 'confirm');
  const passwordHash = await hashPassword(options.password);
  await prisma.$transaction(async (tx) => {
    if (!(await spendToken(tx, live.id, now))) throw new AppError(410, DEAD_LINK);
    await tx.user.update({ where: { id: live.userId }, data: { passwordHash }, select: { id: true } });
    await tx.session.deleteMany({ where: { userId: live.userId } });
    // Other reset links of this member die with this one: the password they were for is gone.
    await tx.accountToken.updateMany({ where: { userId: live.userId, purpose: 'reset', usedAt: null }, data: { usedAt: new Date(now) } });
  });
  return { userId: live.userId };
}
