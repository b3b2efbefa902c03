// Torznab for Prowlarr, Sonarr, Radarr, Lidarr and Readarr: GET /api/torznab?t=caps|search|
// tvsearch|movie|music|book&apikey=<token>, and the enclosure's download URL. Errors are the
// Newznab `<error code description/>` element with HTTP 200, as Newznab servers send them: the
// *arr apps read the code (100-199: bad key) only from a successful response, and treat any
// other status as the site being down. A rate-limited client gets 429 (they back off on it).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { listCategories } from '../../categories.js';
import { authenticate, tokenOf } from '../auth.js';
import { ApiProblem } from '../problem.js';
import { serveDownload } from '../serve-download.js';
import { contentDisposition } from '../../releases/build-download.js';
import type { TokenMember } from '../tokens.js';
import { capsCategories, categoriesFor } from './categories.js';
import { capsXml, errorXml, feedXml } from './feed.js';
import { feedItem } from './items.js';
import { parseFunction, parseTorznabSearch } from './query.js';
import { searchTorznab } from './search.js';

type Query = Record<string, unknown>;

function sendXml(reply: FastifyReply, xml: string): FastifyReply {
  return reply.type('application/xml; charset=utf-8').header('Cache-Control', 'private, no-store').send(xml);
}

/** Torznab errors: the Newznab element, HTTP 200 (see above) except for the rate limit. */
export function sendTorznabError(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  const problem = error instanceof ApiProblem ? error : new ApiProblem('internal', 'Unknown error');
  if (!(error instanceof ApiProblem)) request.log.error({ err: error }, 'torznab request failed');
  const status = problem.code === 'rate_limited' ? 429 : 200;
  return sendXml(reply.code(status), errorXml(problem.torznabCode, problem.message));
}

async function search(request: FastifyRequest, member: TokenMember, fn: string): Promise<string> {
  const app = request.server;
  const query = parseTorznabSearch((request.query ?? {}) as Query, fn);
  const categories = await listCategories(app.db.prisma);
  const rows = await searchTorznab(app.db.sql, {
    words: query.words,
    categoryIds: query.cats.length > 0 ? categoriesFor(query.cats, categories) : null,
    imdbId: query.imdbId,
    tmdbId: query.tmdbId,
    tvdbId: query.tvdbId,
    limit: query.limit,
    offset: query.offset,
  });
  // read before the items are built: the shared mode's counts come from Redis (pipelined)
  const live = new Map(await Promise.all(rows.map(async (row) => [row.id, await app.tracker.liveCounts(row.id)] as const)));
  const context = {
    baseUrl: app.config.baseUrl,
    token: tokenOf(request),
    siteFreeleech: app.tracker.policy().siteFreeleech,
    policy: app.settings.all(),
    downloaded: member.downloaded,
    countsOf: (id: number) => live.get(id) ?? { seeders: 0, leechers: 0 },
  };
  const selfUrl = `${app.config.baseUrl}/api/torznab?t=${fn}`;
  return feedXml({ siteName: app.config.siteName, baseUrl: app.config.baseUrl, selfUrl, items: rows.map((row) => feedItem(row, context)) });
}

async function torznab(request: FastifyRequest, reply: FastifyReply) {
  try {
    const fn = parseFunction((request.query ?? {}) as Query);
    const app = request.server;
    // caps needs no key (Prowlarr reads it before the key is typed), as in the Torznab spec
    if (fn === 'caps') return sendXml(reply, capsXml({ siteName: app.config.siteName, categories: capsCategories(await listCategories(app.db.prisma)) }));
    const member = await authenticate(request, 'read');
    return sendXml(reply, await search(request, member, fn));
  } catch (error) {
    return sendTorznabError(request, reply, error);
  }
}

async function download(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) {
  try {
    const member = await authenticate(request, 'download');
    const id = /^\d{1,9}$/.test(request.params.id) ? Number(request.params.id) : 0;
    if (id === 0) throw new ApiProblem('not_found', 'There is no release with that number.');
    const file = await serveDownload(request.server, member, id);
    return reply
      .header('Content-Type', 'application/x-bittorrent')
      .header('Content-Disposition', contentDisposition(file.filename))
      .header('Cache-Control', 'private, no-store')
      .send(file.body);
  } catch (error) {
    // a download is not a feed: here the status says what went wrong, the body says it too
    const problem = error instanceof ApiProblem ? error : null;
    if (!problem) request.log.error({ err: error }, 'torznab download failed');
    const status = problem?.statusCode ?? 500;
    return sendXml(reply.code(status), errorXml(problem?.torznabCode ?? 900, problem?.message ?? 'Unknown error'));
  }
}

export async function torznabRoutes(app: FastifyInstance): Promise<void> {
  const hide = { schema: { hide: true } };
  // registered under /api (src/web/api/index.ts); errors in hooks (the rate limit) are XML too.
  // Torznab clients put the token in the query string: no per-request log lines (which carry
  // the URL) below warn for these routes, so tokens stay out of the logs.
  const options = { ...hide, logLevel: 'warn' as const, errorHandler: (error: unknown, request: FastifyRequest, reply: FastifyReply) => sendTorznabError(request, reply, error) };
  app.get('/torznab', options, torznab);
  // Prowlarr's "API Path" defaults to /api: /api/torznab with it reaches /api/torznab/api
  app.get('/torznab/api', options, torznab);
  app.get<{ Params: { id: string } }>('/torznab/download/:id', options, download);
}
