// Staff dashboard (/admin): live counts, members on watch, charts from site_stats_daily, and
// the button that runs the ratio-policy job now.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { canRunPolicyJob } from '../guards.js';
import { flash, render } from '../render.js';
import { formatBytes } from '../view-helpers.js';
import { renderLineChart } from '../charts.js';
import { dashboardCounts, listMembersOnWatch, listSiteStats } from './queries.js';
import { requireAllowed, requireStaff } from './staff-guard.js';

type Stats = Awaited<ReturnType<typeof listSiteStats>>;

/** The site's charts from site_stats_daily: the staff dashboard and the members' home page. */
export function siteCharts(stats: Stats) {
  const pts = (pick: (s: Stats[number]) => number) => stats.map((s) => ({ x: s.day, y: pick(s) }));
  return {
    members: renderLineChart({ title: 'Members and releases', series: [{ label: 'Members', points: pts((s) => s.members) }, { label: 'Releases', points: pts((s) => s.releases) }] }),
    peers: renderLineChart({ title: 'Peers', series: [{ label: 'Seeders', points: pts((s) => s.seeders) }, { label: 'Leechers', points: pts((s) => s.leechers) }] }),
    traffic: renderLineChart({
      title: 'Traffic per day',
      series: [{ label: 'Uploaded', points: pts((s) => Number(s.uploaded)) }, { label: 'Downloaded', points: pts((s) => Number(s.downloaded)) }],
      yFormat: (y) => formatBytes(y),
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
    title: 'Staff dashboard',
    counts,
    live: app.tracker.stats(),
    onWatch,
    charts: siteCharts(stats),
    freeleechUntil: freeleechUntil && freeleechUntil.getTime() > app.clock.now() ? freeleechUntil : null,
    canRunJob: canRunPolicyJob(user),
  });
}

async function runJob(request: FastifyRequest, reply: FastifyReply) {
  const user = requireStaff(request);
  requireAllowed(canRunPolicyJob(user));
  const report = await request.server.policyJob.run();
  if (report.ranElsewhere) {
    flash(reply, 'The policy job is running in another tracker process right now; its results appear when it ends.');
    return reply.redirect('/admin', 303);
  }
  const a = report.accounts;
  flash(reply, `Policy job ran: ${a.checked} members checked, ${a.changed} changed, ${report.hitAndRuns.marked} new hit-and-runs, bonus paid to ${report.bonusPaidTo}.`);
  return reply.redirect('/admin', 303);
}

export async function dashboardRoutes(app: FastifyInstance): Promise<void> {
  app.get('/admin', dashboard);
  app.post('/admin/run-job', runJob);
}
