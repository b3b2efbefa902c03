// The members' home page: the staff news, the latest releases, the site's public statistics
// (with the charts the staff dashboard draws) and the member's own situation.
import type { FastifyInstance } from 'fastify';
import { siteCharts } from '../admin/dashboard-routes.js';
import { dashboardCounts, listSiteStats } from '../admin/queries.js';
import { listNewsIn } from '../news/news.js';
import { renderMarkdown } from '../rules/markdown.js';
import type { SessionUser } from '../session.js';
import { FALLBACK_LOCALE, type Locale } from '../../i18n/locales.js';
import { formatDecimal2, formatRatio, ratioOf } from '../view-helpers.js';

const NEWS_SHOWN = 5;
const LATEST_SHOWN = 10;

function latestReleases(app: FastifyInstance) {
  return app.db.prisma.release.findMany({
    where: { deletedAt: null },
    select: { id: true, name: true, size: true, seeders: true, leechers: true, freeleech: true, createdAt: true, category: { select: { id: true, name: true } } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: LATEST_SHOWN,
  });
}

async function situation(app: FastifyInstance, user: SessionUser, locale: Locale) {
  const [hitAndRuns, warnings] = await Promise.all([
    app.db.prisma.transfer.count({ where: { userId: user.id, hitAndRunAt: { not: null }, hitAndRunCleared: false } }),
    app.db.prisma.warning.count({ where: { userId: user.id, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date(app.clock.now()) } }] } }),
  ]);
  const ratio = ratioOf(user.uploaded, user.downloaded);
  return {
    ratio: formatRatio(user.uploaded, user.downloaded, locale),
    requiredRatio: formatDecimal2(user.requiredRatio, locale),
    ratioLow: ratio !== null && ratio < user.requiredRatio,
    watchDeadline: user.watchDeadline,
    canLeech: user.canLeech,
    unreadMessages: user.unreadMessages,
    bonusPoints: user.bonusPoints,
    hitAndRuns,
    warnings,
  };
}

export async function homeView(app: FastifyInstance, user: SessionUser, locale: Locale = FALLBACK_LOCALE) {
  const prisma = app.db.prisma;
  const [news, latest, counts, stats, mine] = await Promise.all([
    listNewsIn(prisma, NEWS_SHOWN, locale),
    latestReleases(app),
    dashboardCounts(prisma, app.clock.now()),
    listSiteStats(prisma),
    situation(app, user, locale),
  ]);
  return {
    news: news.map((post) => ({ ...post, html: renderMarkdown(post.body), edited: post.updatedAt.getTime() - post.createdAt.getTime() > 60_000 })),
    latest,
    counts: { members: counts.members, releases: counts.releases, uploaded24h: counts.uploaded24h, downloaded24h: counts.downloaded24h },
    live: app.tracker.stats(),
    charts: siteCharts(stats, locale),
    mine,
  };
}
