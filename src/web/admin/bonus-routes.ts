// Members: bonus points (/bonus): the balance, what seeding earns, and the exchange for
// upload credit (POST, CSRF-checked like every form).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { creditForPoints, pointsPerHour } from '../../policy/bonus.js';
import { GIB } from '../../policy/ratio-table.js';
import { requireUser } from '../guards.js';
import { flash, render } from '../render.js';
import { formatBytes, formatDecimal2, formatPoints } from '../view-helpers.js';
import { exchangeBonus } from './exchange-bonus.js';
import { text, type FormBody } from './form.js';

async function bonusPage(request: FastifyRequest, reply: FastifyReply, failed?: { message: string; points: string }) {
  const user = requireUser(request);
  const prisma = request.server.db.prisma;
  const settings = request.server.settings.all();
  const me = await prisma.user.findUniqueOrThrow({ where: { id: user.id }, select: { bonusPoints: true } });
  const examples = [[1, 1], [4, 1], [16, 5]].map(([gib, seeders]) => ({
    size: formatBytes(BigInt(gib) * BigInt(GIB), request.locale), seeders, perHour: formatDecimal2(pointsPerHour(BigInt(gib) * BigInt(GIB), seeders, settings), request.locale),
  }));
  if (failed) reply.code(400);
  return render(request, reply, 'pages/admin/bonus', {
    title: request.t('bonus.title'),
    points: formatPoints(me.bonusPoints, request.locale),
    whole: Math.floor(me.bonusPoints),
    rate: formatBytes(creditForPoints(1, settings), request.locale),
    per100: formatBytes(creditForPoints(100, settings), request.locale),
    examples,
    error: failed?.message,
    value: failed?.points ?? '',
  });
}

async function bonusExchange(request: FastifyRequest, reply: FastifyReply) {
  const user = requireUser(request);
  const raw = text(request.body as FormBody, 'points');
  try {
    if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw AppError.badRequest('bonus.wholeNumber', 'points');
    const credit = await exchangeBonus({ app: request.server, userId: user.id, points: Number(raw) });
    flash(reply, request.t('bonus.exchanged', { count: Number(raw), credit: formatBytes(credit, request.locale) }));
    return reply.redirect('/bonus', 303);
  } catch (error) {
    if (error instanceof AppError && error.statusCode === 400) return bonusPage(request, reply, { message: request.t(error.message, error.params), points: raw });
    throw error;
  }
}

export async function bonusRoutes(app: FastifyInstance): Promise<void> {
  app.get('/bonus', (request, reply) => bonusPage(request, reply));
  app.post('/bonus', { config: { rateLimit: { max: 30, timeWindow: '1 minute' } }, handler: bonusExchange });
}
