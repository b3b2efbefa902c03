// Staff: the moderation log (/admin/log), filterable by action, actor and target.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { canViewModerationLog } from '../guards.js';
import { render } from '../render.js';
import { listLogActions, listModerationLog, LOG_PAGE_SIZE, type LogFilter } from './queries.js';
import { requireAllowed, requireStaff } from './staff-guard.js';
import { logActionLabel } from './labels.js';

function parseFilter(raw: Record<string, string | undefined>): LogFilter {
  const clean = (v: string | undefined) => (v ?? '').trim().slice(0, 64);
  const page = /^\d{1,6}$/.test(raw.page ?? '') ? Math.max(1, Number(raw.page)) : 1;
  const userId = /^\d{1,9}$/.test(raw.user ?? '') ? Number(raw.user) : null;
  return { action: clean(raw.action), actor: clean(raw.actor), target: clean(raw.target), targetUserId: userId, page };
}

function pageUrl(filter: LogFilter, page: number): string {
  const params = new URLSearchParams();
  if (filter.action) params.set('action', filter.action);
  if (filter.actor) params.set('actor', filter.actor);
  if (filter.target) params.set('target', filter.target);
  if (filter.targetUserId !== null) params.set('user', String(filter.targetUserId));
  if (page > 1) params.set('page', String(page));
  return `/admin/log?${params.toString()}`;
}

async function logPage(request: FastifyRequest, reply: FastifyReply) {
  const user = requireStaff(request);
  requireAllowed(canViewModerationLog(user));
  const filter = parseFilter(request.query as Record<string, string | undefined>);
  const prisma = request.server.db.prisma;
  const [{ total, rows }, actions] = await Promise.all([listModerationLog(prisma, filter), listLogActions(prisma)]);
  const pages = Math.max(1, Math.ceil(total / LOG_PAGE_SIZE));
  return render(request, reply, 'pages/admin/log', {
    title: request.t('admin.log.title'),
    rows: rows.map((r) => ({ ...r, actionLabel: logActionLabel(request.t, r.action), detailsText: r.details ? JSON.stringify(r.details) : '' })),
    total,
    filter,
    actions: actions.map((a) => ({ value: a, label: logActionLabel(request.t, a), selected: a === filter.action })),
    prev: filter.page > 1 ? pageUrl(filter, filter.page - 1) : null,
    next: filter.page < pages ? pageUrl(filter, filter.page + 1) : null,
    page: filter.page,
    pages,
  });
}

export async function logRoutes(app: FastifyInstance): Promise<void> {
  app.get('/admin/log', logPage);
}
