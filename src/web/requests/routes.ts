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

const MAX_DESCRIPTION = 20_000;
const MAX_LINKS = 1000;

type IdRequest = FastifyRequest<{ Params: { id: string }; Querystring: Record<string, string | undefined> }>;

function parseRequestId(raw: string): number {
  if (!/^\d{1,9}$/.test(raw) || Number(raw) === 0) throw AppError.notFound('requests.errors.noSuchRequest');
  return Number(raw);
}

const actorOf = (request: FastifyRequest) => {
  const user = requireUser(request);
  return { id: user.id, staff: isStaff(user) };
};

function bountyOf(body: FormBody): bigint {
  const amount = parseByteAmount(text(body, 'bounty'));
  if (amount === null || amount <= 0n) throw AppError.badRequest('requests.errors.amount', 'bounty');
  return amount;
}

async function readForm(request: FastifyRequest, body: FormBody): Promise<RequestInput> {
  const name = text(body, 'name');
  if (name.length < 3 || name.length > 255) throw AppError.badRequest('requests.errors.name', 'name');
  const category = /^\d{1,9}$/.test(text(body, 'category')) ? await findCategory(request.server.db.prisma, Number(text(body, 'category'))) : null;
  if (!category) throw AppError.badRequest('requests.errors.category', 'category');
  const description = text(body, 'description');
  if (description.length > MAX_DESCRIPTION) throw AppError.badRequest('requests.errors.description', 'description', { max: MAX_DESCRIPTION });
  const links = text(body, 'links');
  if (links.length > MAX_LINKS || links.split(/\r?\n/).some((l) => l.trim() !== '' && !/^https?:\/\/\S+$/.test(l.trim()))) {
    throw AppError.badRequest('requests.errors.links', 'links', { max: MAX_LINKS });
  }
  return { name, categoryId: category.id, description, links, bounty: bountyOf(body) };
}

async function newPage(request: FastifyRequest, reply: FastifyReply, state: { values?: Record<string, string>; errors?: Record<string, string>; status?: number } = {}) {
  requireUser(request);
  const categories = await listCategories(request.server.db.prisma);
  if (state.status) reply.code(state.status);
  const values = state.values ?? {};
  return render(request, reply, 'pages/requests/new', {
    title: request.t('requests.new'), values, errors: state.errors ?? {}, minimum: request.server.settings.get('requestMinBountyMiB'),
    categories: categories.map((c) => ({ ...c, selected: String(c.id) === values.category })),
  });
}

async function create(request: FastifyRequest, reply: FastifyReply) {
  const actor = actorOf(request);
  const body = (request.body ?? {}) as FormBody;
  try {
    const id = await createRequest({ app: request.server, actor, input: await readForm(request, body) });
    flash(reply, request.t('requests.flash.created'));
    return reply.redirect(`/requests/${id}`, 303);
  } catch (error) {
    if (!(error instanceof AppError) || !error.field) throw error;
    const values = Object.fromEntries(['name', 'category', 'description', 'links', 'bounty'].map((k) => [k, text(body, k)]));
    return newPage(request, reply, { values, errors: { [error.field]: request.t(error.message, error.params) }, status: error.statusCode });
  }
}

async function show(request: IdRequest, reply: FastifyReply) {
  const actor = actorOf(request);
  const found = await findRequest(request.server.db.prisma, parseRequestId(request.params.id));
  if (!found) throw AppError.notFound('requests.errors.noSuchRequest');
  const category = await findCategory(request.server.db.prisma, found.categoryId);
  const isRequester = found.requesterId === actor.id;
  return render(request, reply, 'pages/requests/show', {
    title: found.name, request: found, category, isRequester, statusText: request.t(`requests.status.${found.status}`),
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
    return render(request, reply, 'pages/requests/list', { title: request.t('requests.title'), rows, status: request.t(`requests.status.${status}`), statuses: STATUSES.map((s) => ({ value: s, label: request.t(`requests.status.${s}`), current: s === status })) });
  });
  server.get('/requests/new', (request, reply) => newPage(request, reply));
  server.post('/requests', { ...limited, handler: create });
  server.get('/requests/:id', show);
  server.post('/requests/:id/bounty', { ...limited, handler: action(async (request, id) => {
    const amount = bountyOf((request.body ?? {}) as FormBody);
    await addBounty({ app: server, actor: actorOf(request), requestId: id, amount });
    return request.t('requests.flash.added', { amount: formatBytes(amount, request.locale) });
  }) });
  server.post('/requests/:id/fill', { ...limited, handler: action(async (request, id) => {
    const raw = text((request.body ?? {}) as FormBody, 'release').replace(/^.*\/releases\//, '');
    await fillRequest({ app: server, actor: actorOf(request), requestId: id, releaseId: parseReleaseId(raw) });
    return request.t('requests.flash.filled');
  }) });
  server.post('/requests/:id/confirm', { ...limited, handler: action(async (request, id) => request.t('requests.flash.confirmed', { amount: formatBytes(await confirmFill({ app: server, actor: actorOf(request), requestId: id }), request.locale) })) });
  server.post('/requests/:id/reject', { ...limited, handler: action(async (request, id) => (await rejectFill({ app: server, actor: actorOf(request), requestId: id }), request.t('requests.flash.rejected'))) });
  server.post('/requests/:id/withdraw', { ...limited, handler: action(async (request, id) => (await withdrawRequest({ app: server, actor: actorOf(request), requestId: id }), request.t('requests.flash.withdrawn'))) });
  server.post('/releases/:id/reseed', { ...limited, handler: async (request: IdRequest, reply: FastifyReply) => {
    const user = requireUser(request);
    const releaseId = parseReleaseId(request.params.id);
    const notified = await requestReseed({ app: server, userId: user.id, releaseId });
    flash(reply, request.t('requests.flash.reseed', { count: notified }));
    return reply.redirect(`/releases/${releaseId}`, 303);
  } });
}
