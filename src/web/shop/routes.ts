// Members: the bonus shop (/shop: staff-defined items with prices and limits), spending a
// freeleech token on a release (POST /releases/:id/token), and the credit history
// (/users/:id/history, the owner and staff). Every POST passes the web context's CSRF check.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { describeItem, describeLimit } from '../../policy/economy/shop.js';
import { isActive } from '../../policy/economy/tokens.js';
import { isStaff, requireUser } from '../guards.js';
import { flash, render } from '../render.js';
import { parseReleaseId } from '../releases/routes.js';
import { parseUserId } from '../users/routes.js';
import { formatDate, formatPoints } from '../view-helpers.js';
import { buyItem } from './buy-item.js';
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
    title: 'Bonus shop',
    error,
    points: formatPoints(me.bonusPoints),
    tokens: me.freeleechTokens,
    invites: me.invitesLeft,
    personalFreeleechUntil: isActive(me.personalFreeleechUntil, now) ? formatDate(me.personalFreeleechUntil) : null,
    doubleUploadUntil: isActive(me.doubleUploadUntil, now) ? formatDate(me.doubleUploadUntil) : null,
    tokenHours: app.settings.get('tokenHours'),
    items: items.map((item) => ({
      key: item.key, name: describeItem(item), price: item.price, limit: describeLimit(item), bought: bought.get(item.key) ?? 0,
      affordable: me.bonusPoints >= item.price,
    })),
  });
}

async function buy(request: KeyRequest, reply: FastifyReply) {
  const user = requireUser(request);
  try {
    const item = await buyItem({ app: request.server, userId: user.id, key: String(request.params.key).slice(0, 40) });
    flash(reply, `Bought ${describeItem(item)} for ${item.price} points.`);
    return reply.redirect('/shop', 303);
  } catch (error) {
    if (error instanceof AppError && error.statusCode === 409) return shopPage(request, reply, error.message);
    throw error;
  }
}

async function spend(request: IdRequest, reply: FastifyReply) {
  const user = requireUser(request);
  const releaseId = parseReleaseId(request.params.id);
  const until = await spendToken({ app: request.server, userId: user.id, releaseId });
  flash(reply, `Token spent: your download of this release is freeleech until ${formatDate(until)}.`);
  return reply.redirect(`/releases/${releaseId}`, 303);
}

async function history(request: IdRequest, reply: FastifyReply) {
  const viewer = requireUser(request);
  const id = parseUserId(request.params.id);
  if (viewer.id !== id && !isStaff(viewer)) throw AppError.forbidden('Only the member and staff see a credit history.');
  const member = await request.server.db.prisma.user.findUnique({ where: { id }, select: { id: true, username: true } });
  if (!member) throw AppError.notFound('There is no member with that number.');
  reply.header('Cache-Control', 'private, no-store');
  return render(request, reply, 'pages/shop/history', { title: `Credit history of ${member.username}`, member, rows: await listCreditLog(request.server.db.prisma, id) });
}

export async function shopRoutes(app: FastifyInstance): Promise<void> {
  app.get('/shop', (request, reply) => shopPage(request, reply));
  app.post('/shop/:key', { config: { rateLimit: { max: 60, timeWindow: '1 minute' } }, handler: buy });
  app.post('/releases/:id/token', { config: { rateLimit: { max: 60, timeWindow: '1 minute' } }, handler: spend });
  app.get('/users/:id/history', history);
}
