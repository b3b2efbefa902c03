// Creating a member: used by registration and by `npm run admin -- create`. The first account
// ever created becomes the admin. The password is hashed before the transaction.
import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { AppError } from '../../errors.js';
import type { TrackerService } from '../../tracker/service.js';
import { hashPassword } from '../auth/password.js';

export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{3,32}$/;
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

export interface CreateUserOptions {
  prisma: PrismaClient;
  /** told about the new member (absent from the CLI, which runs without a tracker) */
  tracker?: Pick<TrackerService, 'syncMember'>;
  username: string;
  password: string;
  email?: string | null;
  role?: 'member' | 'uploader' | 'moderator' | 'admin';
  invitedById?: number | null;
  /** upload credit for new members (config.newMemberCredit) */
  uploadCredit?: bigint;
  /** marks an invite code used in the same transaction */
  inviteId?: number;
  now?: number;
}

export const newPasskey = (): string => randomBytes(16).toString('hex');

export function checkUsername(username: string): void {
  if (!USERNAME_PATTERN.test(username)) {
    throw AppError.badRequest('auth.register.badUsername', 'username');
  }
}

export function checkPassword(password: string, username: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw AppError.badRequest('auth.register.shortPassword', 'password', { min: MIN_PASSWORD_LENGTH });
  }
  if (password.length > MAX_PASSWORD_LENGTH) throw AppError.badRequest('auth.register.longPassword', 'password');
  if (password.toLowerCase() === username.toLowerCase()) {
    throw AppError.badRequest('auth.register.passwordIsUsername', 'password');
  }
}

export async function createUser(options: CreateUserOptions) {
  const username = options.username.trim();
  checkUsername(username);
  checkPassword(options.password, username);
  const passwordHash = await hashPassword(options.password);
  const now = new Date(options.now ?? Date.now());
  const user = await options.prisma.$transaction(async (tx) => {
    // Serialise account creation so exactly one "first" account becomes the admin.
    await tx.$executeRawUnsafe('LOCK TABLE "users" IN SHARE ROW EXCLUSIVE MODE');
    const taken = await tx.user.findUnique({ where: { usernameLower: username.toLowerCase() }, select: { id: true } });
    if (taken) throw AppError.conflict('auth.register.usernameTaken', 'username');
    const isFirst = (await tx.user.count()) === 0;
    const created = await tx.user.create({
      data: {
        username,
        usernameLower: username.toLowerCase(),
        email: options.email || null,
        passwordHash,
        passkey: newPasskey(),
        rssToken: newPasskey(),
        role: isFirst ? 'admin' : (options.role ?? 'member'),
        uploaded: options.uploadCredit ?? 0n,
        invitedById: options.invitedById ?? null,
        createdAt: now,
      },
      select: { id: true, username: true, role: true, passkey: true, enabled: true, canLeech: true },
    });
    if (options.inviteId !== undefined) {
      const used = await tx.invite.updateMany({
        where: { id: options.inviteId, usedById: null, expiresAt: { gt: now } },
        data: { usedById: created.id, usedAt: now },
      });
      if (used.count !== 1) throw AppError.badRequest('auth.register.inviteUsed', 'invite');
    }
    return created;
  });
  await options.tracker?.syncMember(user.id);
  return user;
}
