// The language switcher (a form in every page's footer, no JavaScript): a member's choice is
// their profile setting, which the tracker follows for its refusals; a visitor's is a cookie.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { isLocale } from '../../i18n/index.js';
import { LANGUAGE_COOKIE } from '../../i18n/negotiate.js';
import { safeNext } from '../auth/routes.js';

type Body = Record<string, unknown>;

const YEAR_S = 365 * 86400;

async function chooseLanguage(request: FastifyRequest, reply: FastifyReply) {
  const body = (request.body ?? {}) as Body;
  const lang = body.lang;
  if (!isLocale(lang)) throw AppError.badRequest('language.unknown');
  const app = request.server;
  if (request.user) {
    await app.db.prisma.user.update({ where: { id: request.user.id }, data: { locale: lang }, select: { id: true } });
    await app.tracker.syncMember(request.user.id);
  }
  reply.setCookie(LANGUAGE_COOKIE, lang, { path: '/', sameSite: 'lax', httpOnly: true, maxAge: YEAR_S, secure: app.config.baseUrl.startsWith('https:') });
  return reply.redirect(safeNext(body.next), 303);
}

export async function languageRoutes(app: FastifyInstance): Promise<void> {
  app.post('/language', chooseLanguage);
}
