// Members: bonus points (/bonus): the balance, what seeding earns, and the exchange for
// upload credit (POST, CSRF-checked like every form).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { creditForPoints, pointsPerHour } from '../../policy/bonus.js';
import { GIB } from '../../policy/ratio-table.js';
import { requireUser } from '../guards.js';
import { flash, render } from '../render.js';
import { formatBytes, formatPoints } from '../view-helpers.js';
import { exchangeBonus } from './exchange-bonus.js';
import { text, type FormBody } from './form.js';

async function bonusPage(request: FastifyRequest, reply: FastifyReply, failed?: { message: string; points: string }) {
  const user = requireUser(request);
  const prisma = request.server.db.prisma;
  const settings = request.server.settings.all();
  const me = await prisma.user.findUniqueOrThrow({ where: { id: user.id }, select: { bonusPoints: true } });
  const examples = [[1, 1], [4, 1], [16, 5]].map(([gib, seeders]) => ({
    size: formatBytes(BigInt(gib) * BigInt(GIB)), seeders, perHour: pointsPerHour(BigInt(gib) * BigInt(GIB), seeders, settings).toFixed(2),
  }));
  if (failed) reply.code(400);
  return render(request, reply, 'pages/admin/bonus', {
    title: 'Bonus points',
    points: formatPoints(me.bonusPoints),
    whole: Math.floor(me.bonusPoints),
    rate: formatBytes(creditForPoints(1, settings)),
    per100: formatBytes(creditForPoints(100, settings)),
    examples,
    error: failed?.message,
    value: failed?.points ?? '',
  });
}

async function bonusExchange(request: FastifyRequest, reply: FastifyReply) {
  const user = requireUser(request);
  const raw = text(request.body as FormBody, 'points');
  try {
    if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw AppError.badRequest('Enter a whole number of points, at least 1.', 'points');
    const credit = await exchangeBonus({ app: request.server, userId: user.id, points: Number(raw) });
    flash(reply, `Exchanged ${raw} points for ${formatBytes(credit)} of upload credit.`);
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
