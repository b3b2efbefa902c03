// When the site requires two-factor login for staff (the staffTwoFactor setting), a moderator
// or admin without it can do nothing but turn it on or log out: every other page sends them
// to /users/:id/two-factor. Registered with fastify-plugin so the hook covers the whole web
// context, after the session is loaded.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../errors.js';
import { isStaff } from '../guards.js';
import { flash } from '../render.js';

const ALWAYS_OPEN = ['/logout', '/static/', '/favicon.ico', '/rules', '/faq'];

function mustEnrol(app: FastifyInstance, request: FastifyRequest): boolean {
  const user = request.user;
  if (!user || user.twoFactor || !isStaff(user) || app.settings.get('staffTwoFactor') !== 'required') return false;
  const path = request.url.split('?')[0];
  return !path.startsWith(`/users/${user.id}/two-factor`) && !ALWAYS_OPEN.some((open) => path.startsWith(open));
}

async function staffTwoFactorHook(app: FastifyInstance): Promise<void> {
  app.addHook('preHandler', async (request, reply) => {
    if (!mustEnrol(app, request)) return;
    if (request.method !== 'GET' && request.method !== 'HEAD') throw AppError.forbidden('twoFactor.errors.staffMustEnrol');
    flash(reply, request.t('twoFactor.flash.staffMustEnrol'));
    return reply.redirect(`/users/${request.user!.id}/two-factor`, 303);
  });
}

export const staffTwoFactorRequirement = fp(staffTwoFactorHook, { name: 'seedkeep-staff-two-factor' });
