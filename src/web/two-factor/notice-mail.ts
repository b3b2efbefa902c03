// A member whose two-factor login is turned on, off, or reset by staff is told at their
// verified address (when the site sends mail), so a change they did not make does not go
// unnoticed. In the member's language (else the site default), like the other mails
// (docs/i18n.md). Sent after the answer, never waited on: a slow mail server delays no page.
import type { FastifyInstance } from 'fastify';
import { knownLocale, translator } from '../../i18n/index.js';

export type TwoFactorEvent = 'enabled' | 'disabled' | 'reset';

const SUBJECT: Record<TwoFactorEvent, string> = {
  enabled: 'mail.twoFactor.enabledSubject',
  disabled: 'mail.twoFactor.disabledSubject',
  reset: 'mail.twoFactor.resetSubject',
};

const TEXT: Record<TwoFactorEvent, string> = {
  enabled: 'mail.twoFactor.enabledText',
  disabled: 'mail.twoFactor.disabledText',
  reset: 'mail.twoFactor.resetText',
};

export async function mailTwoFactorNotice(app: FastifyInstance, userId: number, event: TwoFactorEvent): Promise<void> {
  const mailer = app.mailer;
  if (!mailer) return;
  const member = await app.db.prisma.user.findUnique({ where: { id: userId }, select: { username: true, email: true, emailVerifiedAt: true, locale: true } });
  if (!member?.email || !member.emailVerifiedAt) return;
  const t = translator(knownLocale(member.locale) ?? app.settings.get('defaultLocale'));
  const siteName = app.settings.get('siteName');
  const values = { siteName, username: member.username, link: `${app.config.baseUrl}/login` };
  const text = `${t(TEXT[event], values)}\n\n${t('mail.twoFactor.notYou', values)}\n`;
  mailer.send({ to: member.email, subject: t(SUBJECT[event], values), text }).catch((error: unknown) => {
    app.log.warn({ err: error, userId }, 'two-factor notice mail not sent');
  });
}
