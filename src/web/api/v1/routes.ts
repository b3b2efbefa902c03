// The JSON API, /api/v1, for scripts and seedbox tools: `Authorization: Bearer <token>`.
// Browse and details are the pages' own queries, the download is the web download's rules
// (serve-download.ts), the upload is the upload form's validation and createRelease. Errors
// are `{ error: { code, message } }` with the codes of ../problem.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { translator } from '../../../i18n/index.js';
import { TorrentError } from '../../../torrents/index.js';
import { listCategories } from '../../categories.js';
import { canSeeDeletedReleases } from '../../guards.js';
import { contentDisposition } from '../../releases/build-download.js';
import { createRelease, DuplicateReleaseError } from '../../releases/create-release.js';
import { findReleaseDetails, listReleaseFiles } from '../../releases/queries.js';
import { parseSearchQuery, searchReleases, type ReleaseRow } from '../../releases/search-releases.js';
import { readForm, validateForm } from '../../upload/routes.js';
import { ratioOf } from '../../view-helpers.js';
import { authenticate } from '../auth.js';
import { uploadRefusal } from '../../upload/upload-right.js';
import { ApiProblem } from '../problem.js';
import { serveDownload } from '../serve-download.js';
import { findMediaIds, findMemberStats } from './queries.js';
import { errorSchema, meSchema, releaseDetailsSchema, releaseSummarySchema, routeSchemas } from './schemas.js';

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

const hex = (bytes: Uint8Array | Buffer | null): string | null => (bytes ? Buffer.from(bytes).toString('hex') : null);

function summary(baseUrl: string, row: ReleaseRow) {
  return {
    id: row.id, name: row.name, size: Number(row.size), files: row.fileCount,
    seeders: row.seeders, leechers: row.leechers, snatched: row.snatched,
    addedAt: row.createdAt.toISOString(), traffic: row.freeleech,
    category: { id: row.categoryId, name: row.categoryName },
    uploader: row.uploaderId === null || row.uploaderName === null ? null : { id: row.uploaderId, username: row.uploaderName },
    url: `${baseUrl}/releases/${row.id}`,
  };
}

async function me(request: FastifyRequest) {
  const member = await authenticate(request, 'read');
  const { user, seeding, leeching, snatched, uploads, hitAndRuns } = await findMemberStats(request.server.db.prisma, member.id);
  return {
    id: user.id, username: user.username, role: user.role,
    uploaded: Number(user.uploaded), downloaded: Number(user.downloaded),
    uploadedActual: Number(user.uploadedActual), downloadedActual: Number(user.downloadedActual),
    ratio: ratioOf(user.uploaded, user.downloaded), requiredRatio: user.requiredRatio, canDownload: user.canLeech,
    watchDeadline: user.watchDeadline?.toISOString() ?? null, bonusPoints: user.bonusPoints,
    seeding, leeching, snatched, uploads, activeHitAndRuns: hitAndRuns,
  };
}

async function browse(request: FastifyRequest) {
  await authenticate(request, 'read');
  const app = request.server;
  const search = parseSearchQuery(Object.fromEntries(Object.entries(request.query as object).map(([k, v]) => [k, String(v)])));
  const result = await searchReleases(app.db.sql, search);
  return { page: search.page, pages: result.pages, total: result.total, totalIsLowerBound: result.capped, releases: result.rows.map((row) => summary(app.config.baseUrl, row)) };
}

async function details(request: IdRequest) {
  const member = await authenticate(request, 'read');
  const app = request.server;
  const id = Number(request.params.id);
  const release = await findReleaseDetails(app.db.sql, id);
  if (!release || (release.deletedAt && !canSeeDeletedReleases(member))) throw new ApiProblem('not_found', 'There is no release with that number.');
  const [files, ids] = await Promise.all([listReleaseFiles(app.db.prisma, id), findMediaIds(app.db.prisma, id)]);
  const live = await app.tracker.liveCounts(id);
  const base = app.config.baseUrl;
  return {
    id, name: release.name, size: Number(release.size), files: release.fileCount, ...live, snatched: release.snatched,
    addedAt: release.createdAt.toISOString(), traffic: release.freeleech, category: release.category, uploader: release.uploader,
    url: `${base}/releases/${id}`, description: release.description, pieceLength: release.pieceLength,
    infoHashV1: hex(release.infoHashV1), infoHashV2: hex(release.infoHashV2),
    imdbId: ids?.imdbId ?? null, tmdbId: ids?.tmdbId ?? null, tvdbId: ids?.tvdbId ?? null,
    fileList: files.map((f) => ({ path: f.path, size: Number(f.size) })),
    downloadUrl: `${base}/api/v1/releases/${id}/torrent`,
  };
}

async function download(request: IdRequest, reply: FastifyReply) {
  const member = await authenticate(request, 'download');
  const file = await serveDownload(request.server, member, Number(request.params.id));
  return reply
    .header('Content-Type', 'application/x-bittorrent')
    .header('Content-Disposition', contentDisposition(file.filename))
    .header('Cache-Control', 'private, no-store')
    .send(file.body);
}

/** Upload: the form's multipart fields, its checks (validateForm) and createRelease. */
async function upload(request: FastifyRequest, reply: FastifyReply) {
  const member = await authenticate(request, 'upload');
  const refusal = await uploadRefusal(request.server, member.id);
  // the API answers in English (docs/i18n.md)
  if (refusal) throw new ApiProblem('insufficient_scope', translator('en')(refusal.key, refusal.params));
  if (!request.isMultipart()) throw new ApiProblem('unsupported_media_type', 'Send the upload as multipart/form-data (fields: torrent, category, name, description, imdbId, tmdbId, tvdbId).');
  const app = request.server;
  const form = await readForm(request);
  const errors = Object.entries(await validateForm(request, form));
  if (errors.length > 0) throw new ApiProblem('invalid_parameter', errors.map(([field, message]) => `${field}: ${message}`).join(' '), errors[0][0]);
  try {
    const { id, parsed } = await createRelease({
      prisma: app.db.prisma, tracker: app.tracker, uploaderId: member.id, categoryId: Number(form.category),
      torrent: form.file!.data, description: form.description, name: form.name, mediaIds: form.mediaIds,
      source: app.settings.get('sourceTag'), maxBytes: app.config.maxTorrentBytes, now: new Date(app.clock.now()),
    });
    const base = app.config.baseUrl;
    return reply.code(201).send({ id, url: `${base}/releases/${id}`, downloadUrl: `${base}/api/v1/releases/${id}/torrent`, infoHashV1: hex(parsed.infoHashV1), infoHashV2: hex(parsed.infoHashV2) });
  } catch (error) {
    if (error instanceof DuplicateReleaseError) throw new ApiProblem('duplicate', `Already uploaded as release ${error.existingId}: ${error.existingName}`, 'torrent');
    if (error instanceof TorrentError) throw new ApiProblem('invalid_torrent', error.message, 'torrent');
    throw error;
  }
}

async function categories(request: FastifyRequest) {
  await authenticate(request, 'read');
  return listCategories(request.server.db.prisma);
}

export async function v1Routes(app: FastifyInstance): Promise<void> {
  for (const schema of [errorSchema, releaseSummarySchema, releaseDetailsSchema, meSchema]) app.addSchema(schema);
  app.get('/v1/me', { schema: routeSchemas.me }, me);
  app.get('/v1/categories', { schema: routeSchemas.categories }, categories);
  app.get('/v1/releases', { schema: routeSchemas.browse }, browse);
  app.get('/v1/releases/:id', { schema: routeSchemas.details }, details);
  app.get('/v1/releases/:id/torrent', { schema: routeSchemas.download }, download);
  // the body schema documents the form for OpenAPI; the fields are checked by validateForm
  app.post('/v1/releases', { schema: routeSchemas.upload, attachValidation: true }, upload);
}
