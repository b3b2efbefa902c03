// GET/POST /upload: the multipart form (torrent file, category, Markdown description, optional
// name, media ids and .nfo).
// Every problem is shown beside its field; torrent problems come from parseTorrent's
// TorrentError messages, written for the uploader.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { nameIssue, TorrentError } from '../../torrents/index.js';
import { findCategory, listCategories } from '../categories.js';
import { requireUser } from '../guards.js';
import { flash, render } from '../render.js';
import { translatorOf } from '../locale.js';
import { loadSessionUser } from '../session.js';
import { formatBytes, formatNumber } from '../view-helpers.js';
import { createRelease, DuplicateReleaseError } from '../releases/create-release.js';
import { checkMediaIds, NO_MEDIA_IDS, type MediaIds } from '../api/media-ids.js';
import { uploadRefusal } from './upload-right.js';
import { MAX_NFO_BYTES, readNfo } from '../releases/nfo.js';

export const MAX_DESCRIPTION_CHARS = 20_000;
export const MAX_NAME_CHARS = 255;

type Field = 'torrent' | 'category' | 'description' | 'name' | 'imdbId' | 'tmdbId' | 'tvdbId' | 'nfo';
export type FieldErrors = Partial<Record<Field, string>>;

/** The upload form's fields; the JSON API's upload (src/web/api/v1) reads the same multipart. */
export interface UploadForm {
  file: { filename: string; data: Buffer } | null;
  category: string;
  description: string;
  name: string;
  imdbId: string;
  tmdbId: string;
  tvdbId: string;
  /** the checked ids, once validateForm found them valid */
  mediaIds: MediaIds;
  /** the optional .nfo as sent, and its text once validateForm read it (src/web/releases/nfo.ts) */
  nfo: { filename: string; data: Buffer } | null;
  nfoText: string | null;
}

interface FilePart {
  filename?: string;
  toBuffer(): Promise<Buffer>;
}

function textField(body: Record<string, unknown>, name: string): string {
  const field = body[name] as string | { value?: unknown } | undefined;
  const value = typeof field === 'string' ? field : field?.value;
  return typeof value === 'string' ? value : '';
}

async function readFile(part: unknown): Promise<UploadForm['file']> {
  const file = part as FilePart | undefined;
  if (!file || typeof file !== 'object' || typeof file.toBuffer !== 'function') return null;
  const data = await file.toBuffer();
  // A browser sends an empty, nameless part when no file was chosen.
  return data.length > 0 || file.filename ? { filename: file.filename ?? '', data } : null;
}

export async function readForm(request: FastifyRequest): Promise<UploadForm> {
  const body = (request.body ?? {}) as Record<string, unknown>;
  return {
    file: await readFile(body.torrent),
    nfo: await readFile(body.nfo),
    nfoText: null,
    category: textField(body, 'category'),
    description: textField(body, 'description').replace(/\r\n/g, '\n'),
    name: textField(body, 'name').trim(),
    imdbId: textField(body, 'imdbId').slice(0, 64),
    tmdbId: textField(body, 'tmdbId').slice(0, 64),
    tvdbId: textField(body, 'tvdbId').slice(0, 64),
    mediaIds: NO_MEDIA_IDS,
  };
}

function validateMediaIds(request: FastifyRequest, form: UploadForm, errors: FieldErrors): void {
  const checked = checkMediaIds(form);
  form.mediaIds = checked.ids;
  for (const [field, key] of Object.entries(checked.errors)) errors[field as Field] = translatorOf(request)(key);
}

export async function validateForm(request: FastifyRequest, form: UploadForm): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  const t = translatorOf(request);
  if (!form.file) errors.torrent = t('upload.noFile');
  else if (!/\.torrent$/i.test(form.file.filename)) errors.torrent = t('upload.notTorrent');
  else if (form.file.data.length === 0) errors.torrent = t('upload.empty');
  const categoryId = /^\d{1,9}$/.test(form.category) ? Number(form.category) : 0;
  if (!categoryId) errors.category = t('upload.noCategory');
  else if (!(await findCategory(request.server.db.prisma, categoryId))) errors.category = t('upload.unknownCategory');
  if (form.description.length > MAX_DESCRIPTION_CHARS) {
    errors.description = t('upload.descriptionTooLong', { length: formatNumber(form.description.length, request.locale), max: formatNumber(MAX_DESCRIPTION_CHARS, request.locale) });
  }
  const issue = nameIssue(form.name);
  if (form.name.length > MAX_NAME_CHARS) errors.name = t('upload.nameTooLong', { max: MAX_NAME_CHARS });
  else if (issue) errors.name = t(`upload.nameIssues.${issue.issue}`, { detail: issue.detail });
  validateMediaIds(request, form, errors);
  if (form.nfo) {
    const nfo = readNfo(form.nfo);
    if ('problem' in nfo) errors.nfo = t(nfo.problem, nfo.params);
    else form.nfoText = nfo.text;
  }
  return errors;
}

async function showForm(request: FastifyRequest, reply: FastifyReply, form?: Partial<UploadForm>, errors: FieldErrors = {}, duplicate?: DuplicateReleaseError) {
  const categories = await listCategories(request.server.db.prisma);
  return render(request, reply, 'pages/releases/upload', {
    title: request.t('upload.navTitle'),
    categories: categories.map((c) => ({ ...c, selected: String(c.id) === form?.category })),
    values: { description: form?.description ?? '', name: form?.name ?? '', imdbId: form?.imdbId ?? '', tmdbId: form?.tmdbId ?? '', tvdbId: form?.tvdbId ?? '' },
    errors,
    hasErrors: Object.keys(errors).length > 0,
    duplicate: duplicate ? { id: duplicate.existingId, name: duplicate.existingName } : null,
    maxDescription: MAX_DESCRIPTION_CHARS,
    maxNfoKiB: MAX_NFO_BYTES / 1024,
    imagesAllowed: request.server.settings.get('descriptionImages') === 'https',
    siteName: request.server.settings.get('siteName'),
  });
}

async function submit(request: FastifyRequest, reply: FastifyReply) {
  const user = requireUser(request);
  const app = request.server;
  const refusal = await uploadRefusal(app, user.id);
  if (refusal) throw AppError.forbidden(refusal.key, refusal.params);
  const form = await readForm(request);
  const errors = await validateForm(request, form);
  if (Object.keys(errors).length > 0) return showForm(request, reply.code(400), form, errors);
  try {
    const { id } = await createRelease({
      prisma: app.db.prisma,
      tracker: app.tracker,
      uploaderId: user.id,
      categoryId: Number(form.category),
      torrent: form.file!.data,
      description: form.description,
      name: form.name,
      mediaIds: form.mediaIds,
      nfo: form.nfoText,
      source: app.settings.get('sourceTag'),
      maxBytes: app.config.maxTorrentBytes,
      now: new Date(app.clock.now()),
    });
    flash(reply, request.t('upload.uploaded'));
    return reply.redirect(`/releases/${id}`, 303);
  } catch (error) {
    if (error instanceof DuplicateReleaseError) return showForm(request, reply.code(409), form, { torrent: request.t('upload.duplicate') }, error);
    if (error instanceof TorrentError) return showForm(request, reply.code(400), form, { torrent: request.t('upload.badTorrent', { detail: error.message }) });
    throw error;
  }
}

/**
 * A file over the multipart limit fails while the body is read, before the session is
 * loaded: load it here so the form can say so beside the file input instead of a bare 413.
 */
async function handleUploadError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.code !== 'FST_REQ_FILE_TOO_LARGE') throw error;
  const app = request.server;
  request.user ??= await loadSessionUser(app.db.prisma, request, app.clock.now());
  requireUser(request);
  const limit = formatBytes(app.config.maxTorrentBytes, request.locale);
  return showForm(request, reply.code(413), {}, { torrent: request.t('upload.tooLarge', { limit }) });
}

export async function uploadRoutes(app: FastifyInstance): Promise<void> {
  app.get('/upload', async (request, reply) => {
    const refusal = await uploadRefusal(app, requireUser(request).id);
    if (refusal) throw AppError.forbidden(refusal.key, refusal.params);
    return showForm(request, reply);
  });
  app.post('/upload', {
    config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
    errorHandler: handleUploadError,
    handler: submit,
  });
}
