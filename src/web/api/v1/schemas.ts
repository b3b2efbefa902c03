// JSON schemas of /api/v1: Fastify validates requests with them and serialises replies, and
// @fastify/swagger turns them into the OpenAPI document served at /api/docs.
import { FREELEECH_FILTERS, SORTS } from '../../releases/search-releases.js';
import { PROBLEMS } from '../problem.js';

export const errorSchema = {
  $id: 'ApiError',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: Object.keys(PROBLEMS), description: 'stable machine-readable code' },
        message: { type: 'string', description: 'for people' },
      },
    },
  },
} as const;

const TRAFFIC = ['normal', 'freeleech', 'neutral', 'double_upload'];
const nullable = (type: string, extra: object = {}) => ({ type: [type, 'null'], ...extra });

export const releaseSummarySchema = {
  $id: 'ReleaseSummary',
  type: 'object',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    size: { type: 'integer', description: 'bytes' },
    files: { type: 'integer' },
    seeders: { type: 'integer' },
    leechers: { type: 'integer' },
    snatched: { type: 'integer' },
    addedAt: { type: 'string', format: 'date-time' },
    traffic: { type: 'string', enum: TRAFFIC },
    category: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } },
    uploader: nullable('object', { properties: { id: { type: 'integer' }, username: { type: 'string' } } }),
    url: { type: 'string', description: 'the details page' },
  },
} as const;

export const releaseDetailsSchema = {
  $id: 'ReleaseDetails',
  type: 'object',
  properties: {
    ...releaseSummarySchema.properties,
    description: { type: 'string' },
    pieceLength: { type: 'integer' },
    infoHashV1: nullable('string', { description: 'hex, v1 and hybrid torrents' }),
    infoHashV2: nullable('string', { description: 'hex SHA-256, v2 and hybrid torrents (BEP 52)' }),
    imdbId: nullable('string'),
    tmdbId: nullable('integer'),
    tvdbId: nullable('integer'),
    fileList: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, size: { type: 'integer' } } } },
    downloadUrl: { type: 'string', description: 'GET with the download scope' },
  },
} as const;

export const meSchema = {
  $id: 'Me',
  type: 'object',
  properties: {
    id: { type: 'integer' },
    username: { type: 'string' },
    role: { type: 'string' },
    uploaded: { type: 'integer', description: 'credited bytes' },
    downloaded: { type: 'integer', description: 'credited bytes' },
    uploadedActual: { type: 'integer' },
    downloadedActual: { type: 'integer' },
    ratio: nullable('number', { description: 'null while nothing is downloaded' }),
    requiredRatio: { type: 'number' },
    canDownload: { type: 'boolean' },
    watchDeadline: nullable('string', { format: 'date-time' }),
    bonusPoints: { type: 'number' },
    seeding: { type: 'integer' },
    leeching: { type: 'integer' },
    snatched: { type: 'integer' },
    uploads: { type: 'integer' },
    activeHitAndRuns: { type: 'integer' },
  },
} as const;

const ref = (id: string) => ({ $ref: `${id}#` });
const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, ref('ApiError')]));
const security = [{ bearerToken: [] }];

export const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,8}$' } } } as const;

export const browseQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    q: { type: 'string', maxLength: 256, pattern: '^[^\\u0000-\\u001f]*$', description: 'words that must all appear in the name' },
    category: { type: 'integer', minimum: 1, maximum: 999999999 },
    freeleech: { type: 'string', enum: [...FREELEECH_FILTERS] },
    sort: { type: 'string', enum: Object.keys(SORTS), default: 'added' },
    order: { type: 'string', enum: ['asc', 'desc'] },
    page: { type: 'integer', minimum: 1, maximum: 200, default: 1 },
  },
} as const;

export const routeSchemas = {
  me: { tags: ['member'], summary: 'Your account and its stats', security, response: { 200: ref('Me'), ...errors(401, 403, 429) } },
  browse: {
    tags: ['releases'], summary: 'Search and browse releases (the browse page\'s filters, 50 a page)', security, querystring: browseQuery,
    response: {
      200: { type: 'object', properties: { page: { type: 'integer' }, pages: { type: 'integer' }, total: { type: 'integer' }, totalIsLowerBound: { type: 'boolean' }, releases: { type: 'array', items: ref('ReleaseSummary') } } },
      ...errors(400, 401, 403, 429),
    },
  },
  details: { tags: ['releases'], summary: 'One release', security, params: idParams, response: { 200: ref('ReleaseDetails'), ...errors(401, 403, 404, 429) } },
  download: {
    tags: ['releases'], summary: 'The .torrent with your passkey (download scope)', security, params: idParams,
    produces: ['application/x-bittorrent'],
    response: { 200: { description: 'the .torrent file', type: 'string', format: 'binary' }, ...errors(401, 403, 404, 429) },
  },
  upload: {
    tags: ['releases'], summary: 'Upload a .torrent (upload scope); the same checks as the upload form', security,
    consumes: ['multipart/form-data'],
    body: {
      type: 'object',
      required: ['torrent', 'category'],
      properties: {
        torrent: { type: 'string', format: 'binary', description: 'the .torrent file (its file name must end in .torrent)' },
        category: { type: 'integer', description: 'a category id (GET /api/v1/categories)' },
        name: { type: 'string', maxLength: 255 },
        description: { type: 'string', maxLength: 20000 },
        imdbId: { type: 'string', description: 'e.g. tt0111161' },
        tmdbId: { type: 'integer' },
        tvdbId: { type: 'integer' },
      },
    },
    response: {
      201: { type: 'object', properties: { id: { type: 'integer' }, url: { type: 'string' }, downloadUrl: { type: 'string' }, infoHashV1: nullable('string'), infoHashV2: nullable('string') } },
      ...errors(400, 401, 403, 409, 413, 415, 429),
    },
  },
  categories: {
    tags: ['releases'], summary: 'Release categories', security,
    response: { 200: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' }, slug: { type: 'string' } } } }, ...errors(401, 403, 429) },
  },
};
