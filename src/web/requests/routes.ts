// Requests with bounties (/requests): list, create, show, add to the bounty, fill with a
// release, confirm or reject the fill, withdraw; and the reseed request on a release page.
// Every POST passes the web context's CSRF check; refusals are 4xx with the reason.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { findCategory, listCategories } from '../categories.js';
import { isStaff, requireUser } from '../guards.js';
import { flash, render } from '../render.js';
import { parseByteAmount, text, type FormBody } from '../admin/form.js';
import { parseReleaseId } from '../releases/routes.js';
import { formatBytes } from '../view-helpers.js';
import { addBounty, createRequest, fillRequest, type RequestInput } from './escrow.js';
import { findRequest, listRequests, STATUSES, type StatusFilter } from './queries.js';
import { requestReseed } from './request-reseed.js';
import { confirmFill, rejectFill, withdrawRequest } from './settle-request.js';

type IdRequest = FastifyRequest<{ Params: { id: string }; Querystring: Record<string, string | undefined> }>;

function parseRequestId(raw: string): number {
  if (!/^\d{1,9}$/.test(raw) || Number(raw) === 0) throw AppError.notFound('There is no request with that number.');
  return Number(raw);
}

const actorOf = (request: FastifyRequest) => {
  const user = requireUser(request);
  return { id: user.id, staff: isStaff(user) };
};

function bountyOf(body: FormBody): bigint {
  const amount = parseByteAmount(text(body, 'bounty'));
  if (amount === null || amount <= 0n) throw AppError.badRequest('Enter an amount of upload credit, e.g. 500 MiB or 2 GiB.', 'bounty');
  return amount;
}

async function readForm(request: FastifyRequest, body: FormBody): Promise<RequestInput> {
  const name = text(body, 'name');
  if (name.length < 3 || name.length > 255) throw AppError.badRequest('Name what you ask for in 3 to 255 characters.', 'name');
  const category = /^\d{1,9}$/.test(text(body, 'category')) ? await findCategory(request.server.db.prisma, Number(text(body, 'category'))) : null;
  if (!category) throw AppError.badRequest('Choose a category.', 'category');
  const description = text(body, 'description');
  if (description.length > 20_000) throw AppError.badRequest('Keep the description under 20,000 characters.', 'description');
  const links = text(body, 'links');
  if (links.length > 1000 || links.split(/\r?\n/).some((l) => l.trim() !== '' && !/^https?:\/\/\S+$/.test(l.trim()))) {
    throw AppError.badRequest('Media links are http(s) addresses, one a line, 1,000 characters in all.', 'links');
  }
  return { name, categoryId: category.id, description, links, bounty: bountyOf(body) };
}

async function newPage(request: FastifyRequest, reply: FastifyReply, state: { values?: Record<string, string>; errors?: Record<string, string>; status?: number } = {}) {
  requireUser(request);
  const categories = await listCategories(request.server.db.prisma);
  if (state.status) reply.code(state.status);
  const values = state.values ?? {};
  return render(request, reply, 'pages/requests/new', {
    title: 'New request', values, errors: state.errors ?? {}, minimum: request.server.settings.get('requestMinBountyMiB'),
    categories: categories.map((c) => ({ ...c, selected: String(c.id) === values.category })),
  });
}

async function create(request: FastifyRequest, reply: FastifyReply) {
  const actor = actorOf(request);
  const body = (request.body ?? {}) as FormBody;
  try {
    const id = await createRequest({ app: request.server, actor, input: await readForm(request, body) });
    flash(reply, 'Request created; the bounty is held until it is filled and confirmed.');
    return reply.redirect(`/requests/${id}`, 303);
  } catch (error) {
    if (!(error instanceof AppError) || !error.field) throw error;
    const values = Object.fromEntries(['name', 'category', 'description', 'links', 'bounty'].map((k) => [k, text(body, k)]));
    return newPage(request, reply, { values, errors: { [error.field]: error.message }, status: error.statusCode });
  }
}

async function show(request: IdRequest, reply: FastifyReply) {
  const actor = actorOf(request);
  const found = await findRequest(request.server.db.prisma, parseRequestId(request.params.id));
  if (!found) throw AppError.notFound('There is no request with that number.');
  const category = await findCategory(request.server.db.prisma, found.categoryId);
  const isRequester = found.requesterId === actor.id;
  return render(request, reply, 'pages/requests/show', {
    title: found.name, request: found, category, isRequester,
    links: found.links.split(/\r?\n/).map((l) => l.trim()).filter(Boolean),
    mayWithdraw: found.status === 'open' && (isRequester || actor.staff),
    maySettle: found.status === 'filled' && (isRequester || actor.staff),
    mayFill: found.status === 'open' && !isRequester,
  });
}

/** One POST on a request: run the action, then back to the request with a message. */
function action(run: (request: IdRequest, id: number) => Promise<string>) {
  return async (request: IdRequest, reply: FastifyReply) => {
    const id = parseRequestId(request.params.id);
    flash(reply, await run(request, id));
    return reply.redirect(`/requests/${id}`, 303);
  };
}

export async function requestRoutes(server: FastifyInstance): Promise<void> {
  const limited = { config: { rateLimit: { max: 60, timeWindow: '1 minute' } } };
  server.get('/requests', async (request: IdRequest, reply) => {
    requireUser(request);
    const status = (STATUSES as readonly string[]).includes(request.query.status ?? '') ? (request.query.status as StatusFilter) : 'open';
    const rows = await listRequests(server.db.prisma, status);
    return render(request, reply, 'pages/requests/list', { title: 'Requests', rows, status, statuses: STATUSES.map((s) => ({ value: s, current: s === status })) });
  });
  server.get('/requests/new', (request, reply) => newPage(request, reply));
  server.post('/requests', { ...limited, handler: create });
  server.get('/requests/:id', show);
  server.post('/requests/:id/bounty', { ...limited, handler: action(async (request, id) => {
    const amount = bountyOf((request.body ?? {}) as FormBody);
    await addBounty({ app: server, actor: actorOf(request), requestId: id, amount });
    return `Added ${formatBytes(amount)} to the bounty.`;
  }) });
  server.post('/requests/:id/fill', { ...limited, handler: action(async (request, id) => {
    const raw = text((request.body ?? {}) as FormBody, 'release').replace(/^.*\/releases\//, '');
    await fillRequest({ app: server, actor: actorOf(request), requestId: id, releaseId: parseReleaseId(raw) });
    return 'Filled: the member who asked has been told, and the bounty is yours once they confirm.';
  }) });
  server.post('/requests/:id/confirm', { ...limited, handler: action(async (request, id) => `Confirmed: ${formatBytes(await confirmFill({ app: server, actor: actorOf(request), requestId: id }))} paid to the filler.`) });
  server.post('/requests/:id/reject', { ...limited, handler: action(async (request, id) => (await rejectFill({ app: server, actor: actorOf(request), requestId: id }), 'Fill rejected: the request is open again.')) });
  server.post('/requests/:id/withdraw', { ...limited, handler: action(async (request, id) => (await withdrawRequest({ app: server, actor: actorOf(request), requestId: id }), 'Request withdrawn: every bounty was returned.')) });
  server.post('/releases/:id/reseed', { ...limited, handler: async (request: IdRequest, reply: FastifyReply) => {
    const user = requireUser(request);
    const releaseId = parseReleaseId(request.params.id);
    const notified = await requestReseed({ app: server, userId: user.id, releaseId });
    flash(reply, `Reseed asked: ${notified} snatcher(s) were told.`);
    return reply.redirect(`/releases/${releaseId}`, 303);
  } });
}
