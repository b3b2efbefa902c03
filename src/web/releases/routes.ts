// Releases: browse and search, details, and the personalised .torrent download. Members only;
// the download also accepts an RSS token so feed readers can fetch without a session.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { releasePerksView } from '../shop/release-perks.js';
import { AppError } from '../../errors.js';
import { visibleName } from '../../torrents/index.js';
import { listCategories } from '../categories.js';
import { releaseCommentsView } from '../comments/comments-view.js';
import { renderMarkdown } from '../rules/markdown.js';
import { canDownloadRelease, canEditOwnRelease, canSeeDeletedReleases, canSeePeerAddresses, requireUser } from '../guards.js';
import { render } from '../render.js';
import { uploadRoutes } from '../upload/routes.js';
import { browseView } from './browse-view.js';
import { buildDownload, contentDisposition, type AnnounceTiers } from './build-download.js';
import { isBookmarked } from '../bookmarks/queries.js';
import { notifyLink } from '../notifications/notify-link.js';
import { detailsView } from './details-view.js';
import { releaseEditRoutes } from './edit-routes.js';
import { findReleaseDetails, findReleaseForDownload, findUserByRssToken, hasSnatchedOrSeeds } from './queries.js';
import { parseSearchQuery, searchReleases } from './search-releases.js';

interface DownloadMember {
  id: number;
  role: 'member' | 'uploader' | 'moderator' | 'admin';
  passkey: string;
  canLeech: boolean;
  announceTiers: AnnounceTiers;
}

export function parseReleaseId(raw: string): number {
  if (!/^\d{1,9}$/.test(raw) || Number(raw) === 0) throw AppError.notFound('releases.notFound');
  return Number(raw);
}

async function browse(request: FastifyRequest, reply: FastifyReply) {
  requireUser(request);
  const { prisma, sql } = request.server.db;
  const search = parseSearchQuery(request.query as Record<string, unknown>);
  const [result, categories] = await Promise.all([searchReleases(sql, search), listCategories(prisma)]);
  return render(request, reply, 'pages/releases/browse', {
    title: search.words.length > 0 ? request.t('releases.browse.searchTitle', { words: search.words.join(' ') }) : request.t('releases.browse.navTitle'),
    rows: result.rows,
    categories: categories.map((c) => ({ ...c, selected: c.id === search.categoryId })),
    freeleech: search.freeleech,
    notifyLink: notifyLink(search),
    ...browseView(search, result, request.locale),
  });
}

/** ?comments=<page>: 1 when missing or not a page number. */
const commentsPageOf = (query: unknown): number => {
  const raw = (query as Record<string, unknown>).comments;
  return typeof raw === 'string' && /^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : 1;
};

async function details(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) {
  const user = requireUser(request);
  const { db } = request.server;
  const release = await findReleaseDetails(db.sql, parseReleaseId(request.params.id));
  if (!release || (release.deletedAt && !canSeeDeletedReleases(user))) throw AppError.notFound('releases.notFound');
  const live = await request.server.tracker.liveCounts(release.id);
  const view = await detailsView(db, release, { showAddresses: canSeePeerAddresses(user), live, viewer: user });
  const mayDownload = canDownloadRelease(user, release) || (await hasSnatchedOrSeeds(db.prisma, user.id, release.id));
  const perks = await releasePerksView(request.server, user.id, { ...release, seeders: live.seeders });
  const comments = await releaseCommentsView(request.server, user, release.id, commentsPageOf(request.query));
  const bookmarked = await isBookmarked(db.prisma, user.id, release.id);
  const images = request.server.settings.get('descriptionImages') === 'https';
  return render(request, reply, 'pages/releases/details', {
    title: visibleName(release.name), ...view, mayDownload, perks, comments, bookmarked, canEdit: canEditOwnRelease(user, release),
    descriptionHtml: release.description ? renderMarkdown(release.description, { images, breaks: true }) : null,
  });
}

/** The session member, or the RSS token's owner for feed readers. */
async function downloadMember(request: FastifyRequest<{ Querystring: { rss?: string } }>): Promise<DownloadMember> {
  if (request.user) return request.user;
  const token = request.query.rss;
  if (typeof token !== 'string' || token === '') return requireUser(request);
  const member = await findUserByRssToken(request.server.db.prisma, token);
  if (!member) throw AppError.forbidden('releases.rssLinkInvalid');
  return member;
}

async function download(request: FastifyRequest<{ Params: { id: string }; Querystring: { rss?: string } }>, reply: FastifyReply) {
  const member = await downloadMember(request);
  const app = request.server;
  const release = await findReleaseForDownload(app.db.prisma, parseReleaseId(request.params.id));
  if (!release || (release.deletedAt && !canSeeDeletedReleases(member))) throw AppError.notFound('releases.notFound');
  const allowed = canDownloadRelease(member, release) || (await hasSnatchedOrSeeds(app.db.prisma, member.id, release.id));
  if (!allowed) {
    throw AppError.forbidden('releases.downloadWithdrawn');
  }
  const file = buildDownload({ config: { ...app.config, siteName: app.settings.get('siteName') }, release, member });
  return reply
    .header('Content-Type', 'application/x-bittorrent')
    .header('Content-Disposition', contentDisposition(file.filename))
    // The file carries the member's passkey: never cache it anywhere shared.
    .header('Cache-Control', 'private, no-store')
    .send(file.body);
}

export async function releaseRoutes(app: FastifyInstance): Promise<void> {
  app.get('/releases', browse);
  app.get('/releases/:id', details);
  app.get('/releases/:id/download', {
    config: { rateLimit: { max: 120, timeWindow: '1 minute' } },
    handler: download,
  });
  await app.register(uploadRoutes);
  await app.register(releaseEditRoutes);
}
