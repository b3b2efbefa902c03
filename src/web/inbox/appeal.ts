// A disabled member's appeal. Such a member has no session (session.ts refuses disabled
// accounts), so the login page, once the password is right, shows their appeal conversation
// and a form to write to staff; sending it checks the password again (the form carries no
// session and no secret). Wrong passwords here count against the account like failed logins,
// and the form is rate limited per address.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { text, type FormBody } from '../admin/form.js';
import { LoginThrottle } from '../auth/login-throttle.js';
import { verifyNothing, verifyPassword } from '../auth/password.js';
import { findLoginCandidate } from '../auth/queries.js';
import { render } from '../render.js';
import { appendAppeal } from './open-ticket.js';
import { listAppeals } from './queries.js';
import { MAX_MESSAGE, messageProblem, rawText } from './ticket-form.js';
import { messagesView, subjectOf } from './ticket-view.js';

interface DisabledMember {
  id: number;
  username: string;
  disabledReason: string | null;
}

/** The login page's answer for a disabled account whose password was right (status 403). */
export async function showAppeal(request: FastifyRequest, reply: FastifyReply, member: DisabledMember, state: { sent?: boolean; body?: string; error?: string } = {}) {
  const appeals = await listAppeals(request.server.db.prisma, member.id);
  reply.code(state.error ? 400 : state.sent ? 200 : 403).header('Cache-Control', 'private, no-store');
  return render(request, reply, 'pages/auth/appeal', {
    title: request.t('appeal.title'),
    username: member.username,
    disabledReason: member.disabledReason,
    appeals: appeals.map((a) => ({ ...a, subject: subjectOf(request.t, a), open: a.status === 'open', messages: messagesView(request.t, a.messages) })),
    sent: state.sent ?? false,
    values: { body: state.body ?? '' },
    errors: state.error ? { body: state.error } : {},
    maxMessage: MAX_MESSAGE,
  });
}

async function submitAppeal(throttle: LoginThrottle, request: FastifyRequest, reply: FastifyReply) {
  const app = request.server;
  const body = request.body as FormBody;
  const username = text(body, 'username').slice(0, 64);
  const password = typeof body?.password === 'string' ? body.password.slice(0, 300) : '';
  const refuse = (message: string, status: number) => {
    reply.code(status);
    return render(request, reply, 'pages/auth/login', { title: request.t('auth.login.title'), next: '/', username, error: message });
  };
  const locked = throttle.lockedFor(username);
  if (locked > 0) return refuse(request.t('auth.login.locked', { count: locked }), 429);
  const candidate = username ? await findLoginCandidate(app.db.prisma, username) : null;
  const ok = candidate ? await verifyPassword(candidate.passwordHash, password) : await verifyNothing(password);
  if (!candidate || !ok) {
    throttle.recordFailure(username);
    return refuse(request.t('auth.login.wrong'), 401);
  }
  if (candidate.enabled) return refuse(request.t('inbox.appealNotDisabled'), 400);
  const message = rawText(body, 'body');
  const problem = messageProblem(message, request);
  if (problem) return showAppeal(request, reply, candidate, { body: message, error: problem });
  await appendAppeal({ prisma: app.db.prisma, memberId: candidate.id, body: message, now: new Date(app.clock.now()) });
  return showAppeal(request, reply, candidate, { sent: true });
}

export async function appealRoutes(app: FastifyInstance): Promise<void> {
  const throttle = new LoginThrottle(() => app.clock.now());
  app.post('/appeal', { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } }, (request, reply) => submitAppeal(throttle, request, reply));
}
