// The login's second step. A right password for an account with two-factor login gives no
// session: it gives a challenge (a random token in a short-lived cookie scoped to /login, the
// table keeping its SHA-256) which a code from the app or a recovery code turns into a session.
// Wrong codes count against the account in the same throttle as wrong passwords, and the route
// has the same per-address limit, so the second factor cannot be guessed faster than the first.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LoginThrottle } from '../auth/login-throttle.js';
import { findLiveToken, issueToken, spendToken } from '../auth/recovery/account-tokens.js';
import { flash, render } from '../render.js';
import { countUnusedRecoveryCodes, findTwoFactor } from './queries.js';
import { verifySecondFactor } from './verify-second-factor.js';

export const CHALLENGE_COOKIE = 'sk_login2fa';
/** Long enough to find the phone, short enough that a forgotten tab is not a half-open door. */
export const CHALLENGE_TTL_MS = 5 * 60 * 1000;

type Body = Record<string, unknown> | undefined;
type StartSession = (request: FastifyRequest, reply: FastifyReply, userId: number) => Promise<void>;

const cookieOptions = (app: FastifyInstance) => ({
  path: '/login', httpOnly: true, sameSite: 'lax' as const, secure: app.config.baseUrl.startsWith('https:'),
});

/** Called by POST /login after the password: replaces any earlier challenge of the member. */
export async function startSecondStep(app: FastifyInstance, reply: FastifyReply, userId: number, next: string): Promise<FastifyReply> {
  const now = app.clock.now();
  await app.db.prisma.accountToken.deleteMany({ where: { userId, purpose: 'login_2fa' } });
  const token = await issueToken(app.db.prisma, { userId, purpose: 'login_2fa', now, ttlMs: CHALLENGE_TTL_MS });
  reply.setCookie(CHALLENGE_COOKIE, token, { ...cookieOptions(app), maxAge: CHALLENGE_TTL_MS / 1000 });
  return reply.redirect(`/login/two-factor?next=${encodeURIComponent(next)}`, 303);
}

async function liveChallenge(request: FastifyRequest) {
  const token = request.cookies[CHALLENGE_COOKIE];
  return token ? findLiveToken(request.server.db.prisma, token, 'login_2fa', request.server.clock.now()) : null;
}

function startAgain(request: FastifyRequest, reply: FastifyReply, app: FastifyInstance) {
  reply.clearCookie(CHALLENGE_COOKIE, cookieOptions(app));
  flash(reply, request.t('twoFactor.errors.loginExpired'));
  return reply.redirect('/login', 303);
}

export function secondStepRoutes(app: FastifyInstance, deps: { throttle: LoginThrottle; startSession: StartSession; safeNext: (v: unknown) => string }): void {
  const { throttle, startSession, safeNext } = deps;
  const page = (request: FastifyRequest, reply: FastifyReply, next: string, error?: string) =>
    render(request, reply, 'pages/two-factor/login', { title: request.t('twoFactor.title'), next, error });

  app.get('/login/two-factor', async (request, reply) => {
    if (request.user) return reply.redirect('/', 303);
    if (!(await liveChallenge(request))) return startAgain(request, reply, app);
    return page(request, reply, safeNext((request.query as Body)?.next));
  });

  app.post('/login/two-factor', { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (request, reply) => {
    const body = request.body as Body;
    const next = safeNext(body?.next);
    const challenge = await liveChallenge(request);
    if (!challenge) return startAgain(request, reply, app);
    const username = challenge.user.username;
    const locked = throttle.lockedFor(username);
    if (locked > 0) return page(request, reply.code(429), next, request.t('auth.login.locked', { count: locked }));
    const account = await findTwoFactor(app.db.prisma, challenge.userId);
    if (!account?.enabled || !account.totpEnabledAt) return startAgain(request, reply, app);
    const raw = typeof body?.code === 'string' ? body.code.slice(0, 40) : '';
    const factor = await verifySecondFactor(app.db.prisma, account, raw, app.clock.now());
    if (!factor) {
      throttle.recordFailure(username);
      return page(request, reply.code(401), next, request.t('twoFactor.errors.codeWrongOrUsed'));
    }
    if (!(await app.db.prisma.$transaction((tx) => spendToken(tx, challenge.id, app.clock.now())))) return startAgain(request, reply, app);
    throttle.recordSuccess(username);
    reply.clearCookie(CHALLENGE_COOKIE, cookieOptions(app));
    await startSession(request, reply, account.id);
    if (factor === 'recovery') {
      const left = await countUnusedRecoveryCodes(app.db.prisma, account.id);
      flash(reply, request.t('twoFactor.flash.recoveryUsed', { count: left }));
    }
    return reply.redirect(next, 303);
  });
}
