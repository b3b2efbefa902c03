// The unread count in the header: on every page a logged-in member GETs (registered with
// fastify-plugin so it covers the whole web context, after the session is loaded), one count
// on the partial index of unread notifications, capped.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { countUnread, UNREAD_SHOWN } from './queries.js';

async function unreadHook(app: FastifyInstance): Promise<void> {
  app.addHook('preHandler', async (request) => {
    if (!request.user || request.method !== 'GET') return;
    const unread = await countUnread(app.db.prisma, request.user.id);
    if (unread > 0) Object.assign(request.user, { unreadNotifications: unread > UNREAD_SHOWN ? `${UNREAD_SHOWN}+` : String(unread) });
  });
}

export const unreadNotifications = fp(unreadHook, { name: 'seedkeep-unread-notifications' });
