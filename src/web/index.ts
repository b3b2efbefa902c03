// The members' and admins' pages. Everything web-only (cookies, sessions, CSRF, forms,
// multipart, helmet, views) is registered inside this encapsulated context, so the tracker's
// /announce routes never pay for it (docs/architecture.md, "The web side").
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import { rateLimitStore } from '../shared/rate-limit-store.js';
import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Handlebars from 'handlebars';
import { AppError } from '../errors.js';
import { FALLBACK_LOCALE, translator } from '../i18n/index.js';
import { cleanForm, cleanQuery } from './clean-input.js';
import { render } from './render.js';
import { installLocale, setLocale } from './locale.js';
import { loadSessionUser, type SessionUser } from './session.js';
import { registerViewHelpers } from './view-helpers.js';
import { webRouteGroups } from './routes.js';

declare module 'fastify' {
  interface FastifyRequest {
    user: SessionUser | null;
  }
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The CSRF token comes from the form (urlencoded or multipart) or a header. */
function readCsrfToken(request: FastifyRequest): string | undefined {
  const body = request.body as Record<string, unknown> | undefined;
  const field = body?._csrf as string | { value?: string } | undefined;
  const fromBody = typeof field === 'string' ? field : field?.value;
  return fromBody ?? (request.headers['x-csrf-token'] as string | undefined);
}

async function registerPlugins(app: FastifyInstance): Promise<void> {
  const secure = app.config.baseUrl.startsWith('https:');
  await app.register(fastifyCookie, { secret: app.config.sessionSecret });
  await app.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
  await app.register(fastifyMultipart, {
    attachFieldsToBody: true,
    // two files: the .torrent and an optional .nfo (src/web/upload)
    limits: { fileSize: app.config.maxTorrentBytes, files: 2, fields: 20, fieldSize: 64 * 1024, parts: 25 },
  });
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // https images only while the descriptionImages setting shows them (src/web/rules/markdown.ts)
        imgSrc: ["'self'", 'data:', () => (app.settings.get('descriptionImages') === 'https' ? 'https:' : "'self'")],
        styleSrc: ["'self'"],
        scriptSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: secure ? [] : null,
      },
    },
    hsts: secure,
  });
  await app.register(fastifyRateLimit, { global: false, ...rateLimitStore(app) });
  await app.register(fastifyCsrf, {
    getToken: readCsrfToken,
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure, signed: true },
  });
  const hbs = Handlebars.create();
  registerViewHelpers(hbs);
  await app.register(fastifyView, {
    engine: { handlebars: hbs },
    root: path.join(ROOT, 'views'),
    layout: 'layouts/main.hbs',
    viewExt: 'hbs',
    // Compile each template and partial once. @fastify/view otherwise re-reads and recompiles
    // them on every request unless NODE_ENV=production, which only the Docker image sets, and
    // recompiling costs more than rendering. Template edits need a restart.
    production: true,
    options: { partials: await listPartials() },
  });
  await app.register(fastifyStatic, { root: path.join(ROOT, 'public'), prefix: '/static/', maxAge: '1h' });
  installLocale(app);
}

async function listPartials(): Promise<Record<string, string>> {
  const { readdirSync } = await import('node:fs');
  const dir = path.join(ROOT, 'views', 'partials');
  const partials: Record<string, string> = {};
  for (const file of readdirSync(dir)) {
    if (file.endsWith('.hbs')) partials[file.slice(0, -4)] = `partials/${file}`;
  }
  return partials;
}

function isFormPost(request: FastifyRequest): boolean {
  return !SAFE_METHODS.has(request.method);
}

/** 4xx messages are shown; 5xx are logged and masked. 401 sends the visitor to log in. */
async function handleError(this: FastifyInstance, error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) {
  let status = error.statusCode ?? 500;
  if (status === 429) await loadUserForErrorPage(this, request);
  const t = request.t ?? translator(FALLBACK_LOCALE);
  let message = error instanceof AppError ? t(error.message, error.params) : error.message;
  const code = (error as FastifyError).code;
  if (code === 'FST_CSRF_INVALID_TOKEN' || code === 'FST_CSRF_MISSING_SECRET') {
    status = 403;
    message = t('errors.csrf');
  } else if (status >= 500) {
    request.log.error({ err: error }, 'request failed');
    message = t('errors.server');
  } else if (!(error instanceof AppError) && status === 413) {
    message = t('errors.tooLarge');
  }
  if (status === 401 && request.method === 'GET') {
    return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`);
  }
  reply.code(status);
  return render(request, reply, 'pages/error', { title: t(status === 404 ? 'errors.notFoundTitle' : 'errors.title'), status, message });
}

/**
 * The rate limit answers in onRequest, before the preHandler that loads the session: without
 * this a logged-in member's 429 page would show the logged-out header.
 */
async function loadUserForErrorPage(app: FastifyInstance, request: FastifyRequest): Promise<void> {
  if (request.user) return;
  request.user = await loadSessionUser(app.db.prisma, request, app.clock.now()).catch(() => null);
  setLocale(request);
}

/** Browsers ask for /favicon.ico whatever the page says; it needs no session. */
const isSessionless = (url: string): boolean => url.startsWith('/static/') || url === '/favicon.ico';

export async function webRoutes(app: FastifyInstance): Promise<void> {
  await registerPlugins(app);
  app.decorateRequest('user', null);
  // repeated query keys and NULs never reach a page (clean-input.ts)
  app.addHook('preValidation', async (request) => {
    request.query = cleanQuery(request.query);
    request.body = cleanForm(request.body);
  });
  app.addHook('preHandler', async (request) => {
    if (isSessionless(request.url)) return;
    request.user = await loadSessionUser(app.db.prisma, request, app.clock.now());
    if (request.user?.locale) setLocale(request);
  });
  // Every state-changing request needs a valid CSRF token (a form field or a header).
  app.addHook('preHandler', (request, reply, done) => {
    if (!isFormPost(request)) return done();
    app.csrfProtection(request, reply, done);
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(async (request, reply) => {
    reply.code(404);
    return render(request, reply, 'pages/error', { title: request.t('errors.notFoundTitle'), status: 404, message: request.t('errors.notFound') });
  });
  app.get('/favicon.ico', (_request, reply) => reply.sendFile('favicon.ico', { maxAge: '1d' }));
  for (const group of webRouteGroups) await app.register(group);
}
