// The operator's way back in for a member (`npm run admin -- password <name>`): a new password
// under the registration rules, hashed before the transaction that writes it and ends every
// session of the member, as a reset link does.
import type { PrismaClient } from '../../../generated/prisma/client.js';
import { checkPassword } from '../../users/create-user.js';
import { hashPassword } from '../password.js';

export async function setMemberPassword(options: { prisma: PrismaClient; username: string; password: string }) {
  const { prisma } = options;
  const user = await prisma.user.findUnique({ where: { usernameLower: options.username.toLowerCase() }, select: { id: true, username: true } });
  if (!user) throw new Error(`no member named ${options.username}`);
  checkPassword(options.password, user.username);
  const passwordHash = await hashPassword(options.password);
  const sessionsEnded = await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash }, select: { id: true } });
    await tx.accountToken.updateMany({ where: { userId: user.id, purpose: 'reset', usedAt: null }, data: { usedAt: new Date() } });
    return (await tx.session.deleteMany({ where: { userId: user.id } })).count;
  });
  return { username: user.username, sessionsEnded };
}
