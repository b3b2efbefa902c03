// Staff: the report queue (/admin/reports: open, claimed by me, resolved) and one report
// (/admin/reports/:id) with links to act on its release or member, claim, and resolve with an
// outcome and the action taken.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { parseId, text, type FormBody } from '../admin/form.js';
import { requireStaff } from '../admin/staff-guard.js';
import { rawText } from '../inbox/ticket-form.js';
import { formatNumber } from '../view-helpers.js';
import { flash, render } from '../render.js';
import { logActionLabel, reportKindLabel, reportStatusLabel } from '../admin/labels.js';
import { findReport, listReports, listSiblingReports, listTargetActions, REPORT_VIEWS, REPORTS_PAGE_SIZE, type ReportDetails, type ReportView } from './queries.js';
import { claimReport, resolveReport } from './resolve-report.js';

const VIEW_LABELS: Record<ReportView, string> = { open: 'admin.reports.views.open', mine: 'admin.reports.views.mine', resolved: 'admin.reports.views.resolved' };
const MAX_OUTCOME = 2000;
type IdRequest = FastifyRequest<{ Params: { id: string } }>;

async function queuePage(request: FastifyRequest, reply: FastifyReply) {
  const user = requireStaff(request);
  const query = request.query as Record<string, string | undefined>;
  const view: ReportView = REPORT_VIEWS.includes(query.view as ReportView) ? (query.view as ReportView) : 'open';
  const page = /^[1-9]\d{0,5}$/.test(query.page ?? '') ? Number(query.page) : 1;
  const { total, rows, counts } = await listReports(request.server.db.prisma, { view, staffId: user.id, page });
  const pages = Math.max(1, Math.ceil(total / REPORTS_PAGE_SIZE));
  const url = (p: number) => `/admin/reports?view=${view}&page=${p}`;
  return render(request, reply, 'pages/admin/reports', {
    title: request.t('admin.reports.title'),
    views: REPORT_VIEWS.map((v) => ({ value: v, label: request.t(VIEW_LABELS[v]), count: counts[v], current: v === view })),
    viewLabel: request.t(VIEW_LABELS[view]),
    rows: rows.map((r) => ({ ...r, kindLabel: reportKindLabel(request.t, r.kind), statusLabel: reportStatusLabel(request.t, r.status) })),
    total,
    prev: page > 1 ? url(page - 1) : null,
    next: page < pages ? url(page + 1) : null,
  });
}

async function loadReport(request: IdRequest): Promise<ReportDetails> {
  const report = await findReport(request.server.db.prisma, parseId(request.params.id, 'report'));
  if (!report) throw AppError.notFound('admin.notFound.report');
  return report;
}

async function reportPage(request: IdRequest, reply: FastifyReply, failed?: { values: Record<string, string>; errors: Record<string, string>; status: number }) {
  requireStaff(request);
  const report = await loadReport(request);
  const prisma = request.server.db.prisma;
  const [actions, siblings] = await Promise.all([listTargetActions(prisma, report), listSiblingReports(prisma, report)]);
  if (failed) reply.code(failed.status);
  const chosen = failed?.values.action ?? '';
  return render(request, reply, 'pages/admin/report', {
    title: request.t('admin.report.title', { id: report.id }),
    report,
    kindLabel: reportKindLabel(request.t, report.kind),
    statusLabel: reportStatusLabel(request.t, report.status),
    actionLabel: report.action ? logActionLabel(request.t, report.action.action) : '',
    open: report.status !== 'resolved',
    actions: actions.map((a) => ({ ...a, actionLabel: logActionLabel(request.t, a.action), selected: String(a.id) === chosen })),
    siblings: siblings.map((s) => ({ ...s, kindLabel: reportKindLabel(request.t, s.kind) })),
    values: failed?.values ?? { outcome: '' },
    errors: failed?.errors ?? {},
    maxOutcome: MAX_OUTCOME,
  });
}

const claim = (claimIt: boolean) => async (request: IdRequest, reply: FastifyReply) => {
  const actor = requireStaff(request);
  const report = await loadReport(request);
  await claimReport({ prisma: request.server.db.prisma, actorId: actor.id, report, claim: claimIt, now: new Date(request.server.clock.now()) });
  flash(reply, request.t(claimIt ? 'admin.report.claimed' : 'admin.report.unclaimed'));
  return reply.redirect(`/admin/reports/${report.id}`, 303);
};

async function resolve(request: IdRequest, reply: FastifyReply) {
  const actor = requireStaff(request);
  const report = await loadReport(request);
  const body = request.body as FormBody;
  const values = { outcome: rawText(body, 'outcome').trim(), action: text(body, 'action') };
  const errors: Record<string, string> = {};
  if (values.outcome.length < 3) errors.outcome = request.t('admin.report.outcomeShort');
  else if (values.outcome.length > MAX_OUTCOME) errors.outcome = request.t('admin.report.outcomeLong', { max: formatNumber(MAX_OUTCOME, request.locale) });
  if (values.action !== '' && !/^\d{1,9}$/.test(values.action)) errors.action = request.t('admin.report.chooseAction');
  if (Object.keys(errors).length > 0) return reportPage(request, reply, { values, errors, status: 400 });
  try {
    await resolveReport({ prisma: request.server.db.prisma, actorId: actor.id, report, outcome: values.outcome, actionLogId: values.action ? Number(values.action) : null, now: new Date(request.server.clock.now()) });
  } catch (error) {
    if (error instanceof AppError && error.statusCode < 500 && error.field) return reportPage(request, reply, { values, errors: { [error.field]: request.t(error.message, error.params) }, status: error.statusCode });
    throw error;
  }
  flash(reply, report.reporter ? request.t('admin.report.resolvedTold', { username: report.reporter.username }) : request.t('admin.report.resolvedDone'));
  return reply.redirect('/admin/reports', 303);
}

export async function staffReportRoutes(app: FastifyInstance): Promise<void> {
  app.get('/admin/reports', queuePage);
  app.get('/admin/reports/:id', (request: IdRequest, reply) => reportPage(request, reply));
  app.post('/admin/reports/:id/claim', claim(true));
  app.post('/admin/reports/:id/unclaim', claim(false));
  app.post('/admin/reports/:id/resolve', resolve);
}
