// Registration as the site's mode allows: open, by invite, or closed. The first account ever
// made is always allowed (it becomes the admin), so a fresh site can be set up.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { newMemberCredit } from '../../settings.js';
import { createUser } from '../users/create-user.js';
import { findUsableInvite } from './queries.js';

export interface RegisterForm {
  username: string;
  password: string;
  confirm: string;
  email: string;
  invite: string;
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function registrationAllowed(app: FastifyInstance): Promise<'open' | 'invite' | 'closed'> {
  if ((await app.db.prisma.user.count()) === 0) return 'open';
  return app.settings.get('registrationMode');
}

function checkForm(form: RegisterForm): void {
  if (form.password !== form.confirm) throw AppError.badRequest('auth.register.passwordsDiffer', 'confirm');
  if (form.email && (form.email.length > 254 || !EMAIL_PATTERN.test(form.email))) {
    throw AppError.badRequest('auth.register.badEmail', 'email');
  }
}

export async function registerMember(app: FastifyInstance, form: RegisterForm) {
  const mode = await registrationAllowed(app);
  if (mode === 'closed') throw AppError.forbidden('auth.register.isClosed');
  checkForm(form);
  const now = app.clock.now();
  let invite: { id: number; inviterId: number } | null = null;
  if (mode === 'invite' || form.invite) {
    if (!form.invite) throw AppError.badRequest('auth.register.needInvite', 'invite');
    invite = await findUsableInvite(app.db.prisma, form.invite, new Date(now));
    if (!invite) throw AppError.badRequest('auth.register.badInvite', 'invite');
  }
  const settings = app.settings.all();
  const user = await createUser({
    prisma: app.db.prisma,
    tracker: app.tracker,
    username: form.username,
    password: form.password,
    email: form.email || null,
    invitedById: invite?.inviterId ?? null,
    inviteId: invite?.id,
    uploadCredit: newMemberCredit(settings),
    now,
  });
  if (settings.invitesForNewMembers > 0) {
    await app.db.prisma.user.update({ where: { id: user.id }, data: { invitesLeft: settings.invitesForNewMembers } });
  }
  return user;
}
