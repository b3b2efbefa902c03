// Release queries for the details and download pages, each with an explicit select.
import type { PrismaClient } from '../../generated/prisma/client.js';

export async function findReleaseDetails(prisma: PrismaClient, id: number) {
  return prisma.release.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      description: true,
      size: true,
      pieceLength: true,
      fileCount: true,
      infoHashV1: true,
      infoHashV2: true,
      freeleech: true,
      seeders: true,
      leechers: true,
      snatched: true,
      createdAt: true,
      deletedAt: true,
      deleteReason: true,
      uploaderId: true,
      uploader: { select: { id: true, username: true } },
      category: { select: { id: true, name: true } },
    },
  });
}
export type ReleaseDetails = NonNullable<Awaited<ReturnType<typeof findReleaseDetails>>>;

export async function listReleaseFiles(prisma: PrismaClient, releaseId: number) {
  return prisma.releaseFile.findMany({
    where: { releaseId },
    select: { path: true, size: true },
    orderBy: { id: 'asc' },
  });
}

/** Peers the tracker currently counts (inactive rows are kept only as accounting baselines). */
export async function listActivePeers(prisma: PrismaClient, releaseId: number, limit = 200) {
  return prisma.peer.findMany({
    where: { releaseId, active: true },
    select: {
      client: true,
      uploaded: true,
      downloaded: true,
      left: true,
      seeder: true,
      ipv4: true,
      ipv6: true,
      port: true,
      lastAnnounceAt: true,
      user: { select: { id: true, username: true } },
    },
    orderBy: [{ seeder: 'desc' }, { lastAnnounceAt: 'desc' }],
    take: limit,
  });
}

export async function listSnatches(prisma: PrismaClient, releaseId: number, limit = 100) {
  return prisma.snatch.findMany({
    where: { releaseId },
    select: { completedAt: true, user: { select: { id: true, username: true } } },
    orderBy: { completedAt: 'desc' },
    take: limit,
  });
}

/** The release already holding any of these hashes (v1, v2), deleted or not. */
export async function findReleaseByHashes(prisma: PrismaClient, hashes: { infoHashV1: Buffer | null; infoHashV2: Buffer | null }) {
  const or = [];
  if (hashes.infoHashV1) or.push({ infoHashV1: new Uint8Array(hashes.infoHashV1) });
  if (hashes.infoHashV2) or.push({ infoHashV2: new Uint8Array(hashes.infoHashV2) });
  if (or.length === 0) return null;
  return prisma.release.findFirst({ where: { OR: or }, select: { id: true, name: true, deletedAt: true } });
}

export async function findReleaseForDownload(prisma: PrismaClient, id: number) {
  return prisma.release.findUnique({
    where: { id },
    select: { id: true, name: true, torrentFile: true, uploaderId: true, deletedAt: true },
  });
}

/** Download rights come back for what a member finished or is seeding (see canDownload). */
export async function hasSnatchedOrSeeds(prisma: PrismaClient, userId: number, releaseId: number): Promise<boolean> {
  const snatch = await prisma.snatch.findUnique({ where: { userId_releaseId: { userId, releaseId } }, select: { userId: true } });
  if (snatch) return true;
  const seeding = await prisma.peer.findFirst({
    where: { userId, releaseId, active: true, OR: [{ seeder: true }, { left: 0n }] },
    select: { userId: true },
  });
  return seeding !== null;
}

/** The member an RSS client acts for, found by the token in its feed's download links. */
export async function findUserByRssToken(prisma: PrismaClient, token: string) {
  if (!/^[0-9a-f]{32}$/.test(token)) return null;
  return prisma.user.findFirst({
    where: { rssToken: token, enabled: true },
    select: { id: true, role: true, passkey: true, canLeech: true, udpFirst: true },
  });
}
