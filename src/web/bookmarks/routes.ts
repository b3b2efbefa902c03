// Bookmarks: the release page's button (POST /releases/:id/bookmark, add or remove), the
// member's list (/bookmarks), and its private RSS feed (/rss/<rss token>/bookmarks, in
// src/web/notifications/feed-routes.ts with the filters' feeds).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { requireUser } from '../guards.js';
import { flash, render } from '../render.js';
import { addBookmark, BOOKMARKS_LISTED, listBookmarks, removeBookmark } from './queries.js';

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

function parseReleaseId(raw: string): number {
  if (!/^\d{1,9}$/.test(raw) || Number(raw) === 0) throw AppError.notFound('releases.notFound');
  return Number(raw);
}

async function postBookmark(request: IdRequest, reply: FastifyReply) {
  const user = requireUser(request);
  const app = request.server;
  const releaseId = parseReleaseId(request.params.id);
  const body = request.body as Record<string, unknown> | undefined;
  const back = body?.back === 'bookmarks' ? '/bookmarks' : `/releases/${releaseId}`;
  if (body?.action === 'remove') {
    await removeBookmark(app.db.prisma, user.id, releaseId);
    flash(reply, request.t('bookmarks.flash.removed'));
    return reply.redirect(back, 303);
  }
  if (body?.action !== 'add') throw AppError.badRequest('bookmarks.chooseAction');
  const release = await app.db.prisma.release.findUnique({ where: { id: releaseId }, select: { deletedAt: true } });
  if (!release || release.deletedAt) throw AppError.notFound('releases.notFound');
  await addBookmark(app.db.prisma, user.id, releaseId, app.clock.now());
  flash(reply, request.t('bookmarks.flash.added'));
  return reply.redirect(back, 303);
}

async function showBookmarks(request: FastifyRequest, reply: FastifyReply) {
  const user = requireUser(request);
  const app = request.server;
  const bookmarks = await listBookmarks(app.db.prisma, user.id);
  reply.header('Cache-Control', 'private, no-store');
  return render(request, reply, 'pages/bookmarks/list', {
    title: request.t('bookmarks.title'),
    bookmarks,
    full: bookmarks.length >= BOOKMARKS_LISTED,
    feedUrl: `${app.config.baseUrl}/rss/${user.rssToken}/bookmarks`,
  });
}

export async function bookmarkRoutes(app: FastifyInstance): Promise<void> {
  app.get('/bookmarks', showBookmarks);
  app.post('/releases/:id/bookmark', { config: { rateLimit: { max: 120, timeWindow: '1 minute' } } }, postBookmark);
}
