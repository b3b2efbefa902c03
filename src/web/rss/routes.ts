// /rss/:token: a member's private feed of new releases, for feed readers and the RSS
// auto-downloaders of torrent clients. No session: the token in the URL is the credential,
// and the enclosure links carry it (?rss=) so the download works without a session too.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { buildFeed } from './build-feed.js';
import { findCategoryBySlug, findFeedOwner, listFeedReleases } from './queries.js';

type FeedRequest = FastifyRequest<{ Params: { token: string }; Querystring: { category?: string } }>;

const notFound = (reply: FastifyReply, message: string) =>
  reply.code(404).type('text/plain; charset=utf-8').header('Cache-Control', 'no-store').send(`${message}\n`);

async function feed(request: FeedRequest, reply: FastifyReply) {
  const app = request.server;
  const token = request.params.token;
  const owner = await findFeedOwner(app.db.prisma, token);
  if (!owner) return notFound(reply, 'Unknown feed. Copy the feed address from your profile again.');
  const slug = typeof request.query.category === 'string' ? request.query.category : '';
  const category = slug ? await findCategoryBySlug(app.db.prisma, slug) : null;
  if (slug && !category) return notFound(reply, 'Unknown category.');
  const releases = await listFeedReleases(app.db.sql, category?.id ?? null);
  const xml = buildFeed({ siteName: app.settings.get('siteName'), baseUrl: app.config.baseUrl, token, category, releases, now: new Date(app.clock.now()) });
  return reply
    .type('application/rss+xml; charset=utf-8')
    // The feed carries a credential: never in a shared cache, never indexed.
    .header('Cache-Control', 'private, no-store')
    .header('X-Robots-Tag', 'noindex')
    .send(xml);
}

export async function rssRoutes(app: FastifyInstance): Promise<void> {
  app.get('/rss/:token', { config: { rateLimit: { max: 60, timeWindow: '1 minute' } } }, feed);
}
