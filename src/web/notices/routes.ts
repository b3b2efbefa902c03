// A member's notices (/notices): short messages the site leaves one member (a reseed asked of a
// snatcher, a request filled or paid, a class change). Kept small on purpose, so a fuller
// notifications feature can take its table and this page over.
import type { FastifyInstance } from 'fastify';
import { requireUser } from '../guards.js';
import { flash, render } from '../render.js';

const PAGE = 100;

export async function noticeRoutes(app: FastifyInstance): Promise<void> {
  app.get('/notices', async (request, reply) => {
    const user = requireUser(request);
    const notices = await app.db.prisma.notice.findMany({
      where: { userId: user.id }, orderBy: { id: 'desc' }, take: PAGE, select: { id: true, body: true, link: true, createdAt: true, readAt: true },
    });
    reply.header('Cache-Control', 'private, no-store');
    return render(request, reply, 'pages/notices/list', { title: 'Notices', notices, unread: notices.some((n) => n.readAt === null) });
  });

  app.post('/notices/read', async (request, reply) => {
    const user = requireUser(request);
    await app.db.prisma.notice.updateMany({ where: { userId: user.id, readAt: null }, data: { readAt: new Date(app.clock.now()) } });
    flash(reply, 'All notices marked as read.');
    return reply.redirect('/notices', 303);
  });
}
