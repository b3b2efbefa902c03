// Profile lookups, each with an explicit select: the member, their live peers (no addresses:
// profiles never show IPs), snatches, uploads, per-release history from transfers, and the
// end-of-day totals behind the ratio chart.
import type { PrismaClient } from '../../generated/prisma/client.js';

const LIST_LIMIT = 100;
const CHART_DAYS = 365;

const profileSelect = {
  id: true,
  username: true,
  email: true,
  role: true,
  passkey: true,
  rssToken: true,
  uploaded: true,
  downloaded: true,
  uploadedActual: true,
  downloadedActual: true,
  canLeech: true,
  enabled: true,
  requiredRatio: true,
  watchStartedAt: true,
  watchDeadline: true,
  bonusPoints: true,
  createdAt: true,
  lastSeenAt: true,
  listsVisibleTo: true,
  invitedBy: { select: { id: true, username: true } },
} as const;

export function findProfile(prisma: PrismaClient, id: number) {
  return prisma.user.findUnique({ where: { id }, select: profileSelect });
}

export type Profile = NonNullable<Awaited<ReturnType<typeof findProfile>>>;

/** What the owner's settings page edits. */
export function findAccount(prisma: PrismaClient, id: number) {
  return prisma.user.findUnique({ where: { id }, select: { id: true, username: true, email: true, emailVerifiedAt: true, announceTiers: true, totpEnabledAt: true, listsVisibleTo: true } });
}

/** Peers in a swarm right now (one row per client; a member may seed from two machines). */
export function listActivePeersOf(prisma: PrismaClient, userId: number) {
  return prisma.peer.findMany({
    where: { userId, active: true },
    orderBy: { lastAnnounceAt: 'desc' },
    take: LIST_LIMIT * 2,
    select: {
      seeder: true,
      client: true,
      uploaded: true,
      downloaded: true,
      left: true,
      lastAnnounceAt: true,
      release: { select: { id: true, name: true, size: true } },
    },
  });
}

export function listSnatchesOf(prisma: PrismaClient, userId: number) {
  return prisma.snatch.findMany({
    where: { userId, release: { deletedAt: null } },
    orderBy: { completedAt: 'desc' },
    take: LIST_LIMIT,
    select: { completedAt: true, release: { select: { id: true, name: true, size: true } } },
  });
}

export const UPLOADS_PER_PAGE = 25;

/** One page (from 1) of a member's live uploads, newest first (index releases_uploader_id_created_at_idx). */
export function listUploadsOf(prisma: PrismaClient, userId: number, page = 1) {
  return prisma.release.findMany({
    where: { uploaderId: userId, deletedAt: null },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    skip: (page - 1) * UPLOADS_PER_PAGE,
    take: UPLOADS_PER_PAGE,
    select: { id: true, name: true, size: true, seeders: true, leechers: true, snatched: true, freeleech: true, createdAt: true },
  });
}

export function countUploadsOf(prisma: PrismaClient, userId: number): Promise<number> {
  return prisma.release.count({ where: { uploaderId: userId, deletedAt: null } });
}

/** Per-release traffic and seed time, most recently active first. */
export function listTransfersOf(prisma: PrismaClient, userId: number) {
  return prisma.transfer.findMany({
    where: { userId },
    orderBy: { lastAnnounceAt: 'desc' },
    take: LIST_LIMIT,
    select: {
      uploaded: true,
      downloaded: true,
      seedtime: true,
      seeding: true,
      leeching: true,
      completedAt: true,
      lastAnnounceAt: true,
      hitAndRunAt: true,
      hitAndRunCleared: true,
      release: { select: { id: true, name: true, deletedAt: true } },
    },
  });
}

/** The last year of end-of-day credited totals, oldest first. */
export function listRatioHistory(prisma: PrismaClient, userId: number, now = Date.now()) {
  return prisma.trafficDaily.findMany({
    where: { userId, day: { gte: new Date(now - CHART_DAYS * 86400_000) } },
    orderBy: { day: 'asc' },
    select: { day: true, totalUploaded: true, totalDownloaded: true },
  });
}
