// A member's own settings: which tracker URLs their downloaded torrents carry, and email.
import type { PrismaClient } from '../../generated/prisma/client.js';
import { AppError } from '../../errors.js';
import { ANNOUNCE_TIERS, type AnnounceTiers } from '../releases/build-download.js';

export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const MAX_EMAIL_LENGTH = 254;

export interface MemberSettings {
  /** as posted: one of ANNOUNCE_TIERS; only libtorrent clients (qBittorrent, Deluge) send a UDP passkey (BEP 41) */
  announceTiers: string;
  /** empty: no email */
  email: string;
}

export function checkEmail(email: string): string | null {
  if (email === '') return null;
  if (email.length > MAX_EMAIL_LENGTH || !EMAIL_PATTERN.test(email)) {
    throw AppError.badRequest('auth.register.badEmail', 'email');
  }
  return email;
}

export function checkAnnounceTiers(value: string): AnnounceTiers {
  const tiers = ANNOUNCE_TIERS.find((choice) => choice === value);
  if (!tiers) throw AppError.badRequest('users.chooseTiers', 'announceTiers');
  return tiers;
}

export async function updateMemberSettings(options: { prisma: PrismaClient; userId: number; settings: MemberSettings }): Promise<void> {
  const announceTiers = checkAnnounceTiers(options.settings.announceTiers);
  const email = checkEmail(options.settings.email.trim());
  // A new address is unverified until its owner follows the link mailed to it.
  const before = await options.prisma.user.findUnique({ where: { id: options.userId }, select: { email: true } });
  const changed = before?.email !== email;
  await options.prisma.user.update({
    where: { id: options.userId },
    data: { announceTiers, email, ...(changed ? { emailVerifiedAt: null } : {}) },
    select: { id: true },
  });
}
