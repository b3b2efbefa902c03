// A member's bookmarks, each with an explicit select; the feed's list in raw SQL like the
// other feeds (src/web/rss/queries.ts), so the .torrent sizes come from octet_length().
import type { SqlDriver } from '../../db/driver.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { FEED_COLUMNS, FEED_SIZE, toFeedRelease, type FeedRelease, type FeedRow } from '../rss/queries.js';

export const BOOKMARKS_LISTED = 500;

export async function isBookmarked(prisma: PrismaClient, userId: number, releaseId: number): Promise<boolean> {
  const row = await prisma.bookmark.findUnique({ where: { userId_releaseId: { userId, releaseId } }, select: { userId: true } });
  return row !== null;
}

/** Idempotent: a second click (or a resent form) changes nothing. */
export async function addBookmark(prisma: PrismaClient, userId: number, releaseId: number, now: number): Promise<void> {
  await prisma.bookmark.createMany({ data: [{ userId, releaseId, createdAt: new Date(now) }], skipDuplicates: true });
}

export async function removeBookmark(prisma: PrismaClient, userId: number, releaseId: number): Promise<void> {
  await prisma.bookmark.deleteMany({ where: { userId, releaseId } });
}

/** Newest first; deleted releases stay listed (marked) so the member sees why they went. */
export function listBookmarks(prisma: PrismaClient, userId: number) {
  return prisma.bookmark.findMany({
    where: { userId },
    orderBy: { createdAt: 'desc' },
    take: BOOKMARKS_LISTED,
    select: {
      createdAt: true,
      release: { select: { id: true, name: true, size: true, seeders: true, leechers: true, snatched: true, freeleech: true, deletedAt: true, category: { select: { name: true } } } },
    },
  });
}

export async function listBookmarkFeed(sql: SqlDriver, userId: number): Promise<FeedRelease[]> {
  const rows = await sql.query<FeedRow>(
    `SELECT ${FEED_COLUMNS}
       FROM bookmarks b JOIN releases r ON r.id = b.release_id JOIN categories c ON c.id = r.category_id
      WHERE b.user_id = $1 AND r.deleted_at IS NULL
      ORDER BY b.created_at DESC, r.id DESC
      LIMIT ${FEED_SIZE}`,
    [userId],
  );
  return rows.map(toFeedRelease);
}
