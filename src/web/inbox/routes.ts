// The staff inbox: a member's conversations with staff (/inbox), one conversation
// (/inbox/:id), and the staff's side (replies, assignment, resolution; the queue itself is
// /admin/inbox in staff-routes.ts). A member sees only their own conversations: any other id
// is a 404, the same as one that does not exist.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { parseId, text, type FormBody } from '../admin/form.js';
import { isStaff, requireUser } from '../guards.js';
import { flash, render } from '../render.js';
import type { SessionUser } from '../session.js';
import { assignTicket, setTicketResolved } from './change-ticket.js';
import { openTicket } from './open-ticket.js';
import { findTicket, listMemberTickets, listStaff, TICKETS_PAGE_SIZE, type TicketDetails } from './queries.js';
import { replyAsMember, replyAsStaff } from './reply-to-ticket.js';
import { MAX_MESSAGE, MAX_SUBJECT, messageProblem, parseTicketForm, rawText } from './ticket-form.js';
import { listRowView, subjectOf, ticketView } from './ticket-view.js';

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

const pageOf = (raw: unknown): number => (typeof raw === 'string' && /^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : 1);
const limits = { subject: MAX_SUBJECT, body: MAX_MESSAGE };

/** The conversation, if this viewer may see it: its member, or staff. */
async function loadTicket(request: IdRequest, user: SessionUser): Promise<TicketDetails> {
  const ticket = await findTicket(request.server.db.prisma, parseId(request.params.id, 'conversation'));
  if (!ticket || (ticket.memberId !== user.id && !isStaff(user))) throw AppError.notFound('inbox.noSuchConversation');
  return ticket;
}

async function listPage(request: FastifyRequest, reply: FastifyReply) {
  const user = requireUser(request);
  const page = pageOf((request.query as Record<string, unknown>).page);
  const { total, rows } = await listMemberTickets(request.server.db.prisma, user.id, page);
  const pages = Math.max(1, Math.ceil(total / TICKETS_PAGE_SIZE));
  reply.header('Cache-Control', 'private, no-store');
  return render(request, reply, 'pages/inbox/list', {
    title: request.t('inbox.title'), rows: rows.map((row) => listRowView(request.t, row)), total,
    prev: page > 1 ? `/inbox?page=${page - 1}` : null, next: page < pages ? `/inbox?page=${page + 1}` : null,
  });
}

function newPage(request: FastifyRequest, reply: FastifyReply, failed?: ReturnType<typeof parseTicketForm>) {
  requireUser(request);
  if (failed) reply.code(400);
  return render(request, reply, 'pages/inbox/new', { title: request.t('inbox.write'), values: failed?.values ?? { subject: '', body: '' }, errors: failed?.errors ?? {}, limits });
}

async function create(request: FastifyRequest, reply: FastifyReply) {
  const user = requireUser(request);
  const parsed = parseTicketForm(request.body as FormBody, request);
  if (Object.keys(parsed.errors).length > 0) return newPage(request, reply, parsed);
  const app = request.server;
  const id = await openTicket({ prisma: app.db.prisma, memberId: user.id, ...parsed.values, kind: 'member', now: new Date(app.clock.now()) });
  flash(reply, request.t('inbox.flash.opened'));
  return reply.redirect(`/inbox/${id}`, 303);
}

/** Reading clears the reader's side's unread mark (the member's, or the staff's). */
async function markRead(request: FastifyRequest, user: SessionUser, ticket: TicketDetails): Promise<void> {
  const prisma = request.server.db.prisma;
  if (ticket.memberId === user.id && ticket.memberUnread) await prisma.ticket.update({ where: { id: ticket.id }, data: { memberUnread: false } });
  else if (ticket.memberId !== user.id && ticket.staffUnread) await prisma.ticket.update({ where: { id: ticket.id }, data: { staffUnread: false } });
}

async function ticketPage(request: IdRequest, reply: FastifyReply, failed?: { body: string; error: string }) {
  const user = requireUser(request);
  const ticket = await loadTicket(request, user);
  if (!failed) await markRead(request, user, ticket);
  const staffSide = isStaff(user) && ticket.memberId !== user.id;
  if (failed) reply.code(400);
  reply.header('Cache-Control', 'private, no-store');
  return render(request, reply, 'pages/inbox/ticket', {
    title: subjectOf(request.t, ticket),
    ticket: ticketView(request.t, ticket),
    staffSide,
    staff: staffSide ? (await listStaff(request.server.db.prisma)).map((s) => ({ ...s, selected: s.id === ticket.assigneeId })) : [],
    values: { body: failed?.body ?? '' },
    errors: failed ? { body: failed.error } : {},
    limits,
  });
}

async function replyTo(request: IdRequest, reply: FastifyReply) {
  const user = requireUser(request);
  const ticket = await loadTicket(request, user);
  const body = rawText(request.body as FormBody, 'body');
  const problem = messageProblem(body, request);
  if (problem) return ticketPage(request, reply, { body, error: problem });
  const app = request.server;
  const options = { prisma: app.db.prisma, ticket, authorId: user.id, body, now: new Date(app.clock.now()) };
  if (ticket.memberId === user.id) await replyAsMember(options);
  else await replyAsStaff({ ...options, resolve: text(request.body as FormBody, 'resolve') === 'yes' });
  flash(reply, request.t('inbox.flash.sent'));
  return reply.redirect(`/inbox/${ticket.id}#message-form`, 303);
}

/** Staff only, and never on their own conversation with the staff. */
async function loadForStaff(request: IdRequest): Promise<{ user: SessionUser; ticket: TicketDetails }> {
  const user = requireUser(request);
  if (!isStaff(user)) throw AppError.forbidden('inbox.errors.staffOnly');
  const ticket = await loadTicket(request, user);
  if (ticket.memberId === user.id) throw AppError.forbidden('inbox.errors.ownConversation');
  return { user, ticket };
}

async function assign(request: IdRequest, reply: FastifyReply) {
  const { user, ticket } = await loadForStaff(request);
  const raw = text(request.body as FormBody, 'assignee');
  const assigneeId = raw === 'me' ? user.id : raw === '' ? null : /^\d{1,9}$/.test(raw) ? Number(raw) : -1;
  const name = await assignTicket({ prisma: request.server.db.prisma, actorId: user.id, ticket, assigneeId, now: new Date(request.server.clock.now()) });
  flash(reply, name ? request.t('inbox.flash.assigned', { name }) : request.t('inbox.flash.unassigned'));
  return reply.redirect(`/inbox/${ticket.id}`, 303);
}

const setResolved = (resolved: boolean) => async (request: IdRequest, reply: FastifyReply) => {
  const { user, ticket } = await loadForStaff(request);
  await setTicketResolved({ prisma: request.server.db.prisma, actorId: user.id, ticket, resolved, now: new Date(request.server.clock.now()) });
  flash(reply, resolved ? request.t('inbox.flash.resolved') : request.t('inbox.flash.reopened'));
  return reply.redirect(`/inbox/${ticket.id}`, 303);
};

export async function inboxRoutes(app: FastifyInstance): Promise<void> {
  app.get('/inbox', listPage);
  app.get('/inbox/new', (request, reply) => newPage(request, reply));
  app.post('/inbox', { config: { rateLimit: { max: 20, timeWindow: '1 hour' } } }, create);
  app.get('/inbox/:id', (request: IdRequest, reply) => ticketPage(request, reply));
  app.post('/inbox/:id/reply', { config: { rateLimit: { max: 60, timeWindow: '1 hour' } } }, replyTo);
  app.post('/inbox/:id/assign', assign);
  app.post('/inbox/:id/resolve', setResolved(true));
  app.post('/inbox/:id/reopen', setResolved(false));
}
