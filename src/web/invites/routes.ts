// A member's invites: list, issue (within their quota), revoke unused ones.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { requireUser } from '../guards.js';
import { flash, render } from '../render.js';
import { createInvite, revokeInvite } from './create-invite.js';
import { invitesLeft, listInvites } from './queries.js';

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function inviteRoutes(app: FastifyInstance): Promise<void> {
  app.get('/invites', async (request, reply) => {
    const user = requireUser(request);
    const [invites, left] = await Promise.all([listInvites(app.db.prisma, user.id), invitesLeft(app.db.prisma, user.id)]);
    const now = app.clock.now();
    const rows = invites.map((invite) => ({
      ...invite,
      link: `${app.config.baseUrl}/register?invite=${invite.code}`,
      expired: !invite.usedAt && invite.expiresAt.getTime() <= now,
    }));
    return render(request, reply, 'pages/invites/list', {
      title: request.t('invites.title'),
      invites: rows,
      unlimited: user.role === 'admin',
      invitesLeft: left.invitesLeft,
      registrationMode: app.settings.get('registrationMode'),
    });
  });

  app.post('/invites', { config: { rateLimit: { max: 30, timeWindow: '1 hour' } } }, async (request, reply) => {
    const user = requireUser(request);
    const raw = (request.body as Record<string, unknown>)?.email;
    const email = typeof raw === 'string' && raw.trim() ? raw.trim().slice(0, 254) : null;
    if (email && !EMAIL_PATTERN.test(email)) throw AppError.badRequest('auth.register.badEmail', 'email');
    const invite = await createInvite({ prisma: app.db.prisma, inviter: user, email, expiryDays: app.settings.get('inviteExpiryDays'), now: app.clock.now() });
    flash(reply, request.t('invites.createdFlash', { link: `${app.config.baseUrl}/register?invite=${invite.code}` }));
    return reply.redirect('/invites', 303);
  });

  app.post('/invites/:id/revoke', async (request, reply) => {
    const user = requireUser(request);
    const id = Number((request.params as { id: string }).id);
    if (!Number.isSafeInteger(id)) throw AppError.notFound();
    await revokeInvite({ prisma: app.db.prisma, inviter: user, inviteId: id });
    flash(reply, request.t('invites.revoked'));
    return reply.redirect('/invites', 303);
  });
}
