// Browse and search. Raw SQL because every choice here is about indexes at 1M releases:
// each sort column has a btree index (created_at, seeders, leechers, snatched, size, name;
// (category_id, created_at) for a category), words in the name use ILIKE, which the
// releases_name_trgm_idx GIN trigram index serves, and the total is a capped count
// (counting a million rows on every page view is what makes trackers slow).
import type { PrismaClient } from '../../generated/prisma/client.js';

export const PAGE_SIZE = 50;
/** counting stops here; the page shows "10,000+" */
export const COUNT_CAP = 10_000;
const MAX_WORDS = 8;
const MAX_WORD_LENGTH = 64;

/** Sort keys members may use, mapped to SQL; anything else falls back to the default. */
export const SORTS = {
  name: 'r.name',
  // category_id, not the name: the (category_id, created_at) index serves it
  category: 'r.category_id',
  size: 'r.size',
  files: 'r.file_count',
  seeders: 'r.seeders',
  leechers: 'r.leechers',
  snatched: 'r.snatched',
  added: 'r.created_at',
  uploader: 'u.username_lower',
} as const;
export type SortKey = keyof typeof SORTS;

export const FREELEECH_FILTERS = ['any', 'freeleech', 'neutral', 'double_upload'] as const;
export type FreeleechFilter = (typeof FREELEECH_FILTERS)[number];

export interface SearchQuery {
  words: string[];
  categoryId: number | null;
  freeleech: FreeleechFilter | null;
  sort: SortKey;
  order: 'asc' | 'desc';
  page: number;
}

export interface ReleaseRow {
  id: number;
  name: string;
  size: bigint;
  fileCount: number;
  seeders: number;
  leechers: number;
  snatched: number;
  createdAt: Date;
  freeleech: 'normal' | 'freeleech' | 'neutral' | 'double_upload';
  categoryId: number;
  categoryName: string;
  uploaderId: number | null;
  uploaderName: string | null;
}

export interface SearchResult {
  rows: ReleaseRow[];
  /** exact up to COUNT_CAP */
  total: number;
  capped: boolean;
  pages: number;
}

const firstString = (value: unknown): string => {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' ? v : '';
};

/** Words of the search box: trimmed, de-duplicated, bounded so a query stays cheap. */
export function splitWords(text: string): string[] {
  const words = text
    .split(/\s+/)
    .map((w) => w.trim().slice(0, MAX_WORD_LENGTH))
    .filter(Boolean);
  return [...new Set(words.map((w) => w.toLowerCase()))].slice(0, MAX_WORDS);
}

function positiveInt(text: string): number | null {
  return /^\d{1,9}$/.test(text) && Number(text) > 0 ? Number(text) : null;
}

/** Turns the query string into a whitelisted search; unknown values are ignored, not errors. */
export function parseSearchQuery(query: Record<string, unknown>): SearchQuery {
  const sortText = firstString(query.sort);
  const sort: SortKey = sortText in SORTS ? (sortText as SortKey) : 'added';
  const orderText = firstString(query.order);
  const order = orderText === 'asc' || orderText === 'desc' ? orderText : sort === 'name' || sort === 'uploader' ? 'asc' : 'desc';
  const fl = firstString(query.freeleech);
  return {
    words: splitWords(firstString(query.q)),
    categoryId: positiveInt(firstString(query.category)),
    freeleech: (FREELEECH_FILTERS as readonly string[]).includes(fl) ? (fl as FreeleechFilter) : null,
    sort,
    order,
    page: Math.min(positiveInt(firstString(query.page)) ?? 1, Math.ceil(COUNT_CAP / PAGE_SIZE)),
  };
}

/** `%` `_` and `\` are LIKE wildcards: a member searching for "100%" means the character. */
export const escapeLike = (word: string): string => word.replace(/[\\%_]/g, (c) => `\\${c}`);

function buildWhere(search: SearchQuery): { sql: string; params: unknown[] } {
  const clauses = ['r.deleted_at IS NULL'];
  const params: unknown[] = [];
  if (search.categoryId !== null) {
    params.push(search.categoryId);
    clauses.push(`r.category_id = $${params.length}`);
  }
  if (search.freeleech === 'any') clauses.push(`r.freeleech <> 'normal'`);
  else if (search.freeleech !== null) {
    params.push(search.freeleech);
    clauses.push(`r.freeleech::text = $${params.length}`);
  }
  for (const word of search.words) {
    params.push(`%${escapeLike(word)}%`);
    clauses.push(`r.name ILIKE $${params.length}`);
  }
  return { sql: clauses.join(' AND '), params };
}

const SELECT_ROWS = `
  SELECT r.id, r.name, r.size, r.file_count AS "fileCount", r.seeders, r.leechers, r.snatched,
         r.created_at AS "createdAt", r.freeleech::text AS freeleech, r.category_id AS "categoryId",
         c.name AS "categoryName", r.uploader_id AS "uploaderId", u.username AS "uploaderName"
  FROM releases r
  JOIN categories c ON c.id = r.category_id
  LEFT JOIN users u ON u.id = r.uploader_id`;

export async function searchReleases(prisma: PrismaClient, search: SearchQuery): Promise<SearchResult> {
  const where = buildWhere(search);
  const dir = search.order === 'asc' ? 'ASC' : 'DESC';
  // The id tie-break keeps paging stable when many rows share a value (0 seeders).
  const orderBy = `${SORTS[search.sort]} ${dir}, r.id ${dir}`;
  const n = where.params.length;
  const rowsSql = `${SELECT_ROWS} WHERE ${where.sql} ORDER BY ${orderBy} LIMIT $${n + 1} OFFSET $${n + 2}`;
  const countSql = `SELECT count(*)::int AS total FROM (SELECT 1 FROM releases r WHERE ${where.sql} LIMIT ${COUNT_CAP + 1}) capped`;
  const rows = await prisma.$queryRawUnsafe<ReleaseRow[]>(rowsSql, ...where.params, PAGE_SIZE, (search.page - 1) * PAGE_SIZE);
  const [{ total: counted }] = await prisma.$queryRawUnsafe<Array<{ total: number }>>(countSql, ...where.params);
  const capped = counted > COUNT_CAP;
  const total = Math.min(counted, COUNT_CAP);
  return { rows: rows.map(normalizeRow), total, capped, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

/** Drivers differ on int8 (BigInt vs string) and numeric types: make them uniform. */
function normalizeRow(row: ReleaseRow): ReleaseRow {
  return {
    ...row,
    id: Number(row.id),
    size: BigInt(row.size),
    fileCount: Number(row.fileCount),
    seeders: Number(row.seeders),
    leechers: Number(row.leechers),
    snatched: Number(row.snatched),
    categoryId: Number(row.categoryId),
    uploaderId: row.uploaderId === null ? null : Number(row.uploaderId),
    createdAt: row.createdAt instanceof Date ? row.createdAt : new Date(row.createdAt),
  };
}
