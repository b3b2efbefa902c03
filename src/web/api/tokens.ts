// Personal API tokens: what Torznab clients (Prowlarr, Sonarr, Radarr) and scripts use instead
// of a session. A token is 24 random bytes (192 bits), shown once; the table keeps its SHA-256,
// which is enough for a secret that cannot be guessed (argon2 is for low-entropy passwords).
// A disabled member's tokens stop working at once: the lookup reads `enabled` on every request.
import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../errors.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { AnnounceTiers } from '../../generated/prisma/enums.js';

export const SCOPES = ['read', 'download', 'upload'] as const;
export type Scope = (typeof SCOPES)[number];

export const TOKEN_PREFIX = 'sk_';
export const MAX_TOKENS_PER_MEMBER = 20;
export const MAX_TOKEN_NAME = 64;
/** lastUsedAt is written at most this often, so a busy *arr client does not write every request */
const TOUCH_EVERY_MS = 60_000;

export const hashApiToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** `sk_` + 32 base64url characters; anything else is not a token and is not looked up. */
export const looksLikeToken = (value: string): boolean => /^sk_[A-Za-z0-9_-]{32}$/.test(value);

export function parseScopes(text: string): Scope[] {
  return SCOPES.filter((scope) => text.split(',').includes(scope));
}

export interface TokenMember {
  tokenId: number;
  scopes: Scope[];
  id: number;
  username: string;
  role: 'member' | 'uploader' | 'moderator' | 'admin';
  passkey: string;
  canLeech: boolean;
  announceTiers: AnnounceTiers;
  enabled: boolean;
  uploaded: bigint;
  downloaded: bigint;
  requiredRatio: number;
}

export async function createApiToken(options: { prisma: PrismaClient; userId: number; name: string; scopes: Scope[]; now: Date }): Promise<{ id: number; token: string }> {
  const name = options.name.trim();
  if (name.length === 0) throw AppError.badRequest('tokens.giveName', 'name');
  if (name.length > MAX_TOKEN_NAME) throw AppError.badRequest(`Names are at most ${MAX_TOKEN_NAME} characters.`, 'name');
  if (/[\u0000-\u001f\u007f]/.test(name)) throw AppError.badRequest('tokens.controlChars', 'name');
  if (options.scopes.length === 0) throw AppError.badRequest('tokens.tickScope', 'scopes');
  const count = await options.prisma.apiToken.count({ where: { userId: options.userId } });
  if (count >= MAX_TOKENS_PER_MEMBER) throw AppError.badRequest(`You have ${MAX_TOKENS_PER_MEMBER} tokens, the most a member may have: revoke one first.`, 'name');
  const token = TOKEN_PREFIX + randomBytes(24).toString('base64url');
  const row = await options.prisma.apiToken.create({
    data: { userId: options.userId, name, tokenHash: hashApiToken(token), prefix: token.slice(0, 8), scopes: options.scopes.join(','), createdAt: options.now },
    select: { id: true },
  });
  return { id: row.id, token };
}

export async function listApiTokens(prisma: PrismaClient, userId: number) {
  const rows = await prisma.apiToken.findMany({
    where: { userId },
    select: { id: true, name: true, prefix: true, scopes: true, createdAt: true, lastUsedAt: true },
    orderBy: { id: 'asc' },
  });
  return rows.map((row) => ({ ...row, scopes: parseScopes(row.scopes) }));
}

/** Deletes one of the member's tokens; false when it is not theirs (or gone). */
export async function revokeApiToken(prisma: PrismaClient, userId: number, tokenId: number): Promise<boolean> {
  const { count } = await prisma.apiToken.deleteMany({ where: { id: tokenId, userId } });
  return count > 0;
}

/** The token's member (enabled or not: the caller tells a disabled account apart), or null. */
export async function findTokenMember(prisma: PrismaClient, token: string, now: number): Promise<TokenMember | null> {
  if (!looksLikeToken(token)) return null;
  const row = await prisma.apiToken.findUnique({
    where: { tokenHash: hashApiToken(token) },
    select: {
      id: true, scopes: true, lastUsedAt: true,
      user: { select: { id: true, username: true, role: true, passkey: true, canLeech: true, announceTiers: true, enabled: true, uploaded: true, downloaded: true, requiredRatio: true } },
    },
  });
  if (!row) return null;
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    await prisma.apiToken.updateMany({ where: { id: row.id }, data: { lastUsedAt: new Date(now) } });
  }
  return { tokenId: row.id, scopes: parseScopes(row.scopes), ...row.user };
}
