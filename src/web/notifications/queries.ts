// Notification filters and notifications of one member, each with an explicit select; the
// per-filter feed in raw SQL like the other feeds (src/web/rss/queries.ts).
import type { SqlDriver } from '../../db/driver.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { FEED_COLUMNS, FEED_SIZE, toFeedRelease, type FeedRelease, type FeedRow } from '../rss/queries.js';

export const MAX_FILTERS = 20;
export const NOTIFICATIONS_LISTED = 200;
/** The header shows "99+" past this: counting further would cost for nothing. */
export const UNREAD_SHOWN = 99;

export function listFilters(prisma: PrismaClient, userId: number) {
  return prisma.notificationFilter.findMany({
    where: { userId },
    orderBy: { id: 'asc' },
    take: MAX_FILTERS,
    select: { id: true, name: true, words: true, freeleechOnly: true, createdAt: true, category: { select: { id: true, name: true } } },
  });
}

export function countFilters(prisma: PrismaClient, userId: number): Promise<number> {
  return prisma.notificationFilter.count({ where: { userId } });
}

/** Only among the member's own filters: someone else's id deletes nothing. */
export async function deleteFilter(prisma: PrismaClient, userId: number, id: number): Promise<boolean> {
  const { count } = await prisma.notificationFilter.deleteMany({ where: { id, userId } });
  return count === 1;
}

export function findOwnFilter(prisma: PrismaClient, userId: number, id: number) {
  return prisma.notificationFilter.findFirst({ where: { id, userId }, select: { id: true, name: true } });
}

export function listNotifications(prisma: PrismaClient, userId: number) {
  return prisma.notification.findMany({
    where: { userId, release: { deletedAt: null } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: NOTIFICATIONS_LISTED,
    select: {
      id: true, createdAt: true, readAt: true,
      filter: { select: { id: true, name: true } },
      release: { select: { id: true, name: true, size: true, seeders: true, leechers: true, freeleech: true, category: { select: { name: true } } } },
    },
  });
}

/** Unread, at most UNREAD_SHOWN + 1 (index notifications_unread_idx). */
export function countUnread(prisma: PrismaClient, userId: number): Promise<number> {
  return prisma.notification.count({ where: { userId, readAt: null }, take: UNREAD_SHOWN + 1 });
}

/** Read notifications are forgotten after this, when the member next marks all read. */
export const KEEP_READ_MS = 30 * 86400_000;

/** Marks every unread one read, and forgets those read long ago (the table stays small). */
export async function markAllRead(prisma: PrismaClient, userId: number, now: number): Promise<number> {
  const [marked] = await prisma.$transaction([
    prisma.notification.updateMany({ where: { userId, readAt: null }, data: { readAt: new Date(now) } }),
    prisma.notification.deleteMany({ where: { userId, readAt: { lt: new Date(now - KEEP_READ_MS) } } }),
  ]);
  return marked.count;
}

export async function listFilterFeed(sql: SqlDriver, filterId: number): Promise<FeedRelease[]> {
  const rows = await sql.query<FeedRow>(
    `SELECT ${FEED_COLUMNS}
       FROM notifications n JOIN releases r ON r.id = n.release_id JOIN categories c ON c.id = r.category_id
      WHERE n.filter_id = $1 AND r.deleted_at IS NULL
      ORDER BY n.created_at DESC, r.id DESC
      LIMIT ${FEED_SIZE}`,
    [filterId],
  );
  return rows.map(toFeedRelease);
}
