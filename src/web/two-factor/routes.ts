// /users/:id/two-factor: the owner turns two-factor login on (QR code drawn on the server,
// confirmed with a code), sees how many recovery codes are left, renews them, or turns it off
// with password and code. Staff without it land here when the site requires it for staff.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { requireUser } from '../guards.js';
import { flash, render } from '../render.js';
import { hashToken, SESSION_COOKIE, type SessionUser } from '../session.js';
import { parseUserId } from '../users/routes.js';
import { disableTwoFactor } from './disable-two-factor.js';
import { enableTwoFactor } from './enable-two-factor.js';
import { mailTwoFactorNotice } from './notice-mail.js';
import { countUnusedRecoveryCodes, findTwoFactor } from './queries.js';
import { renewRecoveryCodes } from './renew-recovery-codes.js';
import { newTotpSecret, qrSvg, totpUri } from './totp.js';

type IdRequest = FastifyRequest<{ Params: { id: string } }>;
type Body = Record<string, unknown> | undefined;
type FormState = { errors?: Record<string, string>; status?: number };

const text = (body: Body, name: string, max = 300): string => {
  const value = body?.[name];
  return typeof value === 'string' ? value.slice(0, max) : '';
};

function requireOwner(request: IdRequest): SessionUser {
  const user = requireUser(request);
  if (user.id !== parseUserId(request.params.id)) throw AppError.forbidden('twoFactor.errors.notYours');
  return user;
}

export const currentSessionId = (request: FastifyRequest): string | null => {
  const token = request.cookies[SESSION_COOKIE];
  return token ? hashToken(token) : null;
};

/** The secret in groups of four, easier to type into an app by hand. */
const groupSecret = (secret: string): string => secret.match(/.{1,4}/g)?.join(' ') ?? secret;

/** The pending secret, made on first visit and kept until confirmed, so a reload shows the same QR code. */
async function pendingSecretOf(app: FastifyInstance, userId: number, existing: string | null): Promise<string> {
  if (existing) return existing;
  const secret = newTotpSecret();
  await app.db.prisma.user.update({ where: { id: userId }, data: { totpPendingSecret: secret }, select: { id: true } });
  return secret;
}

async function showPage(request: IdRequest, reply: FastifyReply, state: FormState = {}) {
  const user = requireOwner(request);
  const app = request.server;
  const account = await findTwoFactor(app.db.prisma, user.id);
  if (!account) throw AppError.notFound('users.noSuchMember');
  reply.header('Cache-Control', 'private, no-store');
  if (state.status) reply.code(state.status);
  const common = { title: request.t('twoFactor.title'), userId: user.id, errors: state.errors ?? {}, required: requiredForStaff(app, user) };
  if (account.totpEnabledAt) {
    const codesLeft = await countUnusedRecoveryCodes(app.db.prisma, user.id);
    return render(request, reply, 'pages/two-factor/manage', { ...common, enabledAt: account.totpEnabledAt, codesLeft, codesLow: codesLeft <= 3 });
  }
  const secret = await pendingSecretOf(app, user.id, account.totpPendingSecret);
  const uri = totpUri(secret, user.username, app.settings.get('siteName'));
  return render(request, reply, 'pages/two-factor/enrol', { ...common, qr: await qrSvg(uri), secret: groupSecret(secret), uri });
}

const requiredForStaff = (app: FastifyInstance, user: SessionUser): boolean =>
  (user.role === 'moderator' || user.role === 'admin') && app.settings.get('staffTwoFactor') === 'required';

function formErrors(request: FastifyRequest, error: unknown, fallback: string): FormState {
  if (error instanceof AppError && error.statusCode < 500) return { status: error.statusCode, errors: { [error.field ?? fallback]: request.t(error.message, error.params) } };
  throw error;
}

function showCodes(request: FastifyRequest, reply: FastifyReply, userId: number, codes: string[], fresh: boolean) {
  reply.header('Cache-Control', 'private, no-store');
  return render(request, reply, 'pages/two-factor/codes', { title: request.t('twoFactor.codesTitle'), userId, codes, fresh });
}

async function postEnable(request: IdRequest, reply: FastifyReply) {
  const user = requireOwner(request);
  const app = request.server;
  try {
    const codes = await enableTwoFactor({ prisma: app.db.prisma, userId: user.id, code: text(request.body as Body, 'code', 20), now: app.clock.now(), keepSessionId: currentSessionId(request) });
    await mailTwoFactorNotice(app, user.id, 'enabled');
    return showCodes(request, reply, user.id, codes, true);
  } catch (error) {
    return showPage(request, reply, formErrors(request, error, 'code'));
  }
}

async function postDisable(request: IdRequest, reply: FastifyReply) {
  const user = requireOwner(request);
  const app = request.server;
  const body = request.body as Body;
  try {
    await disableTwoFactor({
      prisma: app.db.prisma, userId: user.id, password: text(body, 'disable-password'), code: text(body, 'disable-code', 40), now: app.clock.now(), keepSessionId: currentSessionId(request),
    });
  } catch (error) {
    return showPage(request, reply, formErrors(request, error, 'disable-code'));
  }
  await mailTwoFactorNotice(app, user.id, 'disabled');
  flash(reply, request.t('twoFactor.flash.off'));
  return reply.redirect(`/users/${user.id}/two-factor`, 303);
}

async function postRenew(request: IdRequest, reply: FastifyReply) {
  const user = requireOwner(request);
  const app = request.server;
  try {
    const codes = await renewRecoveryCodes({ prisma: app.db.prisma, userId: user.id, code: text(request.body as Body, 'renew-code', 20), now: app.clock.now() });
    return showCodes(request, reply, user.id, codes, false);
  } catch (error) {
    return showPage(request, reply, formErrors(request, error, 'renew-code'));
  }
}

export async function twoFactorRoutes(app: FastifyInstance): Promise<void> {
  // each attempt checks a code (and the disable form a password): keep guessing slow
  const slow = { config: { rateLimit: { max: 10, timeWindow: '10 minutes' } } };
  app.get('/users/:id/two-factor', (request: IdRequest, reply) => showPage(request, reply));
  app.post('/users/:id/two-factor/enable', slow, postEnable);
  app.post('/users/:id/two-factor/disable', slow, postDisable);
  app.post('/users/:id/two-factor/recovery-codes', slow, postRenew);
}
