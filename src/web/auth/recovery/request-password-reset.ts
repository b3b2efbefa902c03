// "Forgot password?": the visitor names a username or an e-mail address. When it belongs to an
// enabled member with a verified address, a one-hour reset link is mailed there. The caller
// shows the same page whatever happened, so the form tells nobody which accounts exist.
import type { FastifyBaseLogger } from 'fastify';
import type { PrismaClient } from '../../../generated/prisma/client.js';
import { knownLocale, type Locale } from '../../../i18n/locales.js';
import { translator, type Translate } from '../../../i18n/index.js';
import type { Mailer } from '../../../mail/mailer.js';
import { countIssuedSince, deleteDeadTokens, issueToken, MAILED_RESET_TTL_MS, tokenLink } from './account-tokens.js';

/** Reset mails per account per hour, whoever asks: stops filling a member's mailbox. */
export const MAX_RESETS_PER_HOUR = 3;

export interface RequestResetOptions {
  prisma: PrismaClient;
  mailer: Mailer;
  log: FastifyBaseLogger;
  baseUrl: string;
  siteName: string;
  /** the mail's language for a member who chose none */
  defaultLocale: Locale;
  /** what the visitor typed: a username or an e-mail address */
  who: string;
  now: number;
}

function findRecipient(prisma: PrismaClient, who: string) {
  const select = { id: true, username: true, email: true, locale: true } as const;
  if (who.includes('@')) {
    return prisma.user.findFirst({
      where: { email: { equals: who, mode: 'insensitive' }, emailVerifiedAt: { not: null }, enabled: true },
      orderBy: { id: 'asc' },
      select,
    });
  }
  return prisma.user.findFirst({ where: { usernameLower: who.toLowerCase(), emailVerifiedAt: { not: null }, enabled: true }, select });
}

/** In the member's language: whoever asked, the mail is read by the account's owner. */
const resetMail = (t: Translate, siteName: string, username: string, link: string) => ({
  subject: t('mail.reset.subject', { siteName }),
  text: t('mail.reset.text', { siteName, username, link }),
});

/**
 * Issues the token before answering (so the per-account limit holds) but does not wait for the
 * mail server: the visitor's answer must not take longer when the account exists.
 */
export async function requestPasswordReset(options: RequestResetOptions): Promise<void> {
  const { prisma, now } = options;
  const who = options.who.trim();
  if (who === '' || who.length > 254) return;
  const member = await findRecipient(prisma, who);
  if (!member?.email) return;
  if ((await countIssuedSince(prisma, member.id, 'reset', now - 60 * 60 * 1000)) >= MAX_RESETS_PER_HOUR) return;
  await deleteDeadTokens(prisma, member.id, now);
  const token = await issueToken(prisma, { userId: member.id, purpose: 'reset', now, ttlMs: MAILED_RESET_TTL_MS });
  const t = translator(knownLocale(member.locale) ?? options.defaultLocale);
  const mail = resetMail(t, options.siteName, member.username, tokenLink(options.baseUrl, 'reset', token));
  options.mailer.send({ to: member.email, ...mail }).catch((error: unknown) => {
    options.log.warn({ err: error, userId: member.id }, 'password reset mail not sent');
  });
}
