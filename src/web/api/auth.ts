// Token authentication for the API: `Authorization: Bearer <token>` (JSON API) or
// `apikey=<token>` (Torznab, whose clients put the key in the query). Each request resolves
// the token afresh, so a revoked token or a disabled member is refused at once.
import type { FastifyRequest } from 'fastify';
import { ApiProblem } from './problem.js';
import { findTokenMember, hashApiToken, type Scope, type TokenMember } from './tokens.js';

/** The token a request carries, or '' (a first value only: `apikey=a&apikey=b` reads a). */
export function tokenOf(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (typeof header === 'string' && /^Bearer\s+/i.test(header)) return header.replace(/^Bearer\s+/i, '').trim();
  const query = request.query as Record<string, unknown> | undefined;
  const raw = query?.apikey;
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * Rate limits count per token (its hash: the limiter's store never holds a usable token),
 * or per address for requests without one.
 */
export function rateLimitKey(request: FastifyRequest): string {
  const token = tokenOf(request);
  return token === '' ? `ip:${request.ip}` : `token:${hashApiToken(token).slice(0, 32)}`;
}

/** The member behind the request's token, if it has `scope`; otherwise the matching problem. */
export async function authenticate(request: FastifyRequest, scope: Scope): Promise<TokenMember> {
  const token = tokenOf(request);
  if (token === '') throw new ApiProblem('unauthorized', 'An API token is required: create one on your API tokens page (/tokens).');
  const app = request.server;
  const member = await findTokenMember(app.db.prisma, token, app.clock.now());
  if (!member) throw new ApiProblem('unauthorized', 'This API token is not valid: it may have been revoked.');
  if (!member.enabled) throw new ApiProblem('account_disabled', 'This account is disabled.');
  if (!member.scopes.includes(scope)) throw new ApiProblem('insufficient_scope', `This token lacks the "${scope}" scope.`);
  return member;
}
