// A member resets their RSS token (a feed URL leaked): the old feed and its download links stop
// working at once, since both look the token up in the database on every request.
import type { PrismaClient } from '../../generated/prisma/client.js';
import { newPasskey } from './create-user.js';

export async function resetRssToken(options: { prisma: PrismaClient; userId: number }): Promise<string> {
  const user = await options.prisma.user.update({
    where: { id: options.userId },
    data: { rssToken: newPasskey() },
    select: { rssToken: true },
  });
  return user.rssToken;
}
