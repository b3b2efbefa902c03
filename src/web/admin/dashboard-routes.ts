// Staff dashboard (/admin): live counts, members on watch, charts from site_stats_daily, and
// the button that runs the ratio-policy job now.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { canRunPolicyJob } from '../guards.js';
import { flash, render } from '../render.js';
import { formatBytes } from '../view-helpers.js';
import { FALLBACK_LOCALE, translator, type Locale } from '../../i18n/index.js';
import { renderLineChart } from '../charts.js';
import { dashboardCounts, listMembersOnWatch, listSiteStats } from './queries.js';
import { requireAllowed, requireStaff } from './staff-guard.js';

type Stats = Awaited<ReturnType<typeof listSiteStats>>;

/** The site's charts from site_stats_daily, in the page's language: the staff dashboard and the members' home page. */
export function siteCharts(stats: Stats, locale: Locale = FALLBACK_LOCALE) {
  const t = translator(locale);
  const pts = (pick: (s: Stats[number]) => number) => stats.map((s) => ({ x: s.day, y: pick(s) }));
  return {
    members: renderLineChart({
      title: t('charts.membersReleases'), locale,
      series: [{ label: t('charts.members'), points: pts((s) => s.members) }, { label: t('charts.releases'), points: pts((s) => s.releases) }],
    }),
    peers: renderLineChart({
      title: t('charts.peers'), locale,
      series: [{ label: t('charts.seeders'), points: pts((s) => s.seeders) }, { label: t('charts.leechers'), points: pts((s) => s.leechers) }],
    }),
    traffic: renderLineChart({
      title: t('charts.traffic'), locale,
      series: [{ label: t('charts.uploaded'), points: pts((s) => Number(s.uploaded)) }, { label: t('charts.downloaded'), points: pts((s) => Number(s.downloaded)) }],
      yFormat: (y) => formatBytes(y, locale),
    }),
  };
}

async function dashboard(request: FastifyRequest, reply: FastifyReply) {
  const user = requireStaff(request);
  const app = request.server;
  const [counts, onWatch, stats] = await Promise.all([
    dashboardCounts(app.db.prisma, app.clock.now()),
    listMembersOnWatch(app.db.prisma),
    listSiteStats(app.db.prisma),
  ]);
  const freeleechUntil = app.settings.get('siteFreeleechUntil');
  return render(request, reply, 'pages/admin/dashboard', {
    title: request.t('admin.dashboard.title'),
    counts,
    live: app.tracker.stats(),
    onWatch,
    charts: siteCharts(stats, request.locale),
    freeleechUntil: freeleechUntil && freeleechUntil.getTime() > app.clock.now() ? freeleechUntil : null,
    canRunJob: canRunPolicyJob(user),
  });
}

async function runJob(request: FastifyRequest, reply: FastifyReply) {
  const user = requireStaff(request);
  requireAllowed(canRunPolicyJob(user));
  const report = await request.server.policyJob.run();
  if (report.ranElsewhere) {
    flash(reply, request.t('admin.dashboard.jobElsewhere'));
    return reply.redirect('/admin', 303);
  }
  const a = report.accounts;
  flash(reply, request.t('admin.dashboard.jobRan', { checked: a.checked, changed: a.changed, marked: report.hitAndRuns.marked, paid: report.bonusPaidTo }));
  return reply.redirect('/admin', 303);
}

export async function dashboardRoutes(app: FastifyInstance): Promise<void> {
  app.get('/admin', dashboard);
  app.post('/admin/run-job', runJob);
}
