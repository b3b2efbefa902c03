// Register, log in, log out. Login failures all read the same, are rate limited per address
// (@fastify/rate-limit) and per account (LoginThrottle), and cost the same time whether or not
// the account exists.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { showAppeal } from '../inbox/appeal.js';
import { flash, render } from '../render.js';
import { createSession, endSession } from '../session.js';
import { LoginThrottle } from './login-throttle.js';
import { verifyNothing, verifyPassword } from './password.js';
import { findLoginCandidate } from './queries.js';
import { registerMember, registrationAllowed, type RegisterForm } from './register-member.js';
import { secondStepRoutes, startSecondStep } from '../two-factor/login-step.js';

type Body = Record<string, unknown>;

const text = (body: Body, name: string, max = 300): string => {
  const value = body?.[name];
  return typeof value === 'string' ? value.slice(0, max) : '';
};

/** Printable ASCII (no space), one leading `/` not followed by another or a backslash. */
const LOCAL_PATH = /^\/(?![/\\])[\x21-\x7e]*$/;
/** After decoding: still one leading `/`, and no backslash, whitespace or control character in the path. */
const DECODED_PATH = /^\/(?![/\\])[^\\\s\p{C}]*$/u;
const CONTROL = /\p{Cc}|\p{Cf}/u;

/**
 * Only same-site paths, so `next` cannot send a member to another site: browsers drop tabs and
 * newlines from a URL and read a backslash as a slash, so `/\t/evil.example` or `/\evil.example`
 * would be `//evil.example`, another host. The value must also be a valid header (a newline
 * in a Location header is a 500). Anything doubtful falls back to the home page.
 */
export function safeNext(value: unknown): string {
  if (typeof value !== 'string' || value.length >= 500 || !LOCAL_PATH.test(value) || value.includes('\\')) return '/';
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return '/';
  }
  const cut = decoded.search(/[?#]/);
  const path = cut < 0 ? decoded : decoded.slice(0, cut);
  if (!DECODED_PATH.test(path) || CONTROL.test(decoded)) return '/';
  return value;
}

function readRegisterForm(body: Body): RegisterForm {
  return {
    username: text(body, 'username', 64).trim(),
    password: text(body, 'password', 300),
    confirm: text(body, 'confirm', 300),
    email: text(body, 'email', 300).trim(),
    invite: text(body, 'invite', 64).trim(),
  };
}

function formError(request: FastifyRequest, error: unknown): { field: string; message: string } {
  if (error instanceof AppError && error.statusCode < 500) return { field: error.field ?? 'form', message: request.t(error.message, error.params) };
  throw error;
}

async function startSession(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, userId: number): Promise<void> {
  await createSession(app.db.prisma, reply, {
    userId,
    ip: request.ip,
    userAgent: request.headers['user-agent'],
    secure: app.config.baseUrl.startsWith('https:'),
    now: app.clock.now(),
  });
  // Sessions only touch lastSeenAt every few minutes; a fresh login counts as being seen now.
  await app.db.prisma.user.update({ where: { id: userId }, data: { lastSeenAt: new Date(app.clock.now()) }, select: { id: true } });
}

export async function authRoutes(app: FastifyInstance): Promise<void> {
  const throttle = new LoginThrottle(() => app.clock.now());

  app.get('/register', async (request, reply) => {
    const mode = await registrationAllowed(app);
    const invite = text(request.query as Body, 'invite', 64);
    return render(request, reply, 'pages/auth/register', { title: request.t('auth.register.title'), mode, values: { invite } });
  });

  app.post('/register', { config: { rateLimit: { max: 20, timeWindow: '1 hour' } } }, async (request, reply) => {
    const form = readRegisterForm(request.body as Body);
    try {
      const user = await registerMember(app, form);
      await startSession(app, request, reply, user.id);
      flash(reply, request.t(user.role === 'admin' ? 'auth.register.welcomeAdmin' : 'auth.register.welcome', { username: user.username }));
      return reply.redirect('/', 303);
    } catch (error) {
      const { field, message } = formError(request, error);
      const mode = await registrationAllowed(app);
      reply.code(error instanceof AppError ? error.statusCode : 400);
      const values = { username: form.username, email: form.email, invite: form.invite };
      return render(request, reply, 'pages/auth/register', { title: request.t('auth.register.title'), mode, values, errors: { [field]: message } });
    }
  });

  app.get('/login', async (request, reply) => {
    if (request.user) return reply.redirect('/');
    return render(request, reply, 'pages/auth/login', { title: request.t('auth.login.title'), next: safeNext((request.query as Body).next) });
  });

  app.post('/login', { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (request, reply) => {
    const body = request.body as Body;
    const username = text(body, 'username', 64).trim();
    const password = text(body, 'password', 300);
    const next = safeNext(body.next);
    const fail = (message: string, status = 401) => {
      reply.code(status);
      return render(request, reply, 'pages/auth/login', { title: request.t('auth.login.title'), next, username, error: message });
    };
    const locked = throttle.lockedFor(username);
    if (locked > 0) return fail(request.t('auth.login.locked', { count: locked }), 429);
    const candidate = username ? await findLoginCandidate(app.db.prisma, username) : null;
    const ok = candidate ? await verifyPassword(candidate.passwordHash, password) : await verifyNothing(password);
    if (!candidate || !ok) {
      throttle.recordFailure(username);
      return fail(request.t('auth.login.wrong'));
    }
    // the password was right: the member may read and write their appeal (src/web/inbox/appeal.ts)
    if (!candidate.enabled) return showAppeal(request, reply, candidate);
    // with two-factor login the password gives a challenge, not a session; the throttle keeps
    // counting until the second step succeeds
    if (candidate.totpEnabledAt) return startSecondStep(app, reply, candidate.id, next);
    throttle.recordSuccess(username);
    await startSession(app, request, reply, candidate.id);
    return reply.redirect(next, 303);
  });

  secondStepRoutes(app, { throttle, safeNext, startSession: (request, reply, userId) => startSession(app, request, reply, userId) });

  app.post('/logout', async (request, reply) => {
    await endSession(app.db.prisma, request, reply);
    return reply.redirect('/', 303);
  });
}
