// /releases/:id/edit: the uploader edits their own release (name, category, Markdown
// description, media ids), staff any. The change goes through the staff's editRelease (logged
// as edit_release, the tracker's catalog synced); staff editing someone else's release give a
// reason, an uploader may.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { checkMediaIds } from '../api/media-ids.js';
import { editRelease, MAX_RELEASE_DESCRIPTION } from '../admin/edit-release.js';
import { MAX_REASON, parseId, text, type FormBody } from '../admin/form.js';
import { listCategories } from '../categories.js';
import { canEditOwnRelease, canSeeDeletedReleases, requireUser } from '../guards.js';
import { rawText } from '../inbox/ticket-form.js';
import { flash, render } from '../render.js';
import { renderMarkdown } from '../rules/markdown.js';
import type { SessionUser } from '../session.js';

type IdRequest = FastifyRequest<{ Params: { id: string } }>;
interface Failed { values: Record<string, string>; errors: Record<string, string>; preview?: string }

async function loadEditable(request: IdRequest, user: SessionUser) {
  const release = await request.server.db.prisma.release.findUnique({
    where: { id: parseId(request.params.id, 'release') },
    select: { id: true, name: true, description: true, categoryId: true, uploaderId: true, deletedAt: true, imdbId: true, tmdbId: true, tvdbId: true },
  });
  if (!release || (release.deletedAt && !canSeeDeletedReleases(user))) throw AppError.notFound('releases.notFound');
  if (!canEditOwnRelease(user, release)) throw AppError.forbidden('releases.editForm.notYours');
  return release;
}

/** The form's problems are catalog keys (media ids, the reason) or texts already translated: each in the reader's language. */
const translated = (request: FastifyRequest, errors: Record<string, string>) => Object.fromEntries(Object.entries(errors).map(([field, text]) => [field, request.t(text)]));

const reasonRequired = (user: SessionUser, release: { uploaderId: number | null }): boolean => release.uploaderId !== user.id;

async function editPage(request: IdRequest, reply: FastifyReply, failed?: Failed) {
  const user = requireUser(request);
  const release = await loadEditable(request, user);
  const values = failed?.values ?? {
    name: release.name, description: release.description, category: String(release.categoryId), reason: '',
    imdbId: release.imdbId ?? '', tmdbId: release.tmdbId === null ? '' : String(release.tmdbId), tvdbId: release.tvdbId === null ? '' : String(release.tvdbId),
  };
  const categories = (await listCategories(request.server.db.prisma)).map((c) => ({ ...c, selected: String(c.id) === values.category }));
  if (failed && Object.keys(failed.errors).length > 0) reply.code(400);
  return render(request, reply, 'pages/releases/edit', {
    title: request.t('releases.editForm.title', { name: release.name }), release, values, categories, errors: translated(request, failed?.errors ?? {}), preview: failed?.preview,
    maxDescription: MAX_RELEASE_DESCRIPTION, reasonRequired: reasonRequired(user, release),
    imagesAllowed: request.server.settings.get('descriptionImages') === 'https',
  });
}

function readEditForm(body: FormBody) {
  const values = {
    name: text(body, 'name'), description: rawText(body, 'description'), category: text(body, 'category'), reason: text(body, 'reason'),
    imdbId: text(body, 'imdbId').slice(0, 64), tmdbId: text(body, 'tmdbId').slice(0, 64), tvdbId: text(body, 'tvdbId').slice(0, 64),
  };
  const media = checkMediaIds(values);
  return { values, media, errors: { ...media.errors } as Record<string, string> };
}

async function save(request: IdRequest, reply: FastifyReply) {
  const user = requireUser(request);
  const release = await loadEditable(request, user);
  const app = request.server;
  const { values, media, errors } = readEditForm(request.body as FormBody);
  const images = app.settings.get('descriptionImages') === 'https';
  if (text(request.body as FormBody, 'preview') === 'yes') return editPage(request, reply, { values, errors: {}, preview: renderMarkdown(values.description, { images, breaks: true }) });
  if (reasonRequired(user, release) && values.reason.length < 3) errors.reason = 'releases.editForm.reasonRequired';
  if (values.reason.length > MAX_REASON) errors.reason = request.t('releases.editForm.reasonTooLong', { max: MAX_REASON });
  if (Object.keys(errors).length > 0) return editPage(request, reply, { values, errors });
  const categoryId = /^\d{1,9}$/.test(values.category) ? Number(values.category) : 0;
  try {
    await editRelease({
      app, actor: user, releaseId: release.id, reason: values.reason || 'edited by the uploader',
      edit: { name: values.name, description: values.description, categoryId, ...media.ids },
    });
  } catch (error) {
    if (error instanceof AppError && error.statusCode === 400) return editPage(request, reply, { values, errors: { [error.field ?? 'name']: request.t(error.message, error.params) } });
    throw error;
  }
  flash(reply, request.t('releases.editForm.saved'));
  return reply.redirect(`/releases/${release.id}`, 303);
}

export async function releaseEditRoutes(app: FastifyInstance): Promise<void> {
  app.get('/releases/:id/edit', (request: IdRequest, reply) => editPage(request, reply));
  app.post('/releases/:id/edit', save);
}
