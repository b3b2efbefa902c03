// A member whose two-factor login is turned on, off, or reset by staff is told at their
// verified address (when the site sends mail), so a change they did not make does not go
// unnoticed. Sent after the answer, never waited on: a slow mail server delays no page.
import type { FastifyInstance } from 'fastify';

export type TwoFactorEvent = 'enabled' | 'disabled' | 'reset';

const WHAT: Record<TwoFactorEvent, string> = {
  enabled: 'Two-factor login was turned on',
  disabled: 'Two-factor login was turned off',
  reset: 'The staff turned off two-factor login',
};

const AFTER: Record<TwoFactorEvent, string> = {
  enabled: 'From now on the site asks for a code from your app after your password. Keep your recovery codes safe.',
  disabled: 'From now on your password alone logs you in.',
  reset: 'They do this when a member lost their phone and asked for help. From now on your password alone logs you in; you can turn two-factor login on again on your settings page.',
};

export async function mailTwoFactorNotice(app: FastifyInstance, userId: number, event: TwoFactorEvent): Promise<void> {
  const mailer = app.mailer;
  if (!mailer) return;
  const member = await app.db.prisma.user.findUnique({ where: { id: userId }, select: { username: true, email: true, emailVerifiedAt: true } });
  if (!member?.email || !member.emailVerifiedAt) return;
  const siteName = app.settings.get('siteName');
  const text =
    `${WHAT[event]} on the account ${member.username} on ${siteName}, and every other session was logged out.\n\n${AFTER[event]}\n\n` +
    `If this was not you, change your password at once (${app.config.baseUrl}/login, then Settings) and tell the staff.\n`;
  mailer.send({ to: member.email, subject: `${siteName}: ${WHAT[event].toLowerCase()}`, text }).catch((error: unknown) => {
    app.log.warn({ err: error, userId }, 'two-factor notice mail not sent');
  });
}
