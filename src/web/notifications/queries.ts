// A member's notifications: the uploads their filters matched (table notifications) and the
// site's notices to them (table notices: reseed asks, requests, class changes), each with an
// explicit select; the header's unread count and the per-filter feed in raw SQL like the other
// feeds (src/web/rss/queries.ts).
import type { SqlDriver } from '../../db/driver.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { FEED_COLUMNS, FEED_SIZE, toFeedRelease, type FeedRelease, type FeedRow } from '../rss/queries.js';

export const MAX_FILTERS = 20;
export const NOTIFICATIONS_LISTED = 200;
export const NOTICES_LISTED = 100;
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

export function listNotices(prisma: PrismaClient, userId: number) {
  return prisma.notice.findMany({
    where: { userId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: NOTICES_LISTED,
    select: { id: true, body: true, textKey: true, textParams: true, link: true, createdAt: true, readAt: true },
  });
}

/**
 * Unread notices plus unread upload matches, each capped at UNREAD_SHOWN + 1, in one statement
 * on the two partial indexes of unread rows (notices_unread_idx, notifications_unread_idx).
 */
export async function countUnread(sql: SqlDriver, userId: number): Promise<number> {
  const cap = UNREAD_SHOWN + 1;
  const [row] = await sql.query<{ unread: number }>(
    `SELECT (SELECT count(*) FROM (SELECT 1 FROM notices WHERE user_id = $1 AND read_at IS NULL LIMIT ${cap}) a)::int
          + (SELECT count(*) FROM (SELECT 1 FROM notifications WHERE user_id = $1 AND read_at IS NULL LIMIT ${cap}) b)::int AS unread`,
    [userId],
  );
  return row?.unread ?? 0;
}

/** Read notifications and notices are forgotten after this, when the member next marks all read. */
export const KEEP_READ_MS = 30 * 86400_000;

/**
 * Marks every unread match and notice read, and forgets those read long ago (the lists and the
 * tables stay small); returns how many were unread.
 */
export async function markAllRead(prisma: PrismaClient, userId: number, now: number): Promise<number> {
  const [matches, notices] = await prisma.$transaction([
    prisma.notification.updateMany({ where: { userId, readAt: null }, data: { readAt: new Date(now) } }),
    prisma.notice.updateMany({ where: { userId, readAt: null }, data: { readAt: new Date(now) } }),
    prisma.notification.deleteMany({ where: { userId, readAt: { lt: new Date(now - KEEP_READ_MS) } } }),
    prisma.notice.deleteMany({ where: { userId, readAt: { lt: new Date(now - KEEP_READ_MS) } } }),
  ]);
  return matches.count + notices.count;
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
