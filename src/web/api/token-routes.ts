// The member's API tokens page (/tokens, linked from their settings): create a named token
// with scopes (shown once, on the page the POST answers), see when each was last used, revoke.
// Server-rendered forms in the web context, so the session and CSRF checks apply as to every form.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { requireUser } from '../guards.js';
import { flash, render } from '../render.js';
import { createApiToken, listApiTokens, MAX_TOKEN_NAME, revokeApiToken, SCOPES, type Scope } from './tokens.js';

type Body = Record<string, unknown>;

interface PageState {
  created?: { name: string; token: string };
  errors?: Record<string, string>;
  values?: { name: string; scopes: Scope[] };
}

/** A checkbox group arrives as one string or an array of them. */
function checked(body: Body, name: string): string[] {
  const value = body[name];
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

async function showTokens(request: FastifyRequest, reply: FastifyReply, state: PageState = {}) {
  const user = requireUser(request);
  const app = request.server;
  const tokens = await listApiTokens(app.db.prisma, user.id);
  const chosen = state.values?.scopes ?? ['read', 'download'];
  // the new token is on this page only: never cache it
  reply.header('Cache-Control', 'private, no-store');
  return render(request, reply, 'pages/users/tokens', {
    title: request.t('tokens.title'),
    tokens,
    created: state.created ?? null,
    errors: state.errors ?? {},
    values: { name: state.values?.name ?? '' },
    scopes: SCOPES.map((scope) => ({ value: scope, checked: chosen.includes(scope) })),
    maxName: MAX_TOKEN_NAME,
    torznabUrl: `${app.config.baseUrl}/api/torznab`,
    docsUrl: `${app.config.baseUrl}/api/docs`,
    settingsUrl: `/users/${user.id}/settings`,
  });
}

async function createToken(request: FastifyRequest, reply: FastifyReply) {
  const user = requireUser(request);
  const body = (request.body ?? {}) as Body;
  const name = typeof body.name === 'string' ? body.name.slice(0, 200) : '';
  const scopes = SCOPES.filter((scope) => checked(body, 'scopes').includes(scope));
  try {
    const { token } = await createApiToken({ prisma: request.server.db.prisma, userId: user.id, name, scopes, now: new Date(request.server.clock.now()) });
    return showTokens(request, reply.code(201), { created: { name: name.trim(), token } });
  } catch (error) {
    if (!(error instanceof AppError) || error.statusCode >= 500) throw error;
    return showTokens(request, reply.code(error.statusCode), { errors: { [error.field ?? 'name']: request.t(error.message, error.params) }, values: { name, scopes } });
  }
}

async function revokeToken(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) {
  const user = requireUser(request);
  const id = /^\d{1,9}$/.test(request.params.id) ? Number(request.params.id) : 0;
  if (!(await revokeApiToken(request.server.db.prisma, user.id, id))) throw AppError.notFound('tokens.noSuch');
  flash(reply, request.t('tokens.revoked'));
  return reply.redirect('/tokens', 303);
}

export async function tokenRoutes(app: FastifyInstance): Promise<void> {
  app.get('/tokens', (request, reply) => showTokens(request, reply));
  app.post('/tokens', { config: { rateLimit: { max: 20, timeWindow: '1 minute' } } }, createToken);
  app.post('/tokens/:id/revoke', revokeToken);
}
