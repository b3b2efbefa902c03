// Exchange bonus points for upload credit. One conditional UPDATE: the points are taken only
// if the member still has them, so two parallel exchanges cannot spend them twice.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { creditForPoints } from '../../policy/bonus.js';
import { logModeration } from '../../policy/moderation-log.js';

export async function exchangeBonus(options: { app: FastifyInstance; userId: number; points: number }): Promise<bigint> {
  const { app, userId, points } = options;
  const settings = app.settings.all();
  const credit = creditForPoints(points, settings);
  if (credit <= 0n) throw AppError.badRequest('bonus.off', 'points');
  const updated = await app.db.prisma.$transaction(async (tx) => {
    const done = await tx.user.updateMany({
      where: { id: userId, bonusPoints: { gte: points } },
      data: { bonusPoints: { decrement: points }, uploaded: { increment: credit } },
    });
    if (done.count !== 1) return false;
    await logModeration(tx, { actorId: userId, targetUserId: userId, action: 'bonus_exchange', reason: `${points} points for upload credit`, details: { points, bytes: credit }, at: new Date(app.clock.now()) });
    // the member's credit history (/users/:id/history)
    await tx.creditLog.create({ data: { userId, kind: 'bonus_exchange', points: -points, bytes: credit, note: `${points} points for upload credit`, createdAt: new Date(app.clock.now()) } });
    return true;
  });
  if (!updated) throw AppError.badRequest('bonus.notEnough', 'points');
  return credit;
}
