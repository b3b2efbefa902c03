// A member proves they read the address on their settings page: a one-day link is mailed there,
// and following it marks the address verified. Only a verified address receives reset links,
// so a typo (or someone else's address) never becomes a way into the account.
import type { PrismaClient } from '../../../generated/prisma/client.js';
import { AppError } from '../../../errors.js';
import type { Translate } from '../../../i18n/index.js';
import type { Mailer } from '../../../mail/mailer.js';
import { countIssuedSince, deleteDeadTokens, findLiveToken, issueToken, spendToken, tokenLink, VERIFY_EMAIL_TTL_MS } from './account-tokens.js';
import { DEAD_LINK } from './reset-password.js';

const MAX_VERIFICATIONS_PER_HOUR = 3;

export interface SendVerificationOptions {
  prisma: PrismaClient;
  mailer: Mailer;
  baseUrl: string;
  siteName: string;
  userId: number;
  now: number;
  /** the member's language (they asked for the mail from their settings page) */
  t: Translate;
}

/** Mails a verification link to the member's current address; returns the address. */
export async function sendEmailVerification(options: SendVerificationOptions): Promise<string> {
  const { prisma, userId, now } = options;
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { username: true, email: true, emailVerifiedAt: true } });
  if (!user?.email) throw AppError.badRequest('recovery.verify.noAddress', 'email');
  if (user.emailVerifiedAt) throw AppError.badRequest('recovery.verify.already', 'email');
  if ((await countIssuedSince(prisma, userId, 'verify_email', now - 60 * 60 * 1000)) >= MAX_VERIFICATIONS_PER_HOUR) {
    throw new AppError(429, 'recovery.verify.tooMany');
  }
  await deleteDeadTokens(prisma, userId, now);
  const token = await issueToken(prisma, { userId, purpose: 'verify_email', email: user.email, now, ttlMs: VERIFY_EMAIL_TTL_MS });
  await options.mailer.send({
    to: user.email,
    subject: options.t('mail.verify.subject', { siteName: options.siteName }),
    text: options.t('mail.verify.text', { siteName: options.siteName, username: user.username, link: tokenLink(options.baseUrl, 'verify-email', token) }),
  });
  return user.email;
}

export async function loadVerifyToken(prisma: PrismaClient, token: string, now: number) {
  const live = await findLiveToken(prisma, token, 'verify_email', now);
  if (!live || live.email === null || live.email !== live.user.email) throw new AppError(410, DEAD_LINK);
  return live;
}

/** Marks the address verified, if it is still the one the link was sent to. */
export async function confirmEmail(options: { prisma: PrismaClient; token: string; now: number }): Promise<{ userId: number }> {
  const { prisma, now } = options;
  const live = await loadVerifyToken(prisma, options.token, now);
  await prisma.$transaction(async (tx) => {
    if (!(await spendToken(tx, live.id, now))) throw new AppError(410, DEAD_LINK);
    const { count } = await tx.user.updateMany({ where: { id: live.userId, email: live.email }, data: { emailVerifiedAt: new Date(now) } });
    if (count !== 1) throw new AppError(410, DEAD_LINK);
  });
  return { userId: live.userId };
}
