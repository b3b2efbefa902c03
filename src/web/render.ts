// reply.render(page, data): every page gets the layout's data (the member and their header
// stats, the CSRF token, the site name, a one-shot flash message, the page's language and the
// language switcher) without each route repeating it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LANGUAGE_NAMES, LOCALES, type Locale } from '../i18n/index.js';
import { formatRatio, ratioOf } from './view-helpers.js';

export const FLASH_COOKIE = 'sk_flash';

export interface PageData {
  title?: string;
  [key: string]: unknown;
}

/** The switcher's entries for a page in `current`, made once per language. */
const SWITCHERS = new Map<Locale, ReadonlyArray<{ code: Locale; name: string; current: boolean }>>(
  LOCALES.map((current) => [current, LOCALES.map((code) => ({ code, name: LANGUAGE_NAMES[code], current: code === current }))]),
);

function headerStats(request: FastifyRequest): Record<string, unknown> | null {
  const user = request.user;
  if (!user) return null;
  const ratio = ratioOf(user.uploaded, user.downloaded);
  return {
    ...user,
    ratio: formatRatio(user.uploaded, user.downloaded, request.locale),
    ratioLow: ratio !== null && ratio < user.requiredRatio,
    onWatch: user.watchDeadline !== null,
    isStaff: user.role === 'moderator' || user.role === 'admin',
    isAdmin: user.role === 'admin',
  };
}

export function readFlash(request: FastifyRequest, reply: FastifyReply): string | null {
  const flash = request.cookies[FLASH_COOKIE];
  if (!flash) return null;
  reply.clearCookie(FLASH_COOKIE, { path: '/' });
  return flash.slice(0, 500);
}

/** Sets a message shown once on the next page (post/redirect/get); pass it translated (request.t). */
export function flash(reply: FastifyReply, message: string): void {
  reply.setCookie(FLASH_COOKIE, message.slice(0, 500), { path: '/', httpOnly: true, sameSite: 'lax', maxAge: 60 });
}

export function render(request: FastifyRequest, reply: FastifyReply, page: string, data: PageData = {}): FastifyReply {
  const siteName = request.server.settings.get('siteName');
  const path = request.url.split('?')[0];
  return reply.type('text/html; charset=utf-8').view(page, {
    siteName,
    me: headerStats(request),
    csrfToken: reply.generateCsrf(),
    flash: readFlash(request, reply),
    path,
    locale: request.locale,
    languages: SWITCHERS.get(request.locale),
    ...data,
    title: data.title ? `${data.title} · ${siteName}` : siteName,
  });
}
