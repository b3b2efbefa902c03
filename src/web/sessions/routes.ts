// /users/:id/sessions: where the member is logged in (created, last seen, address, browser),
// with a button to end one session or all the others. The owner's alone; staff disable the
// account instead (which ends every session).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { requireUser } from '../guards.js';
import { flash, render } from '../render.js';
import { endSession, hashToken, SESSION_COOKIE, type SessionUser } from '../session.js';
import { parseUserId } from '../users/routes.js';
import { listLiveSessions, revokeOtherSessions, revokeSession } from './queries.js';

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

const SESSION_ID = /^[0-9a-f]{64}$/;

function requireOwner(request: IdRequest): SessionUser {
  const user = requireUser(request);
  if (user.id !== parseUserId(request.params.id)) throw AppError.forbidden('sessions.ownerOnly');
  return user;
}

const currentSessionId = (request: FastifyRequest): string | null => {
  const token = request.cookies[SESSION_COOKIE];
  return token ? hashToken(token) : null;
};

async function showSessions(request: IdRequest, reply: FastifyReply) {
  const user = requireOwner(request);
  const current = currentSessionId(request);
  const rows = await listLiveSessions(request.server.db.prisma, user.id, request.server.clock.now());
  const sessions = rows.map((row) => ({ ...row, current: row.id === current }));
  reply.header('Cache-Control', 'private, no-store');
  return render(request, reply, 'pages/users/sessions', { title: request.t('sessions.title'), userId: user.id, sessions, others: sessions.length > 1 });
}

async function postRevoke(request: IdRequest, reply: FastifyReply) {
  const user = requireOwner(request);
  const id = (request.body as Record<string, unknown> | undefined)?.session;
  if (typeof id !== 'string' || !SESSION_ID.test(id)) throw AppError.badRequest('sessions.choose');
  if (id === currentSessionId(request)) {
    await endSession(request.server.db.prisma, request, reply);
    return reply.redirect('/login', 303);
  }
  const ended = await revokeSession(request.server.db.prisma, user.id, id);
  flash(reply, request.t(ended ? 'sessions.ended' : 'sessions.alreadyEnded'));
  return reply.redirect(`/users/${user.id}/sessions`, 303);
}

async function postRevokeOthers(request: IdRequest, reply: FastifyReply) {
  const user = requireOwner(request);
  const count = await revokeOtherSessions(request.server.db.prisma, user.id, currentSessionId(request));
  flash(reply, request.t('sessions.othersEnded', { count }));
  return reply.redirect(`/users/${user.id}/sessions`, 303);
}

export async function sessionRoutes(app: FastifyInstance): Promise<void> {
  app.get('/users/:id/sessions', showSessions);
  app.post('/users/:id/sessions/revoke', postRevoke);
  app.post('/users/:id/sessions/revoke-others', postRevokeOthers);
}
