// The personal RSS feeds, under the member's RSS token like /rss/<token> (src/web/rss): their
// bookmarks (/rss/<token>/bookmarks) and the uploads each notification filter matched
// (/rss/<token>/filters/<id>). The token is the credential; the enclosures carry it for the
// download, as in the main feed.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { listBookmarkFeed } from '../bookmarks/queries.js';
import { buildFeed } from '../rss/build-feed.js';
import { findFeedOwner, type FeedRelease } from '../rss/queries.js';
import { findOwnFilter, listFilterFeed } from './queries.js';

type FeedRequest = FastifyRequest<{ Params: { token: string; id?: string } }>;
type Personal = { title: string; path: string; description: string };

const notFound = (reply: FastifyReply, message: string) =>
  reply.code(404).type('text/plain; charset=utf-8').header('Cache-Control', 'no-store').send(`${message}\n`);

function sendFeed(request: FeedRequest, reply: FastifyReply, releases: FeedRelease[], personal: Personal) {
  const app = request.server;
  const xml = buildFeed({
    siteName: app.settings.get('siteName'), baseUrl: app.config.baseUrl, token: request.params.token, category: null, releases, now: new Date(app.clock.now()), personal,
  });
  return reply.type('application/rss+xml; charset=utf-8').header('Cache-Control', 'private, no-store').header('X-Robots-Tag', 'noindex').send(xml);
}

async function bookmarksFeed(request: FeedRequest, reply: FastifyReply) {
  const app = request.server;
  const owner = await findFeedOwner(app.db.prisma, request.params.token);
  if (!owner) return notFound(reply, 'Unknown feed. Copy the feed address from your bookmarks page again.');
  const releases = await listBookmarkFeed(app.db.sql, owner.id);
  return sendFeed(request, reply, releases, { title: `${owner.username}'s bookmarks`, path: '/bookmarks', description: 'Releases you bookmarked, newest bookmark first.' });
}

async function filterFeed(request: FeedRequest, reply: FastifyReply) {
  const app = request.server;
  const owner = await findFeedOwner(app.db.prisma, request.params.token);
  if (!owner) return notFound(reply, 'Unknown feed. Copy the feed address from your notifications page again.');
  const raw = request.params.id ?? '';
  const filter = /^\d{1,9}$/.test(raw) ? await findOwnFilter(app.db.prisma, owner.id, Number(raw)) : null;
  if (!filter) return notFound(reply, 'Unknown filter: it may have been deleted.');
  const releases = await listFilterFeed(app.db.sql, filter.id);
  return sendFeed(request, reply, releases, { title: filter.name, path: `/filters/${filter.id}`, description: `New uploads matching your filter "${filter.name}".` });
}

export async function personalFeedRoutes(app: FastifyInstance): Promise<void> {
  const limit = { config: { rateLimit: { max: 60, timeWindow: '1 minute' } } };
  app.get('/rss/:token/bookmarks', limit, bookmarksFeed);
  app.get('/rss/:token/filters/:id', limit, filterFeed);
}
