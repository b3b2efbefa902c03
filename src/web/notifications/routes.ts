// The one notifications page (/notifications): the site's notices to the member (reseed asks,
// requests, class changes) above the new uploads that matched their saved searches, unread ones
// marked, one "mark all as read" for both. Two sections rather than one list: notices ask
// something of the member and are few, matches can be hundreds a week and would push them out
// of sight. The old /notices answers with a permanent redirect. And the filters page
// (/notifications/filters: list, add, delete; the browse page's "notify me" link fills the
// form from the current search).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { readStored } from '../../i18n/stored-text.js';
import { listCategories } from '../categories.js';
import { requireUser } from '../guards.js';
import { flash, render } from '../render.js';
import { createFilter, type FilterForm } from './create-filter.js';
import { MAX_FILTER_WORDS } from './words.js';
import { deleteFilter, listFilters, listNotices, listNotifications, markAllRead, MAX_FILTERS, NOTIFICATIONS_LISTED } from './queries.js';

type Body = Record<string, unknown> | undefined;
type FormState = { status?: number; errors?: Record<string, string>; values?: FilterForm };

const text = (source: Body, name: string, max = 300): string => {
  const value = source?.[name];
  return typeof value === 'string' ? value.slice(0, max) : '';
};

async function showNotifications(request: FastifyRequest, reply: FastifyReply) {
  const user = requireUser(request);
  const prisma = request.server.db.prisma;
  const [notices, notifications] = await Promise.all([listNotices(prisma, user.id), listNotifications(prisma, user.id)]);
  reply.header('Cache-Control', 'private, no-store');
  return render(request, reply, 'pages/notifications/list', {
    title: request.t('notifications.title'),
    notices: notices.map((n) => ({ ...n, body: readStored(request.t, { key: n.textKey, params: n.textParams, text: n.body }), unread: n.readAt === null })),
    notifications: notifications.map((n) => ({ ...n, unread: n.readAt === null })),
    anyUnread: [...notices, ...notifications].some((n) => n.readAt === null),
    full: notifications.length >= NOTIFICATIONS_LISTED,
  });
}

async function postRead(request: FastifyRequest, reply: FastifyReply) {
  const user = requireUser(request);
  const count = await markAllRead(request.server.db.prisma, user.id, request.server.clock.now());
  flash(reply, count === 0 ? request.t('notifications.flash.nothingUnread') : request.t('notifications.flash.markedRead', { count }));
  return reply.redirect('/notifications', 303);
}

/** The form's starting values: the browse page's search (?q, ?category, ?freeleech) or empty. */
function valuesFromQuery(query: Body): FilterForm {
  return { name: '', words: text(query, 'q', 300), categoryId: text(query, 'category', 12), freeleechOnly: ['freeleech', 'neutral', 'any'].includes(text(query, 'freeleech', 20)) };
}

async function showFilters(request: FastifyRequest, reply: FastifyReply, state: FormState = {}) {
  const user = requireUser(request);
  const app = request.server;
  const [filters, categories] = await Promise.all([listFilters(app.db.prisma, user.id), listCategories(app.db.prisma)]);
  const values = state.values ?? valuesFromQuery(request.query as Body);
  if (state.status) reply.code(state.status);
  reply.header('Cache-Control', 'private, no-store');
  return render(request, reply, 'pages/notifications/filters', {
    title: request.t('notifications.filters.title'),
    filters: filters.map((f) => ({ ...f, feedUrl: `${app.config.baseUrl}/rss/${user.rssToken}/filters/${f.id}` })),
    categories: categories.map((c) => ({ ...c, selected: String(c.id) === values.categoryId })),
    values,
    errors: state.errors ?? {},
    atLimit: filters.length >= MAX_FILTERS,
    maxFilters: MAX_FILTERS,
    maxWords: MAX_FILTER_WORDS,
  });
}

async function postFilter(request: FastifyRequest, reply: FastifyReply) {
  const user = requireUser(request);
  const body = request.body as Body;
  const form: FilterForm = { name: text(body, 'name', 64), words: text(body, 'words', 300), categoryId: text(body, 'categoryId', 12), freeleechOnly: text(body, 'freeleechOnly', 5) === 'yes' };
  try {
    await createFilter({ prisma: request.server.db.prisma, userId: user.id, form, now: request.server.clock.now() });
  } catch (error) {
    if (!(error instanceof AppError) || error.statusCode >= 500) throw error;
    return showFilters(request, reply, { status: error.statusCode, errors: { [error.field ?? 'words']: request.t(error.message, error.params) }, values: form });
  }
  flash(reply, request.t('notifications.flash.filterSaved'));
  return reply.redirect('/notifications/filters', 303);
}

async function postDelete(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) {
  const user = requireUser(request);
  const raw = request.params.id;
  if (!/^\d{1,9}$/.test(raw)) throw AppError.notFound('notifications.filters.noSuchFilter');
  const deleted = await deleteFilter(request.server.db.prisma, user.id, Number(raw));
  if (!deleted) throw AppError.notFound('notifications.filters.noSuchFilter');
  flash(reply, request.t('notifications.flash.filterDeleted'));
  return reply.redirect('/notifications/filters', 303);
}

export async function notificationRoutes(app: FastifyInstance): Promise<void> {
  app.get('/notifications', showNotifications);
  app.post('/notifications/read', postRead);
  app.get('/notifications/filters', (request, reply) => showFilters(request, reply));
  app.post('/notifications/filters', { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } }, postFilter);
  app.post('/notifications/filters/:id/delete', postDelete);
  // The notices' old page, linked from sent mail and pages: its list lives here now. 308 keeps
  // a stale "mark all as read" form a POST (with its CSRF token) to the new address.
  app.get('/notices', (_request, reply) => reply.redirect('/notifications', 301));
  app.post('/notices/read', (_request, reply) => reply.redirect('/notifications/read', 308));
}
