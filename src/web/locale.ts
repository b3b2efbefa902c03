// Every web request's language (src/i18n/negotiate.ts): request.locale and request.t, the
// translator bound to it. Visitors get theirs from the switcher's cookie or the browser; once
// the session is loaded, a member's own setting wins.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FALLBACK_LOCALE, translator, type Locale, type Translate } from '../i18n/index.js';
import { chooseLocale, LANGUAGE_COOKIE } from '../i18n/negotiate.js';

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    /** translates a catalog key in the request's language */
    t: Translate;
  }
}

const ENGLISH = translator(FALLBACK_LOCALE);

/** The request's translator; English where no web context set one (the API shares the upload checks). */
export const translatorOf = (request: FastifyRequest): Translate => request.t ?? ENGLISH;

export function setLocale(request: FastifyRequest): void {
  request.locale = chooseLocale({
    member: request.user?.locale,
    cookie: request.cookies?.[LANGUAGE_COOKIE],
    acceptLanguage: request.headers['accept-language'],
    siteDefault: request.server.settings.get('defaultLocale'),
  });
  request.t = translator(request.locale);
}

/** Registered after the cookie plugin: the visitor's language at onRequest, the member's once loaded. */
export function installLocale(app: FastifyInstance): void {
  app.decorateRequest('locale', FALLBACK_LOCALE);
  app.decorateRequest('t', null as unknown as Translate);
  app.addHook('onRequest', async (request) => setLocale(request));
}
