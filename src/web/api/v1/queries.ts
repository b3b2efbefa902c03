// The JSON API's own lookups (the browse search and the details query are the pages').
import type { PrismaClient } from '../../../generated/prisma/client.js';

export function findMediaIds(prisma: PrismaClient, releaseId: number) {
  return prisma.release.findUnique({ where: { id: releaseId }, select: { imdbId: true, tmdbId: true, tvdbId: true, pieceLength: true } });
}

/** The member's totals and what the profile page counts. */
export async function findMemberStats(prisma: PrismaClient, userId: number) {
  const [user, seeding, leeching, snatched, uploads, hitAndRuns] = await Promise.all([
    prisma.user.findUniqueOrThrow({
      where: { id: userId },
      select: {
        id: true, username: true, role: true, uploaded: true, downloaded: true, uploadedActual: true, downloadedActual: true,
        canLeech: true, requiredRatio: true, watchDeadline: true, bonusPoints: true,
      },
    }),
    prisma.peer.count({ where: { userId, active: true, seeder: true } }),
    prisma.peer.count({ where: { userId, active: true, seeder: false } }),
    prisma.snatch.count({ where: { userId } }),
    prisma.release.count({ where: { uploaderId: userId, deletedAt: null } }),
    prisma.transfer.count({ where: { userId, hitAndRunAt: { not: null }, hitAndRunCleared: false } }),
  ]);
  return { user, seeding, leeching, snatched, uploads, hitAndRuns };
}
