// Members: the bonus shop (/shop: staff-defined items with prices and limits), spending a
// freeleech token on a release (POST /releases/:id/token), and the credit history
// (/users/:id/history, the owner and staff). Every POST passes the web context's CSRF check.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { isActive } from '../../policy/economy/tokens.js';
import { isStaff, requireUser } from '../guards.js';
import { flash, render } from '../render.js';
import { parseReleaseId } from '../releases/routes.js';
import { parseUserId } from '../users/routes.js';
import { formatDate, formatPoints } from '../view-helpers.js';
import { buyItem } from './buy-item.js';
import { historyRows } from './history-rows.js';
import { itemText, limitText } from './item-text.js';
import { listCreditLog, purchasesInPeriods } from './queries.js';
import { spendToken } from './spend-token.js';

type KeyRequest = FastifyRequest<{ Params: { key: string } }>;
type IdRequest = FastifyRequest<{ Params: { id: string } }>;

async function shopPage(request: FastifyRequest, reply: FastifyReply, error?: string) {
  const user = requireUser(request);
  const app = request.server;
  const now = app.clock.now();
  const items = app.settings.get('shopItems');
  const [me, bought] = await Promise.all([
    app.db.prisma.user.findUniqueOrThrow({ where: { id: user.id }, select: { bonusPoints: true, freeleechTokens: true, invitesLeft: true, personalFreeleechUntil: true, doubleUploadUntil: true } }),
    purchasesInPeriods(app.db.prisma, user.id, items, now),
  ]);
  if (error) reply.code(409);
  return render(request, reply, 'pages/shop/shop', {
    title: request.t('shop.title'),
    error,
    points: formatPoints(me.bonusPoints, request.locale),
    tokens: me.freeleechTokens,
    invites: me.invitesLeft,
    personalFreeleechUntil: isActive(me.personalFreeleechUntil, now) ? formatDate(me.personalFreeleechUntil, request.locale) : null,
    doubleUploadUntil: isActive(me.doubleUploadUntil, now) ? formatDate(me.doubleUploadUntil, request.locale) : null,
    tokenHours: app.settings.get('tokenHours'),
    items: items.map((item) => ({
      key: item.key, name: itemText(request, item), price: item.price, limit: limitText(request, item), bought: bought.get(item.key) ?? 0,
      affordable: me.bonusPoints >= item.price,
    })),
  });
}

/** A refused purchase in the reader's language, with the item's limit put in ("3 per 7 days"). */
function refusalText(request: FastifyRequest, error: AppError): string {
  const item = request.server.settings.get('shopItems').find((i) => i.key === error.params?.item);
  return request.t(error.message, { ...error.params, limit: item ? limitText(request, item) : '' });
}

async function buy(request: KeyRequest, reply: FastifyReply) {
  const user = requireUser(request);
  try {
    const item = await buyItem({ app: request.server, userId: user.id, key: String(request.params.key).slice(0, 40) });
    flash(reply, request.t('shop.flash.bought', { item: itemText(request, item), count: item.price }));
    return reply.redirect('/shop', 303);
  } catch (error) {
    if (error instanceof AppError && error.statusCode === 409) return shopPage(request, reply, refusalText(request, error));
    throw error;
  }
}

async function spend(request: IdRequest, reply: FastifyReply) {
  const user = requireUser(request);
  const releaseId = parseReleaseId(request.params.id);
  const until = await spendToken({ app: request.server, userId: user.id, releaseId });
  flash(reply, request.t('shop.flash.tokenSpent', { until: formatDate(until, request.locale) }));
  return reply.redirect(`/releases/${releaseId}`, 303);
}

async function history(request: IdRequest, reply: FastifyReply) {
  const viewer = requireUser(request);
  const id = parseUserId(request.params.id);
  if (viewer.id !== id && !isStaff(viewer)) throw AppError.forbidden('shop.history.forbidden');
  const member = await request.server.db.prisma.user.findUnique({ where: { id }, select: { id: true, username: true } });
  if (!member) throw AppError.notFound('users.noSuchMember');
  reply.header('Cache-Control', 'private, no-store');
  return render(request, reply, 'pages/shop/history', { title: request.t('shop.history.title', { name: member.username }), member, rows: historyRows(request, await listCreditLog(request.server.db.prisma, id)) });
}

export async function shopRoutes(app: FastifyInstance): Promise<void> {
  app.get('/shop', (request, reply) => shopPage(request, reply));
  app.post('/shop/:key', { config: { rateLimit: { max: 60, timeWindow: '1 minute' } }, handler: buy });
  app.post('/releases/:id/token', { config: { rateLimit: { max: 60, timeWindow: '1 minute' } }, handler: spend });
  app.get('/users/:id/history', history);
}
