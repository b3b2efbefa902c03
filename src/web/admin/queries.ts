// Staff queries for the dashboard, the releases table and the moderation log.
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';

const DAY_MS = 86_400_000;

export async function dashboardCounts(prisma: PrismaClient, now: number) {
  const since = new Date(new Date(now - DAY_MS).toISOString().slice(0, 10));
  const [members, releases, onWatch, withdrawn, traffic] = await Promise.all([
    prisma.user.count({ where: { enabled: true } }),
    prisma.release.count({ where: { deletedAt: null } }),
    prisma.user.count({ where: { watchDeadline: { not: null } } }),
    prisma.user.count({ where: { canLeech: false } }),
    // traffic_daily is per UTC day: "last 24 h" is yesterday and today.
    prisma.trafficDaily.aggregate({ where: { day: { gte: since } }, _sum: { uploaded: true, downloaded: true } }),
  ]);
  return { members, releases, onWatch, withdrawn, uploaded24h: traffic._sum.uploaded ?? 0n, downloaded24h: traffic._sum.downloaded ?? 0n };
}

export async function listSiteStats(prisma: PrismaClient, days = 90) {
  const rows = await prisma.siteStatsDaily.findMany({
    select: { day: true, members: true, releases: true, peers: true, seeders: true, leechers: true, uploaded: true, downloaded: true },
    orderBy: { day: 'desc' },
    take: days,
  });
  return rows.reverse();
}

export async function listMembersOnWatch(prisma: PrismaClient, take = 10) {
  return prisma.user.findMany({
    where: { watchDeadline: { not: null } },
    select: { id: true, username: true, uploaded: true, downloaded: true, requiredRatio: true, watchDeadline: true },
    orderBy: { watchDeadline: 'asc' },
    take,
  });
}

export const RELEASES_PAGE_SIZE = 50;

export async function listReleasesForStaff(prisma: PrismaClient, options: { q: string; deleted: boolean; page: number }) {
  const where: Prisma.ReleaseWhereInput = {
    deletedAt: options.deleted ? { not: null } : null,
    // the lower-case copy of the name is what the trigram index covers (browse search uses it too)
    ...(options.q ? { nameLower: { contains: options.q.toLowerCase() } } : {}),
  };
  const [total, rows] = await Promise.all([
    prisma.release.count({ where }),
    prisma.release.findMany({
      where,
      select: {
        id: true, name: true, size: true, freeleech: true, seeders: true, leechers: true, snatched: true, createdAt: true,
        deletedAt: true, deleteReason: true, category: { select: { name: true } }, uploader: { select: { id: true, username: true } },
      },
      orderBy: { createdAt: 'desc' },
      skip: (options.page - 1) * RELEASES_PAGE_SIZE,
      take: RELEASES_PAGE_SIZE,
    }),
  ]);
  return { total, rows };
}

export async function findReleaseForStaff(prisma: PrismaClient, id: number) {
  return prisma.release.findUnique({
    where: { id },
    select: {
      id: true, name: true, description: true, categoryId: true, freeleech: true, size: true, deletedAt: true, deleteReason: true,
      infoHashV1: true, infoHashV2: true, infoHashV2Short: true, seeders: true, leechers: true, snatched: true, createdAt: true,
      imdbId: true, tmdbId: true, tvdbId: true,
      uploader: { select: { id: true, username: true } },
    },
  });
}

export const LOG_PAGE_SIZE = 50;

export interface LogFilter {
  action: string;
  /** username, or "system" for the policy job */
  actor: string;
  target: string;
  targetUserId: number | null;
  page: number;
}

function logWhere(filter: LogFilter): Prisma.ModerationLogWhereInput {
  const where: Prisma.ModerationLogWhereInput = {};
  if (filter.action) where.action = filter.action;
  if (filter.actor.toLowerCase() === 'system') where.actorId = null;
  else if (filter.actor) where.actor = { usernameLower: filter.actor.toLowerCase() };
  if (filter.targetUserId !== null) where.targetUserId = filter.targetUserId;
  else if (filter.target) where.target = { usernameLower: filter.target.toLowerCase() };
  return where;
}

export async function listModerationLog(prisma: PrismaClient, filter: LogFilter, pageSize = LOG_PAGE_SIZE) {
  const where = logWhere(filter);
  const [total, rows] = await Promise.all([
    prisma.moderationLog.count({ where }),
    prisma.moderationLog.findMany({
      where,
      select: {
        id: true, action: true, reason: true, details: true, createdAt: true,
        actor: { select: { id: true, username: true } },
        target: { select: { id: true, username: true } },
        release: { select: { id: true, name: true } },
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: (filter.page - 1) * pageSize,
      take: pageSize,
    }),
  ]);
  return { total, rows };
}

export async function listLogActions(prisma: PrismaClient): Promise<string[]> {
  const rows = await prisma.moderationLog.findMany({ distinct: ['action'], select: { action: true }, orderBy: { action: 'asc' } });
  return rows.map((r) => r.action);
}
