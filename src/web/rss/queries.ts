// RSS feed queries. Raw SQL for the feed list so the enclosure length (the .torrent's size)
// comes from octet_length() without reading 50 torrent files into memory.
import type { SqlDriver } from '../../db/driver.js';
import type { PrismaClient } from '../../generated/prisma/client.js';

export const FEED_SIZE = 50;

export interface FeedRelease {
  id: number;
  name: string;
  size: bigint;
  torrentBytes: number;
  createdAt: Date;
  categoryName: string;
  categorySlug: string;
}

export interface FeedRow {
  id: number;
  name: string;
  size: string;
  torrent_bytes: number;
  created_ms: number;
  category_name: string;
  category_slug: string;
}

/** The feed's owner: an enabled member holding this token. */
export async function findFeedOwner(prisma: PrismaClient, token: string) {
  if (!/^[0-9a-f]{32}$/.test(token)) return null;
  return prisma.user.findFirst({ where: { rssToken: token, enabled: true }, select: { id: true, username: true } });
}

export async function findCategoryBySlug(prisma: PrismaClient, slug: string) {
  if (!/^[a-z0-9-]{1,64}$/.test(slug)) return null;
  return prisma.category.findUnique({ where: { slug }, select: { id: true, name: true, slug: true } });
}

/** The newest releases not deleted, optionally in one category (uses the (category_id, created_at) index). */
export async function listFeedReleases(sql: SqlDriver, categoryId: number | null): Promise<FeedRelease[]> {
  const params: unknown[] = [];
  let where = 'r.deleted_at IS NULL';
  if (categoryId !== null) {
    params.push(categoryId);
    where += ` AND r.category_id = $${params.length}`;
  }
  const rows = await sql.query<FeedRow>(
    `SELECT ${FEED_COLUMNS}
       FROM releases r JOIN categories c ON c.id = r.category_id
      WHERE ${where}
      ORDER BY r.created_at DESC, r.id DESC
      LIMIT ${FEED_SIZE}`,
    params,
  );
  return rows.map(toFeedRelease);
}

/**
 * What a feed item reads, from `releases r` joined with `categories c`. created_at is a
 * timestamp without time zone holding UTC: read as epoch milliseconds so the driver's
 * local-time parsing cannot shift it.
 */
export const FEED_COLUMNS = `r.id, r.name, r.size::text AS size, octet_length(r.torrent_file)::int AS torrent_bytes,
            (extract(epoch FROM r.created_at) * 1000)::float8 AS created_ms,
            c.name AS category_name, c.slug AS category_slug`;

export function toFeedRelease(r: FeedRow): FeedRelease {
  return {
    id: Number(r.id),
    name: r.name,
    size: BigInt(r.size),
    torrentBytes: Number(r.torrent_bytes),
    createdAt: new Date(Number(r.created_ms)),
    categoryName: r.category_name,
    categorySlug: r.category_slug,
  };
}
