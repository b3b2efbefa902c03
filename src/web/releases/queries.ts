// Release queries for the details and download pages, each with an explicit select.
import type { SqlDriver } from '../../db/driver.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { ListsVisibility } from '../guards.js';

/** A UTC timestamp column as a timestamptz, which the driver reads the same in any time zone. */
const utc = (column: string): string => `${column} AT TIME ZONE 'UTC'`;
const bigint = (value: unknown): bigint => BigInt(value as string | number | bigint);
const bytes = (value: unknown): Uint8Array | null => (value === null ? null : new Uint8Array(value as Uint8Array));

// The details page's queries join their member and category in SQL (through the SQL driver):
// Prisma loads each relation with one more query after the first, so the page took three
// round trips in a row where one does.

interface ReleaseDetailsRow {
  id: number; name: string; description: string; nfo: string | null; size: bigint | string; pieceLength: number; fileCount: number;
  infoHashV1: Uint8Array | null; infoHashV2: Uint8Array | null; freeleech: 'normal' | 'freeleech' | 'neutral' | 'double_upload';
  seeders: number; leechers: number; snatched: number; createdAt: Date; deletedAt: Date | null; deleteReason: string | null;
  uploaderId: number | null; uploaderName: string | null; categoryId: number; categoryName: string;
}

export async function findReleaseDetails(sql: SqlDriver, id: number) {
  const [row] = await sql.query<ReleaseDetailsRow>(
    `SELECT r.id, r.name, r.description, r.nfo, r.size, r.piece_length AS "pieceLength", r.file_count AS "fileCount",
            r.info_hash_v1 AS "infoHashV1", r.info_hash_v2 AS "infoHashV2", r.freeleech::text AS freeleech,
            r.seeders, r.leechers, r.snatched, ${utc('r.created_at')} AS "createdAt", ${utc('r.deleted_at')} AS "deletedAt",
            r.delete_reason AS "deleteReason", r.uploader_id AS "uploaderId", u.username AS "uploaderName",
            c.id AS "categoryId", c.name AS "categoryName"
     FROM releases r JOIN categories c ON c.id = r.category_id LEFT JOIN users u ON u.id = r.uploader_id
     WHERE r.id = $1`,
    [id],
  );
  if (!row) return null;
  const { uploaderName, categoryId, categoryName, ...release } = row;
  return {
    ...release,
    size: bigint(release.size),
    infoHashV1: bytes(release.infoHashV1),
    infoHashV2: bytes(release.infoHashV2),
    uploader: release.uploaderId === null || uploaderName === null ? null : { id: release.uploaderId, username: uploaderName },
    category: { id: categoryId, name: categoryName },
  };
}
export type ReleaseDetails = NonNullable<Awaited<ReturnType<typeof findReleaseDetails>>>;

export async function listReleaseFiles(prisma: PrismaClient, releaseId: number) {
  return prisma.releaseFile.findMany({
    where: { releaseId },
    select: { path: true, size: true },
    orderBy: { id: 'asc' },
  });
}

interface PeerRow {
  client: string; uploaded: bigint | string; downloaded: bigint | string; left: bigint | string; seeder: boolean;
  ipv4: string | null; ipv6: string | null; port: number; lastAnnounceAt: Date; userId: number; username: string;
  listsVisibleTo: ListsVisibility;
}

/** Peers the tracker currently counts (inactive rows are kept only as accounting baselines). */
export async function listActivePeers(sql: SqlDriver, releaseId: number, limit = 200) {
  const rows = await sql.query<PeerRow>(
    `SELECT p.client, p.uploaded, p.downloaded, p."left", p.seeder, p.ipv4, p.ipv6, p.port,
            ${utc('p.last_announce_at')} AS "lastAnnounceAt", u.id AS "userId", u.username, u.lists_visible_to AS "listsVisibleTo"
     FROM peers p JOIN users u ON u.id = p.user_id
     WHERE p.release_id = $1 AND p.active
     ORDER BY p.seeder DESC, p.last_announce_at DESC
     LIMIT $2`,
    [releaseId, limit],
  );
  return rows.map(({ userId, username, listsVisibleTo, ...peer }) => ({
    ...peer,
    uploaded: bigint(peer.uploaded),
    downloaded: bigint(peer.downloaded),
    left: bigint(peer.left),
    user: { id: userId, username, listsVisibleTo },
  }));
}

export async function listSnatches(sql: SqlDriver, releaseId: number, limit = 100) {
  const rows = await sql.query<{ completedAt: Date; userId: number; username: string; listsVisibleTo: ListsVisibility }>(
    `SELECT ${utc('s.completed_at')} AS "completedAt", u.id AS "userId", u.username, u.lists_visible_to AS "listsVisibleTo"
     FROM snatches s JOIN users u ON u.id = s.user_id
     WHERE s.release_id = $1
     ORDER BY s.completed_at DESC
     LIMIT $2`,
    [releaseId, limit],
  );
  return rows.map(({ completedAt, userId, username, listsVisibleTo }) => ({ completedAt, user: { id: userId, username, listsVisibleTo } }));
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
    select: { id: true, role: true, passkey: true, canLeech: true, announceTiers: true },
  });
}
