// A member's own settings: announce-list order in downloaded torrents, and email.
import type { PrismaClient } from '../../generated/prisma/client.js';
import { AppError } from '../../errors.js';

export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const MAX_EMAIL_LENGTH = 254;

export interface MemberSettings {
  /** UDP tier first: only libtorrent clients (qBittorrent, Deluge) send a UDP passkey (BEP 41) */
  udpFirst: boolean;
  /** empty: no email */
  email: string;
}

export function checkEmail(email: string): string | null {
  if (email === '') return null;
  if (email.length > MAX_EMAIL_LENGTH || !EMAIL_PATTERN.test(email)) {
    throw AppError.badRequest('That does not look like an email address.', 'email');
  }
  return email;
}

export async function updateMemberSettings(options: { prisma: PrismaClient; userId: number; settings: MemberSettings }): Promise<void> {
  const email = checkEmail(options.settings.email.trim());
  await options.prisma.user.update({
    where: { id: options.userId },
    data: { udpFirst: options.settings.udpFirst, email },
    select: { id: true },
  });
}
