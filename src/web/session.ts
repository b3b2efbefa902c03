// Database-backed sessions. The cookie carries a random token; the sessions table stores only
// its SHA-256, so a leaked table does not log anyone in. A disabled member's sessions are
// deleted at once (endSessionsOf) and the lookup also refuses disabled accounts.
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { AnnounceTiers } from '../generated/prisma/enums.js';
import { countStaffQueue } from './inbox/queries.js';

export const SESSION_COOKIE = 'sk_session';
const SESSION_DAYS = 30;
/** lastSeen is written at most this often, so page views stay read-only */
const TOUCH_EVERY_MS = 5 * 60 * 1000;

export interface SessionUser {
  id: number;
  username: string;
  role: 'member' | 'uploader' | 'moderator' | 'admin';
  passkey: string;
  rssToken: string;
  uploaded: bigint;
  downloaded: bigint;
  canLeech: boolean;
  requiredRatio: number;
  watchDeadline: Date | null;
  announceTiers: AnnounceTiers;
  bonusPoints: number;
  /** the member's language setting (null: the browser's) */
  locale: string | null;
  /** the member's inbox conversations with an unread staff message (the header shows it) */
  unreadMessages: number;
  /** staff: open conversations waiting for a staff reader (src/web/inbox); 0 for members */
  staffQueue: number;
  /** two-factor login is on (staff may be required to turn it on) */
  twoFactor: boolean;
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

const sessionUserSelect = {
  id: true,
  username: true,
  role: true,
  passkey: true,
  rssToken: true,
  uploaded: true,
  downloaded: true,
  canLeech: true,
  enabled: true,
  requiredRatio: true,
  watchDeadline: true,
  announceTiers: true,
  bonusPoints: true,
  locale: true,
  // the header's unread count, in the same query as the session
  _count: { select: { tickets: { where: { memberUnread: true } } } },
  totpEnabledAt: true,
} as const;

const isStaffRole = (role: SessionUser['role']): boolean => role === 'moderator' || role === 'admin';

export async function createSession(
  prisma: PrismaClient,
  reply: FastifyReply,
  options: { userId: number; ip: string; userAgent?: string; secure: boolean; now: number },
): Promise<void> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(options.now + SESSION_DAYS * 86400_000);
  await prisma.session.create({
    data: {
      id: hashToken(token),
      userId: options.userId,
      expiresAt,
      ip: options.ip.slice(0, 45),
      userAgent: options.userAgent?.slice(0, 255),
    },
  });
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: options.secure,
    expires: expiresAt,
  });
}

/** Reads the session cookie; returns the member, or null (also for disabled members). */
export async function loadSessionUser(prisma: PrismaClient, request: FastifyRequest, now: number): Promise<SessionUser | null> {
  const token = request.cookies[SESSION_COOKIE];
  if (!token || token.length > 100) return null;
  const session = await prisma.session.findUnique({
    where: { id: hashToken(token) },
    select: { id: true, expiresAt: true, lastSeenAt: true, user: { select: sessionUserSelect } },
  });
  if (!session || session.expiresAt.getTime() <= now || !session.user.enabled) return null;
  if (now - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await prisma.$transaction([
      prisma.session.update({ where: { id: session.id }, data: { lastSeenAt: new Date(now) } }),
      prisma.user.update({ where: { id: session.user.id }, data: { lastSeenAt: new Date(now) } }),
    ]);
  }
  const { enabled: _enabled, _count, totpEnabledAt, ...user } = session.user;
  const staffQueue = isStaffRole(user.role) ? await countStaffQueue(prisma, user.id) : 0;
  return { ...user, unreadMessages: _count.tickets, staffQueue, twoFactor: totpEnabledAt !== null };
}

export async function endSession(prisma: PrismaClient, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const token = request.cookies[SESSION_COOKIE];
  if (token) await prisma.session.deleteMany({ where: { id: hashToken(token) } });
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

/** Logs a member out everywhere (disable, password change, passkey compromise). */
export async function endSessionsOf(prisma: PrismaClient, userId: number): Promise<void> {
  await prisma.session.deleteMany({ where: { userId } });
}
