// A member changes their password. The current one is required (a borrowed, logged-in browser
// must not be enough to take the account over); argon2 runs before any write, so no
// transaction waits on it. Every session of the member ends, so a thief's session dies with
// the old password; the route then starts a fresh one for this browser.
import type { PrismaClient } from '../../generated/prisma/client.js';
import { AppError } from '../../errors.js';
import { hashPassword, verifyPassword } from '../auth/password.js';
import { endSessionsOf } from '../session.js';
import { checkPassword } from './create-user.js';

export interface ChangePasswordOptions {
  prisma: PrismaClient;
  userId: number;
  current: string;
  password: string;
  confirm: string;
}

export async function changePassword(options: ChangePasswordOptions): Promise<void> {
  const { prisma, userId } = options;
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { username: true, passwordHash: true } });
  if (!user) throw AppError.notFound('users.noSuchMember');
  if (!(await verifyPassword(user.passwordHash, options.current))) {
    throw AppError.badRequest('users.wrongCurrent', 'current');
  }
  checkPassword(options.password, user.username);
  if (options.password !== options.confirm) throw AppError.badRequest('users.newPasswordsDiffer', 'confirm');
  const passwordHash = await hashPassword(options.password);
  await prisma.user.update({ where: { id: userId }, data: { passwordHash }, select: { id: true } });
  await endSessionsOf(prisma, userId);
  // A reset link asked for before the change must not undo it.
  await prisma.accountToken.updateMany({ where: { userId, purpose: 'reset', usedAt: null }, data: { usedAt: new Date() } });
}
