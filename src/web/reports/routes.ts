// Members report a release or another member: /report?release=<id> or /report?member=<id>.
// The staff's queue is /admin/reports (staff-routes.ts); the outcome reaches the reporter in
// their inbox.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { parseId, text, type FormBody } from '../admin/form.js';
import { canSeeDeletedReleases, requireUser } from '../guards.js';
import { flash, render } from '../render.js';
import type { SessionUser } from '../session.js';
import { rawText } from '../inbox/ticket-form.js';
import { fileReport } from './file-report.js';
import { RELEASE_REPORT_KINDS, type ReportKind } from './queries.js';

export const MAX_REPORT_REASON = 2000;
const KIND_LABELS: Record<string, string> = {
  dupe: 'reports.kinds.dupe', fake: 'reports.kinds.fake', broken: 'reports.kinds.broken', rules: 'reports.kinds.rules',
};

type ReportRequest = FastifyRequest<{ Querystring: { release?: string; member?: string } }>;

interface Target {
  releaseId: number | null;
  targetUserId: number | null;
  label: string;
  url: string;
}

/** The release or member named in the query; unknown, deleted (for members) or oneself: a clear 4xx. */
async function loadTarget(request: ReportRequest, user: SessionUser): Promise<Target> {
  const prisma = request.server.db.prisma;
  const query = request.query;
  if (query.release !== undefined) {
    const id = parseId(String(query.release), 'release');
    const release = await prisma.release.findUnique({ where: { id }, select: { id: true, name: true, deletedAt: true } });
    if (!release || (release.deletedAt && !canSeeDeletedReleases(user))) throw AppError.notFound('releases.notFound');
    return { releaseId: id, targetUserId: null, label: release.name, url: `/releases/${id}` };
  }
  const id = parseId(String(query.member ?? ''), 'member');
  if (id === user.id) throw AppError.badRequest('reports.errors.yourself');
  const member = await prisma.user.findUnique({ where: { id }, select: { id: true, username: true } });
  if (!member) throw AppError.notFound('users.noSuchMember');
  return { releaseId: null, targetUserId: id, label: member.username, url: `/users/${id}` };
}

function formPage(request: ReportRequest, reply: FastifyReply, target: Target, failed?: { values: Record<string, string>; errors: Record<string, string>; status: number }) {
  const kind = failed?.values.kind ?? '';
  if (failed) reply.code(failed.status);
  return render(request, reply, 'pages/reports/new', {
    title: request.t('reports.title', { name: target.label }),
    target,
    action: target.releaseId !== null ? `/report?release=${target.releaseId}` : `/report?member=${target.targetUserId}`,
    kinds: target.releaseId !== null ? RELEASE_REPORT_KINDS.map((k) => ({ value: k, label: request.t(KIND_LABELS[k]), selected: k === kind })) : null,
    values: failed?.values ?? { reason: '' },
    errors: failed?.errors ?? {},
    maxReason: MAX_REPORT_REASON,
  });
}

async function showForm(request: ReportRequest, reply: FastifyReply) {
  const user = requireUser(request);
  return formPage(request, reply, await loadTarget(request, user));
}

function readForm(body: FormBody, target: Target) {
  const values = { kind: text(body, 'kind'), reason: rawText(body, 'reason').trim() };
  const errors: Record<string, string> = {};
  if (target.releaseId !== null && !RELEASE_REPORT_KINDS.includes(values.kind as (typeof RELEASE_REPORT_KINDS)[number])) errors.kind = 'Choose what is wrong with the release.';
  if (values.reason.length < 10) errors.reason = 'Say what is wrong (at least 10 characters): the staff need to find it.';
  else if (values.reason.length > MAX_REPORT_REASON) errors.reason = `Keep the reason under ${MAX_REPORT_REASON.toLocaleString('en')} characters.`;
  return { values, errors, kind: (target.releaseId !== null ? values.kind : 'member') as ReportKind };
}

async function submit(request: ReportRequest, reply: FastifyReply) {
  const user = requireUser(request);
  const target = await loadTarget(request, user);
  const form = readForm(request.body as FormBody, target);
  if (Object.keys(form.errors).length > 0) return formPage(request, reply, target, { values: form.values, errors: form.errors, status: 400 });
  const app = request.server;
  try {
    await fileReport({ prisma: app.db.prisma, report: { reporterId: user.id, kind: form.kind, reason: form.values.reason, releaseId: target.releaseId, targetUserId: target.targetUserId }, now: new Date(app.clock.now()) });
  } catch (error) {
    if (error instanceof AppError && error.statusCode === 409) return formPage(request, reply, target, { values: form.values, errors: { reason: request.t(error.message, error.params) }, status: 409 });
    throw error;
  }
  flash(reply, request.t('reports.flash.sent'));
  return reply.redirect(target.url, 303);
}

export async function reportRoutes(app: FastifyInstance): Promise<void> {
  app.get('/report', showForm);
  app.post('/report', { config: { rateLimit: { max: 30, timeWindow: '1 hour' } } }, submit);
}
