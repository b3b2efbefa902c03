// The unread notices count in the header (reseed asks, requests, class changes): on every page a
// logged-in member GETs, one capped count, like the upload notifications' count beside it.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

const SHOWN = 99;

async function unreadNoticesHook(app: FastifyInstance): Promise<void> {
  app.addHook('preHandler', async (request) => {
    if (!request.user || request.method !== 'GET') return;
    const rows = await app.db.prisma.notice.findMany({ where: { userId: request.user.id, readAt: null }, select: { id: true }, take: SHOWN + 1 });
    if (rows.length > 0) Object.assign(request.user, { unreadNotices: rows.length > SHOWN ? `${SHOWN}+` : String(rows.length) });
  });
}

export const unreadNotices = fp(unreadNoticesHook, { name: 'seedkeep-unread-notices' });
