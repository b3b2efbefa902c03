// Staff: the releases table with bulk traffic rules and the timed site-wide freeleech
// (/admin/releases), and one release's edit page with delete (/admin/releases/:id).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { listCategories } from '../categories.js';
import { readMediaIds } from '../api/media-ids.js';
import { canDeleteRelease, canEditRelease, canSetFreeleech, canSetSiteFreeleech } from '../guards.js';
import { flash, render } from '../render.js';
import { formatDate } from '../view-helpers.js';
import { deleteRelease } from './delete-release.js';
import { editRelease } from './edit-release.js';
import { list, parseId, parseWholeNumber, requireReason, text, type FormBody } from './form.js';
import { findReleaseForStaff, listReleasesForStaff, RELEASES_PAGE_SIZE } from './queries.js';
import { FREELEECH_MODES, setReleaseFreeleech } from './set-release-freeleech.js';
import { setSiteFreeleech } from './set-site-freeleech.js';
import { requireAllowed, requireStaff } from './staff-guard.js';
import { modeLabel } from './labels.js';
import type { Translate } from '../../i18n/index.js';

const modes = (t: Translate, current?: string) => FREELEECH_MODES.map((m) => ({ value: m, label: modeLabel(t, m), selected: m === current }));

type Failure = { field?: string; message: string; body: FormBody };

async function releasesPage(request: FastifyRequest, reply: FastifyReply, failed?: Failure) {
  const user = requireStaff(request);
  const raw = request.query as Record<string, string | undefined>;
  const q = (raw.q ?? '').trim().slice(0, 100);
  const deleted = raw.deleted === '1';
  const page = /^\d{1,6}$/.test(raw.page ?? '') ? Math.max(1, Number(raw.page)) : 1;
  const app = request.server;
  const { total, rows } = await listReleasesForStaff(app.db.prisma, { q, deleted, page });
  const until = app.settings.get('siteFreeleechUntil');
  const pages = Math.max(1, Math.ceil(total / RELEASES_PAGE_SIZE));
  const url = (p: number) => `/admin/releases?${new URLSearchParams({ ...(q ? { q } : {}), ...(deleted ? { deleted: '1' } : {}), page: String(p) })}`;
  if (failed) reply.code(400);
  return render(request, reply, 'pages/admin/releases', {
    title: request.t('admin.releases.pageTitle'),
    rows, total, q, deleted, page, pages,
    prev: page > 1 ? url(page - 1) : null,
    next: page < pages ? url(page + 1) : null,
    modes: modes(request.t),
    siteFreeleechUntil: until && until.getTime() > app.clock.now() ? until : null,
    canSiteFreeleech: canSetSiteFreeleech(user),
    errors: failed ? { [failed.field ?? 'bulk-reason']: failed.message } : {},
    values: failed?.body ?? {},
  });
}

/** Runs a form action; a 400 shows the page again with the message beside its field. */
async function withForm(request: FastifyRequest, reply: FastifyReply, action: (body: FormBody) => Promise<string>, again: (f: Failure) => Promise<unknown>, to: string) {
  const body = (request.body ?? {}) as FormBody;
  try {
    flash(reply, await action(body));
    return reply.redirect(to, 303);
  } catch (error) {
    if (error instanceof AppError && error.statusCode === 400) return again({ field: error.field, message: request.t(error.message, error.params), body: { ...body, _csrf: undefined } });
    throw error;
  }
}

async function bulkFreeleech(request: FastifyRequest, reply: FastifyReply) {
  const actor = requireStaff(request);
  requireAllowed(canSetFreeleech(actor));
  return withForm(request, reply, async (body) => {
    const ids = list(body, 'ids').filter((id) => /^\d{1,9}$/.test(id)).map(Number);
    const reason = requireReason(body, 'bulk-reason');
    const n = await setReleaseFreeleech({ app: request.server, actor, releaseIds: ids, mode: text(body, 'mode'), reason });
    return request.t('admin.releases.bulk.done', { count: n });
  }, (f) => releasesPage(request, reply, { ...f, field: f.field === 'ids' || f.field === 'mode' ? 'bulk-reason' : f.field }), '/admin/releases');
}

async function siteFreeleech(request: FastifyRequest, reply: FastifyReply) {
  const actor = requireStaff(request);
  requireAllowed(canSetSiteFreeleech(actor), 'admin.errors.adminsSiteFreeleech');
  return withForm(request, reply, async (body) => {
    const hours = parseWholeNumber(text(body, 'site-hours'), 'site-hours', 0, 24 * 31);
    const until = await setSiteFreeleech({ app: request.server, actor, hours, reason: requireReason(body, 'site-reason') });
    return until ? request.t('admin.releases.site.doneUntil', { date: formatDate(until, request.locale) }) : request.t('admin.releases.site.ended');
  }, (f) => releasesPage(request, reply, f), '/admin/releases');
}

async function releaseEditPage(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, failed?: Failure) {
  requireStaff(request);
  const prisma = request.server.db.prisma;
  const release = await findReleaseForStaff(prisma, parseId(request.params.id, 'release'));
  if (!release) throw AppError.notFound('admin.notFound.release');
  const values = failed?.body ?? {
    name: release.name, description: release.description, category: String(release.categoryId),
    imdbId: release.imdbId ?? '', tmdbId: release.tmdbId === null ? '' : String(release.tmdbId), tvdbId: release.tvdbId === null ? '' : String(release.tvdbId),
  };
  const categories = (await listCategories(prisma)).map((c) => ({ ...c, selected: String(c.id) === String(values.category) }));
  if (failed) reply.code(400);
  return render(request, reply, 'pages/admin/release', {
    title: request.t('admin.release.pageTitle', { name: release.name }),
    release, categories, values,
    modes: modes(request.t, release.freeleech),
    errors: failed ? { [failed.field ?? 'edit-reason']: failed.message } : {},
  });
}

async function releaseEdit(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) {
  const actor = requireStaff(request);
  requireAllowed(canEditRelease(actor));
  const releaseId = parseId(request.params.id, 'release');
  return withForm(request, reply, async (body) => {
    const reason = requireReason(body, 'edit-reason');
    const mediaIds = readMediaIds({ imdbId: text(body, 'imdbId'), tmdbId: text(body, 'tmdbId'), tvdbId: text(body, 'tvdbId') });
    const category = text(body, 'category');
    // a whole id the database column holds, else "Choose a category" (1e308 or 1.5 were a 500)
    const categoryId = /^\d{1,9}$/.test(category) ? Number(category) : 0;
    const edit = { name: text(body, 'name'), description: String(body.description ?? '').replace(/\r\n/g, '\n'), categoryId, ...mediaIds };
    await editRelease({ app: request.server, actor, releaseId, edit, reason });
    const mode = text(body, 'mode');
    const release = await findReleaseForStaff(request.server.db.prisma, releaseId);
    if (mode && release && mode !== release.freeleech) await setReleaseFreeleech({ app: request.server, actor, releaseIds: [releaseId], mode, reason });
    return request.t('admin.release.saved');
  }, (f) => releaseEditPage(request, reply, f), `/admin/releases/${releaseId}`);
}

async function releaseDelete(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) {
  const actor = requireStaff(request);
  requireAllowed(canDeleteRelease(actor));
  const releaseId = parseId(request.params.id, 'release');
  return withForm(request, reply, async (body) => {
    await deleteRelease({ app: request.server, actor, releaseId, reason: requireReason(body, 'delete-reason') });
    return request.t('admin.release.deletedDone');
  }, (f) => releaseEditPage(request, reply, { ...f, body: {} }), '/admin/releases');
}

export async function releaseAdminRoutes(app: FastifyInstance): Promise<void> {
  app.get('/admin/releases', (request, reply) => releasesPage(request, reply));
  app.post('/admin/releases/freeleech', bulkFreeleech);
  app.post('/admin/site-freeleech', siteFreeleech);
  app.get('/admin/releases/:id', (request: FastifyRequest<{ Params: { id: string } }>, reply) => releaseEditPage(request, reply));
  app.post('/admin/releases/:id', releaseEdit);
  app.post('/admin/releases/:id/delete', releaseDelete);
}
