// One-use links for password resets and e-mail verification. The link carries 256 random bits;
// the table keeps only their SHA-256 (like sessions), so reading the table gives no working
// link. A token is spent by a conditional update (unused and unexpired), so two clicks racing
// each other cannot both succeed.
import { randomBytes } from 'node:crypto';
import type { Prisma, PrismaClient } from '../../../generated/prisma/client.js';
import { hashToken } from '../../session.js';

export type TokenPurpose = 'reset' | 'verify_email' | 'login_2fa';

/** Links mailed to the member: short, since a mailbox may be read by others later. */
export const MAILED_RESET_TTL_MS = 60 * 60 * 1000;
/** A link staff pass on by hand takes longer to reach the member. */
export const STAFF_RESET_TTL_MS = 24 * 60 * 60 * 1000;
export const VERIFY_EMAIL_TTL_MS = 24 * 60 * 60 * 1000;

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface IssueOptions {
  userId: number;
  purpose: TokenPurpose;
  email?: string | null;
  now: number;
  ttlMs: number;
}

/** Stores a new token and returns it (the only time it exists in the clear). */
export async function issueToken(prisma: PrismaClient | Prisma.TransactionClient, options: IssueOptions): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await prisma.accountToken.create({
    data: {
      id: hashToken(token),
      userId: options.userId,
      purpose: options.purpose,
      email: options.email ?? null,
      createdAt: new Date(options.now),
      expiresAt: new Date(options.now + options.ttlMs),
    },
    select: { id: true },
  });
  return token;
}

/** The unused, unexpired token of that purpose with its member, or null (malformed ones too). */
export async function findLiveToken(prisma: PrismaClient, token: string, purpose: TokenPurpose, now: number) {
  if (!TOKEN_PATTERN.test(token)) return null;
  return prisma.accountToken.findFirst({
    where: { id: hashToken(token), purpose, usedAt: null, expiresAt: { gt: new Date(now) } },
    select: { id: true, userId: true, email: true, user: { select: { username: true, email: true } } },
  });
}

/** Marks the token used; false when it was used or expired meanwhile. */
export async function spendToken(tx: Prisma.TransactionClient, id: string, now: number): Promise<boolean> {
  const { count } = await tx.accountToken.updateMany({
    where: { id, usedAt: null, expiresAt: { gt: new Date(now) } },
    data: { usedAt: new Date(now) },
  });
  return count === 1;
}

/** Tokens of that purpose issued to the member since `since` (the per-account rate limit). */
export function countIssuedSince(prisma: PrismaClient, userId: number, purpose: TokenPurpose, since: number): Promise<number> {
  return prisma.accountToken.count({ where: { userId, purpose, createdAt: { gt: new Date(since) } } });
}

/** Forgets the member's tokens that can no longer be used, so the table stays small. */
export async function deleteDeadTokens(prisma: PrismaClient, userId: number, now: number): Promise<void> {
  const dayAgo = new Date(now - 24 * 60 * 60 * 1000);
  await prisma.accountToken.deleteMany({ where: { userId, expiresAt: { lt: dayAgo } } });
}

export const tokenLink = (baseUrl: string, path: string, token: string): string => `${baseUrl}/${path}/${token}`;
