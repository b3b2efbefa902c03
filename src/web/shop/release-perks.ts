// What a release's page offers the member from the economy: spending a freeleech token (or
// that one is running), and asking the snatchers for a reseed when nobody seeds it.
import type { FastifyInstance } from 'fastify';
import { isActive } from '../../policy/economy/tokens.js';

export async function releasePerksView(app: FastifyInstance, userId: number, release: { id: number; freeleech: string; seeders: number; deletedAt: Date | null }) {
  const now = app.clock.now();
  const [me, use] = await Promise.all([
    app.db.prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { freeleechTokens: true, personalFreeleechUntil: true } }),
    app.db.prisma.freeleechTokenUse.findUnique({ where: { userId_releaseId: { userId, releaseId: release.id } }, select: { expiresAt: true } }),
  ]);
  const alreadyFree = release.freeleech === 'freeleech' || release.freeleech === 'neutral' || app.settings.get('siteFreeleech');
  const tokenUntil = isActive(use?.expiresAt, now) ? use!.expiresAt : null;
  const personalUntil = isActive(me.personalFreeleechUntil, now) ? me.personalFreeleechUntil : null;
  return {
    tokens: me.freeleechTokens,
    tokenUntil,
    personalUntil,
    mayToken: !release.deletedAt && !alreadyFree && !tokenUntil && !personalUntil && me.freeleechTokens > 0,
    tokenHours: app.settings.get('tokenHours'),
    mayReseed: !release.deletedAt && release.seeders === 0,
  };
}
