// Staff queries about members: the sortable, filterable members table and one member's page.
// The table's order and filters are built in SQL (ratio is an expression); rows are then read
// with Prisma and an explicit select.
import { isIP } from 'node:net';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { SqlDriver } from '../../db/driver.js';

export const MEMBER_SORTS = ['ratio', 'required', 'uploaded', 'downloaded', 'deadline', 'seen', 'joined', 'name'] as const;
export type MemberSort = (typeof MEMBER_SORTS)[number];
export const MEMBER_FILTERS = ['watch', 'withdrawn', 'disabled', 'hnr'] as const;
export type MemberFilter = (typeof MEMBER_FILTERS)[number];
export const MEMBERS_PAGE_SIZE = 50;

export interface MemberListQuery {
  sort: MemberSort;
  order: 'asc' | 'desc';
  filter: MemberFilter | null;
  /** name part, or an IP address / prefix when ipSearch */
  q: string;
  ipSearch: boolean;
  page: number;
}

// ASC puts NULL (no download: infinite ratio; no deadline; never seen) last, DESC first.
const ORDER_SQL: Record<MemberSort, string> = {
  ratio: "(CASE WHEN u.downloaded = 0 THEN NULL ELSE u.uploaded::float8 / u.downloaded::float8 END)",
  required: 'u.required_ratio',
  uploaded: 'u.uploaded',
  downloaded: 'u.downloaded',
  deadline: 'u.watch_deadline',
  seen: 'u.last_seen_at',
  joined: 'u.created_at',
  name: 'u.username_lower',
};

const FILTER_SQL: Record<MemberFilter, string> = {
  watch: 'u.watch_deadline IS NOT NULL',
  withdrawn: 'NOT u.can_leech',
  disabled: 'NOT u.enabled',
  hnr: 'EXISTS (SELECT 1 FROM transfers t WHERE t.user_id = u.id AND t.hit_and_run_at IS NOT NULL AND NOT t.hit_and_run_cleared)',
};

const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** An IP search matches the whole address, or a prefix ending in "." or ":" (e.g. "10.0.0."). */
export const looksLikeIp = (q: string): boolean => isIP(q) !== 0 || /^[0-9.]+\.$|^[0-9a-f:]+:$/i.test(q);

function whereOf(query: MemberListQuery, params: unknown[]): string {
  const parts: string[] = [];
  if (query.filter) parts.push(FILTER_SQL[query.filter]);
  if (query.q && query.ipSearch) {
    params.push(isIP(query.q) ? query.q : `${likeEscape(query.q)}%`);
    const op = isIP(query.q) ? '=' : 'LIKE';
    const p = `$${params.length}`;
    parts.push(`(EXISTS (SELECT 1 FROM user_ips i WHERE i.user_id = u.id AND i.ip ${op} ${p})
      OR EXISTS (SELECT 1 FROM peers pe WHERE pe.user_id = u.id AND (pe.ipv4 ${op} ${p} OR pe.ipv6 ${op} ${p})))`);
  } else if (query.q) {
    params.push(`%${likeEscape(query.q.toLowerCase())}%`);
    parts.push(`u.username_lower LIKE $${params.length}`);
  }
  return parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '';
}

const memberRowSelect = {
  id: true, username: true, role: true, uploaded: true, downloaded: true, requiredRatio: true, canLeech: true,
  leechWithdrawnBy: true, enabled: true, watchDeadline: true, lastSeenAt: true, createdAt: true,
} as const;

export async function listMembers(prisma: PrismaClient, sql: SqlDriver, query: MemberListQuery) {
  const params: unknown[] = [];
  const where = whereOf(query, params);
  const [{ n }] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM users u ${where}`, params);
  const order = `${ORDER_SQL[query.sort]} ${query.order === 'asc' ? 'ASC' : 'DESC'}, u.id ASC`;
  const ids = await sql.query<{ id: number }>(
    `SELECT u.id FROM users u ${where} ORDER BY ${order} LIMIT ${MEMBERS_PAGE_SIZE} OFFSET ${(query.page - 1) * MEMBERS_PAGE_SIZE}`,
    params,
  );
  const rows = await prisma.user.findMany({ where: { id: { in: ids.map((r) => r.id) } }, select: memberRowSelect });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const hnr = await activeHitAndRunCounts(prisma, ids.map((r) => r.id));
  const ordered = ids.map((r) => byId.get(r.id)).filter((r) => r !== undefined);
  return { total: Number(n), rows: ordered.map((r) => ({ ...r, hitAndRuns: hnr.get(r.id) ?? 0 })) };
}

export async function activeHitAndRunCounts(prisma: PrismaClient, userIds: number[]): Promise<Map<number, number>> {
  if (userIds.length === 0) return new Map();
  const groups = await prisma.transfer.groupBy({
    by: ['userId'],
    where: { userId: { in: userIds }, hitAndRunAt: { not: null }, hitAndRunCleared: false },
    _count: { _all: true },
  });
  return new Map(groups.map((g) => [g.userId, g._count._all]));
}

export async function findMember(prisma: PrismaClient, id: number) {
  return prisma.user.findUnique({
    where: { id },
    select: {
      ...memberRowSelect,
      email: true, passkey: true, totpEnabledAt: true, uploadedActual: true, downloadedActual: true, disabledReason: true,
      watchStartedAt: true, watchDownloaded: true, bonusPoints: true, invitesLeft: true, userClass: true, freeleechTokens: true, personalFreeleechUntil: true, doubleUploadUntil: true,
      invitedBy: { select: { id: true, username: true } },
    },
  });
}
export type MemberDetails = NonNullable<Awaited<ReturnType<typeof findMember>>>;

/** What every action needs to check permission and update the tracker. */
export async function findActionTarget(prisma: PrismaClient, id: number) {
  return prisma.user.findUnique({
    where: { id },
    select: { id: true, username: true, role: true, passkey: true, enabled: true, canLeech: true, leechWithdrawnBy: true, uploaded: true, downloaded: true, invitesLeft: true },
  });
}
export type ActionTarget = NonNullable<Awaited<ReturnType<typeof findActionTarget>>>;

export async function listMemberPeers(prisma: PrismaClient, userId: number) {
  return prisma.peer.findMany({
    where: { userId, active: true },
    select: {
      ipv4: true, ipv6: true, port: true, client: true, uploaded: true, downloaded: true, left: true, seeder: true, lastAnnounceAt: true,
      release: { select: { id: true, name: true } },
    },
    orderBy: { lastAnnounceAt: 'desc' },
    take: 100,
  });
}

export async function listMemberTransfers(prisma: PrismaClient, userId: number, onlyHitAndRuns: boolean) {
  return prisma.transfer.findMany({
    where: onlyHitAndRuns ? { userId, hitAndRunAt: { not: null } } : { userId, completedAt: { not: null } },
    select: {
      uploaded: true, downloaded: true, downloadedActual: true, seedtime: true, seeding: true, completedAt: true,
      hitAndRunAt: true, hitAndRunCleared: true, lastAnnounceAt: true,
      release: { select: { id: true, name: true, size: true } },
    },
    orderBy: onlyHitAndRuns ? { hitAndRunAt: 'desc' } : { completedAt: 'desc' },
    take: 100,
  });
}

export async function listMemberIps(prisma: PrismaClient, userId: number) {
  return prisma.userIp.findMany({
    where: { userId },
    select: { ip: true, source: true, firstSeen: true, lastSeen: true },
    orderBy: { lastSeen: 'desc' },
    take: 100,
  });
}

export async function listMemberWarnings(prisma: PrismaClient, userId: number) {
  return prisma.warning.findMany({
    where: { userId },
    select: { id: true, reason: true, createdAt: true, expiresAt: true, by: { select: { id: true, username: true } } },
    orderBy: { createdAt: 'desc' },
    take: 50,
  });
}

/** Warnings a member sees on every page: not expired. */
export async function listActiveWarnings(prisma: PrismaClient, userId: number, now: number) {
  return prisma.warning.findMany({
    where: { userId, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date(now) } }] },
    select: { id: true, reason: true, createdAt: true, expiresAt: true },
    orderBy: { createdAt: 'desc' },
    take: 5,
  });
}

export async function listMemberTraffic(prisma: PrismaClient, userId: number, days = 90) {
  return prisma.trafficDaily.findMany({
    where: { userId },
    select: { day: true, totalUploaded: true, totalDownloaded: true, uploaded: true, downloaded: true },
    orderBy: { day: 'desc' },
    take: days,
  });
}
