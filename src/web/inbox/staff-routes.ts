// Staff: the inbox queue (/admin/inbox: unassigned, mine, all open, resolved) and writing to a
// member (/admin/inbox/new?member=<id>, linked from the member's staff page).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { parseId, type FormBody } from '../admin/form.js';
import { requireStaff } from '../admin/staff-guard.js';
import { flash, render } from '../render.js';
import { messageMember } from './open-ticket.js';
import { listStaffQueue, STAFF_VIEWS, TICKETS_PAGE_SIZE, type StaffView } from './queries.js';
import { MAX_MESSAGE, MAX_SUBJECT, parseTicketForm } from './ticket-form.js';
import { listRowView } from './ticket-view.js';

const VIEW_LABELS: Record<StaffView, string> = {
  unassigned: 'admin.inbox.views.unassigned', mine: 'admin.inbox.views.mine', open: 'admin.inbox.views.open', resolved: 'admin.inbox.views.resolved',
};
type MemberQuery = FastifyRequest<{ Querystring: { member?: string } }>;

async function queuePage(request: FastifyRequest, reply: FastifyReply) {
  const user = requireStaff(request);
  const query = request.query as Record<string, string | undefined>;
  const view: StaffView = STAFF_VIEWS.includes(query.view as StaffView) ? (query.view as StaffView) : 'unassigned';
  const page = /^[1-9]\d{0,5}$/.test(query.page ?? '') ? Number(query.page) : 1;
  const { total, rows, counts } = await listStaffQueue(request.server.db.prisma, { view, staffId: user.id, page });
  const pages = Math.max(1, Math.ceil(total / TICKETS_PAGE_SIZE));
  const url = (p: number) => `/admin/inbox?view=${view}&page=${p}`;
  return render(request, reply, 'pages/admin/inbox', {
    title: request.t('admin.inbox.title'),
    views: STAFF_VIEWS.map((v) => ({ value: v, label: request.t(VIEW_LABELS[v]), count: counts[v], current: v === view })),
    viewLabel: request.t(VIEW_LABELS[view]),
    rows: rows.map((row) => listRowView(request.t, row)),
    total,
    prev: page > 1 ? url(page - 1) : null,
    next: page < pages ? url(page + 1) : null,
  });
}

async function loadMember(request: MemberQuery) {
  const id = parseId(String(request.query.member ?? ''), 'member');
  const member = await request.server.db.prisma.user.findUnique({ where: { id }, select: { id: true, username: true } });
  if (!member) throw AppError.notFound('admin.notFound.member');
  return member;
}

async function writePage(request: MemberQuery, reply: FastifyReply, failed?: ReturnType<typeof parseTicketForm>) {
  requireStaff(request);
  const member = await loadMember(request);
  if (failed) reply.code(400);
  return render(request, reply, 'pages/inbox/new', {
    title: request.t('inbox.writeTo', { username: member.username }), member,
    values: failed?.values ?? { subject: '', body: '' }, errors: failed?.errors ?? {}, limits: { subject: MAX_SUBJECT, body: MAX_MESSAGE },
  });
}

async function write(request: MemberQuery, reply: FastifyReply) {
  const actor = requireStaff(request);
  const member = await loadMember(request);
  const parsed = parseTicketForm(request.body as FormBody, request);
  if (Object.keys(parsed.errors).length > 0) return writePage(request, reply, parsed);
  const app = request.server;
  const now = new Date(app.clock.now());
  const id = await app.db.prisma.$transaction((tx) =>
    messageMember(tx, { memberId: member.id, staffId: actor.id, ...parsed.values, kind: 'staff', now, reason: parsed.values.subject }));
  flash(reply, request.t('admin.inbox.sent', { username: member.username }));
  return reply.redirect(`/inbox/${id}`, 303);
}

export async function staffInboxRoutes(app: FastifyInstance): Promise<void> {
  app.get('/admin/inbox', queuePage);
  app.get('/admin/inbox/new', (request: MemberQuery, reply) => writePage(request, reply));
  app.post('/admin/inbox/new', write);
}
