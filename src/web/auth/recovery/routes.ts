// Lost passwords: /forgot (ask for a mailed link), /reset/:token (choose a new password) and
// the e-mail verification that makes an address able to receive reset links. /forgot answers
// with the same page and status whether or not the account exists, and is rate limited per
// address here and per account in requestPasswordReset.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../../errors.js';
import { requireUser } from '../../guards.js';
import { flash, render } from '../../render.js';
import { parseUserId } from '../../users/routes.js';
import { requestPasswordReset } from './request-password-reset.js';
import { loadResetToken, resetPassword } from './reset-password.js';
import { confirmEmail, loadVerifyToken, sendEmailVerification } from './verify-email.js';

type Body = Record<string, unknown>;
type TokenRequest = FastifyRequest<{ Params: { token: string } }>;

const text = (body: Body | undefined, name: string, max = 300): string => {
  const value = body?.[name];
  return typeof value === 'string' ? value.slice(0, max) : '';
};

function showForgot(request: FastifyRequest, reply: FastifyReply, sent = false) {
  const mailEnabled = request.server.mailer !== null;
  reply.header('Cache-Control', 'no-store');
  return render(request, reply, 'pages/recovery/forgot', { title: request.t('recovery.forgot.title'), mailEnabled, sent });
}

async function postForgot(request: FastifyRequest, reply: FastifyReply) {
  const app = request.server;
  if (!app.mailer) return showForgot(request, reply);
  await requestPasswordReset({
    prisma: app.db.prisma,
    mailer: app.mailer,
    log: request.log,
    baseUrl: app.config.baseUrl,
    siteName: app.settings.get('siteName'),
    defaultLocale: app.settings.get('defaultLocale'),
    who: text(request.body as Body, 'who', 300),
    now: app.clock.now(),
  });
  return showForgot(request, reply, true);
}

async function showReset(request: TokenRequest, reply: FastifyReply, errors: Record<string, string> = {}) {
  const live = await loadResetToken(request.server.db.prisma, request.params.token, request.server.clock.now());
  reply.header('Cache-Control', 'no-store');
  return render(request, reply, 'pages/recovery/reset', { title: request.t('recovery.reset.title'), username: live.user.username, token: request.params.token, errors });
}

async function postReset(request: TokenRequest, reply: FastifyReply) {
  const app = request.server;
  const body = request.body as Body;
  try {
    await resetPassword({ prisma: app.db.prisma, token: request.params.token, password: text(body, 'password'), confirm: text(body, 'confirm'), now: app.clock.now() });
  } catch (error) {
    if (!(error instanceof AppError) || error.statusCode !== 400) throw error;
    reply.code(400);
    return showReset(request, reply, { [error.field ?? 'password']: request.t(error.message, error.params) });
  }
  flash(reply, request.t('recovery.reset.done'));
  return reply.redirect('/login', 303);
}

async function postSendVerification(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) {
  const user = requireUser(request);
  if (user.id !== parseUserId(request.params.id)) throw AppError.forbidden('users.ownerOnly');
  const app = request.server;
  if (!app.mailer) throw AppError.conflict('recovery.verify.noMail');
  const address = await sendEmailVerification({
    prisma: app.db.prisma, mailer: app.mailer, baseUrl: app.config.baseUrl, siteName: app.settings.get('siteName'), userId: user.id, now: app.clock.now(), t: request.t,
  });
  flash(reply, request.t('recovery.verify.sent', { address }));
  return reply.redirect(`/users/${user.id}/settings`, 303);
}

async function showVerify(request: TokenRequest, reply: FastifyReply) {
  const live = await loadVerifyToken(request.server.db.prisma, request.params.token, request.server.clock.now());
  reply.header('Cache-Control', 'no-store');
  return render(request, reply, 'pages/recovery/verify-email', { title: request.t('recovery.verify.title'), email: live.email, token: request.params.token });
}

/** Confirming is a POST (a button on the linked page): mail scanners that fetch links do not verify. */
async function postVerify(request: TokenRequest, reply: FastifyReply) {
  const app = request.server;
  await confirmEmail({ prisma: app.db.prisma, token: request.params.token, now: app.clock.now() });
  flash(reply, request.t('recovery.verify.done'));
  return reply.redirect(request.user ? `/users/${request.user.id}/settings` : '/login', 303);
}

export async function recoveryRoutes(app: FastifyInstance): Promise<void> {
  app.get('/forgot', (request, reply) => showForgot(request, reply));
  app.post('/forgot', { config: { rateLimit: { max: 5, timeWindow: '15 minutes' } } }, postForgot);
  app.get('/reset/:token', (request: TokenRequest, reply) => showReset(request, reply));
  // Each attempt costs an argon2 hash; the token itself has 256 bits, so this limit is for load.
  app.post('/reset/:token', { config: { rateLimit: { max: 10, timeWindow: '10 minutes' } } }, postReset);
  app.post('/users/:id/email/verify', { config: { rateLimit: { max: 5, timeWindow: '15 minutes' } } }, postSendVerification);
  app.get('/verify-email/:token', showVerify);
  app.post('/verify-email/:token', { config: { rateLimit: { max: 10, timeWindow: '10 minutes' } } }, postVerify);
}
