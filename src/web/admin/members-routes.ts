// Staff: the members table (/admin/users) and one member's page with its action forms
// (/admin/users/:id, POST /admin/users/:id/:action).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { canSearchByIp } from '../guards.js';
import { flash, render } from '../render.js';
import type { SessionUser } from '../session.js';
import { parseId, text, type FormBody } from './form.js';
import { classLabel, logActionLabel, roleLabel } from './labels.js';
import { MEMBER_ACTIONS } from './member-actions.js';
import {
  findMember, listMembers, looksLikeIp, MEMBER_FILTERS, MEMBER_SORTS, MEMBERS_PAGE_SIZE,
  type MemberFilter, type MemberListQuery, type MemberSort,
} from './member-queries.js';
import { memberView } from './member-view.js';
import { requireStaff } from './staff-guard.js';

const COLUMNS: Array<{ key: MemberSort; label: string; num?: boolean; opt?: boolean }> = [
  { key: 'name', label: 'admin.users.columns.name' },
  { key: 'ratio', label: 'admin.users.columns.ratio', num: true },
  { key: 'required', label: 'admin.users.columns.required', num: true },
  { key: 'uploaded', label: 'admin.users.columns.uploaded', num: true, opt: true },
  { key: 'downloaded', label: 'admin.users.columns.downloaded', num: true, opt: true },
  { key: 'deadline', label: 'admin.users.columns.deadline', opt: true },
  { key: 'seen', label: 'admin.users.columns.seen', opt: true },
  { key: 'joined', label: 'admin.users.columns.joined', opt: true },
];
const FILTER_LABELS: Record<MemberFilter, string> = {
  watch: 'admin.users.filters.watch', withdrawn: 'admin.users.filters.withdrawn', disabled: 'admin.users.filters.disabled', hnr: 'admin.users.filters.hnr',
};

function parseListQuery(raw: Record<string, string | undefined>, user: SessionUser): MemberListQuery {
  const sort = MEMBER_SORTS.find((s) => s === raw.sort) ?? 'joined';
  const order = raw.order === 'asc' || raw.order === 'desc' ? raw.order : sort === 'ratio' || sort === 'name' || sort === 'deadline' ? 'asc' : 'desc';
  const filter = MEMBER_FILTERS.find((f) => f === raw.filter) ?? null;
  const q = (raw.q ?? '').trim().slice(0, 64);
  const page = /^\d{1,6}$/.test(raw.page ?? '') ? Math.max(1, Number(raw.page)) : 1;
  return { sort, order, filter, q, ipSearch: canSearchByIp(user) && looksLikeIp(q), page };
}

function listUrl(query: MemberListQuery, change: Partial<Record<'sort' | 'order' | 'page', string>>): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.filter) params.set('filter', query.filter);
  params.set('sort', change.sort ?? query.sort);
  params.set('order', change.order ?? query.order);
  const page = change.page ?? String(query.page);
  if (page !== '1') params.set('page', page);
  return `/admin/users?${params.toString()}`;
}

async function membersTable(request: FastifyRequest, reply: FastifyReply) {
  const user = requireStaff(request);
  const query = parseListQuery(request.query as Record<string, string | undefined>, user);
  const { total, rows } = await listMembers(request.server.db.prisma, request.server.db.sql, query);
  const pages = Math.max(1, Math.ceil(total / MEMBERS_PAGE_SIZE));
  const columns = COLUMNS.map((c) => {
    const active = c.key === query.sort;
    const order = active ? (query.order === 'asc' ? 'desc' : 'asc') : c.key === 'ratio' || c.key === 'name' || c.key === 'deadline' ? 'asc' : 'desc';
    return { ...c, label: request.t(c.label), ariaSort: active ? `${query.order}ending` : 'none', arrow: active ? (query.order === 'asc' ? '▲' : '▼') : '', href: listUrl(query, { sort: c.key, order, page: '1' }) };
  });
  return render(request, reply, 'pages/admin/users', {
    title: request.t('admin.users.title'),
    rows: rows.map((r) => ({ ...r, roleLabel: roleLabel(request.t, r.role), ratioLow: r.downloaded > 0n && Number(r.uploaded) / Number(r.downloaded) < r.requiredRatio })),
    caption: request.t('admin.users.caption', {
      column: request.t(COLUMNS.find((c) => c.key === query.sort)!.label),
      order: request.t(query.order === 'asc' ? 'admin.users.ascending' : 'admin.users.descending'),
    }),
    columns,
    total,
    query,
    filters: MEMBER_FILTERS.map((f) => ({ value: f, label: request.t(FILTER_LABELS[f]), selected: f === query.filter })),
    ipHint: canSearchByIp(user),
    prev: query.page > 1 ? listUrl(query, { page: String(query.page - 1) }) : null,
    next: query.page < pages ? listUrl(query, { page: String(query.page + 1) }) : null,
    page: query.page,
    pages,
  });
}

async function renderMember(request: FastifyRequest, reply: FastifyReply, id: number, failed?: { action: string; field?: string; message: string; body: FormBody }) {
  const user = requireStaff(request);
  const member = await findMember(request.server.db.prisma, id);
  if (!member) throw AppError.notFound('admin.notFound.member');
  const view = await memberView(request.server, user, member, request.locale);
  const errors: Record<string, string> = {};
  if (failed) errors[failed.field ?? `${failed.action}-reason`] = failed.message;
  if (failed) reply.code(400);
  return render(request, reply, 'pages/admin/user', {
    title: request.t('admin.user.pageTitle', { username: member.username }),
    ...view,
    roleLabel: roleLabel(request.t, member.role),
    classLabel: classLabel(request.t, member.userClass),
    roles: view.roles.map((r) => ({ ...r, label: roleLabel(request.t, r.value) })),
    log: view.log.map((r) => ({ ...r, actionLabel: logActionLabel(request.t, r.action) })),
    errors, failedAction: failed?.action, values: failed?.body ?? {},
  });
}

async function memberPage(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) {
  return renderMember(request, reply, parseId(request.params.id));
}

async function memberAction(request: FastifyRequest<{ Params: { id: string; action: string } }>, reply: FastifyReply) {
  const actor = requireStaff(request);
  const targetId = parseId(request.params.id);
  const action = Object.hasOwn(MEMBER_ACTIONS, request.params.action) ? MEMBER_ACTIONS[request.params.action] : undefined;
  if (!action) throw AppError.notFound('admin.errors.noSuchAction');
  const body = (request.body ?? {}) as FormBody;
  try {
    const message = await action({ app: request.server, actor, targetId, body });
    flash(reply, request.t(message.key, message.params));
    return reply.redirect(`/admin/users/${targetId}`, 303);
  } catch (error) {
    // A form mistake shows the page again with the message beside the field.
    if (error instanceof AppError && error.statusCode === 400) {
      return renderMember(request, reply, targetId, { action: request.params.action, field: error.field, message: request.t(error.message, error.params), body: { ...body, _csrf: undefined, reason: text(body, 'reason') } });
    }
    throw error;
  }
}

export async function memberRoutes(app: FastifyInstance): Promise<void> {
  app.get('/admin/users', membersTable);
  app.get('/admin/users/:id', memberPage);
  app.post('/admin/users/:id/:action', memberAction);
}
