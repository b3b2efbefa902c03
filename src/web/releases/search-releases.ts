// Browse and search. Raw SQL because every choice here is about indexes at 1M releases
// (prisma/migrations/20261201120000_*): each sort has a btree index ending in id, the
// tie-break, so a page reads its 50 index entries instead of sorting every row that shares a
// value; words match the stored lower-case name with LIKE, which the releases_name_lower_trgm_idx
// GIN trigram index serves and which is much cheaper per row than ILIKE; the page's rows are
// chosen by id before the joins, so a deep page skips ids instead of joined rows; and the
// total is counted only a few pages ahead of the current one (counting a million rows on
// every page view is what makes trackers slow), beside the rows query. They go through the
// SQL driver, not prisma.$queryRawUnsafe, whose per-query overhead is larger than the query's.
import type { SqlDriver } from '../../db/driver.js';

export const PAGE_SIZE = 50;
/** the deepest result paging reaches (page 200); OFFSET costs grow with the depth */
export const COUNT_CAP = 10_000;
/**
 * Counting stops this many pages past the current one ("Showing 1–50 of 150+"), the pages
 * the pager links: a common word can match a large share of all names, and counting every
 * match would cost more than the page itself.
 */
export const COUNT_PAGES_AHEAD = 2;
const MAX_WORDS = 8;
const MAX_WORD_LENGTH = 64;

/** Sort keys members may use, mapped to SQL columns; anything else falls back to the default. */
export const SORTS = {
  name: ['r.name'],
  // category_id, not the name, then the newest: the (category_id, created_at, id) index serves it
  category: ['r.category_id', 'r.created_at'],
  size: ['r.size'],
  files: ['r.file_count'],
  seeders: ['r.seeders'],
  leechers: ['r.leechers'],
  snatched: ['r.snatched'],
  added: ['r.created_at'],
  // no index can serve this one (the name is in users): it sorts every matching row
  uploader: ['u.username_lower'],
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
  /** exact up to countLimit(page); when capped, there are more than this */
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
  // control characters (NUL above all, which PostgreSQL text cannot hold) separate words
  const words = text
    .replace(/\p{Cc}/gu, ' ')
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
  // own keys only: `constructor` or `__proto__` are `in` every object
  const sort: SortKey = Object.hasOwn(SORTS, sortText) ? (sortText as SortKey) : 'added';
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
  // `<> 'normal'` for every mode too: it lets the planner use the partial index of bonus
  // releases (releases_bonus_created_at_id_idx)
  if (search.freeleech !== null) clauses.push(`r.freeleech <> 'normal'`);
  if (search.freeleech !== null && search.freeleech !== 'any') {
    params.push(search.freeleech);
    clauses.push(`r.freeleech = $${params.length}::freeleech_mode`);
  }
  for (const word of search.words) {
    // lower() in SQL too, so the word is folded exactly as the name was (it runs once: the
    // planner folds it for the given value)
    params.push(`%${escapeLike(word)}%`);
    clauses.push(`r.name_lower LIKE lower($${params.length})`);
  }
  return { sql: clauses.join(' AND '), params };
}

function orderBy(search: SearchQuery): string {
  const dir = search.order === 'asc' ? 'ASC' : 'DESC';
  // The id tie-break keeps paging stable when many rows share a value (0 seeders).
  return [...SORTS[search.sort], 'r.id'].map((column) => `${column} ${dir}`).join(', ');
}

// created_at is a UTC timestamp without a zone: AT TIME ZONE 'UTC' hands the driver a
// timestamptz, which it reads the same whatever the process's time zone is.
const ROW_COLUMNS = `
  r.id, r.name, r.size, r.file_count AS "fileCount", r.seeders, r.leechers, r.snatched,
  r.created_at AT TIME ZONE 'UTC' AS "createdAt", r.freeleech::text AS freeleech, r.category_id AS "categoryId",
  c.name AS "categoryName", r.uploader_id AS "uploaderId", u.username AS "uploaderName"`;

/**
 * The page's ids come first, from the sort index alone; only those 50 rows are joined to
 * their category and uploader, and sorted again (cheaply) for the outer query.
 */
function rowsQuery(search: SearchQuery, where: { sql: string; params: unknown[] }): string {
  const n = where.params.length;
  const order = orderBy(search);
  const uploaderJoin = search.sort === 'uploader' ? 'LEFT JOIN users u ON u.id = r.uploader_id' : '';
  return `
    SELECT ${ROW_COLUMNS}
    FROM (SELECT r.id FROM releases r ${uploaderJoin} WHERE ${where.sql} ORDER BY ${order} LIMIT $${n + 1} OFFSET $${n + 2}) page
    JOIN releases r ON r.id = page.id
    JOIN categories c ON c.id = r.category_id
    LEFT JOIN users u ON u.id = r.uploader_id
    ORDER BY ${order}`;
}

/** How many matches a page counts: through COUNT_PAGES_AHEAD more pages, never past COUNT_CAP. */
export const countLimit = (page: number): number => Math.min(COUNT_CAP, (page + COUNT_PAGES_AHEAD) * PAGE_SIZE);

/**
 * Counts at most limit + 1 matches. Ordered like the default browse so that the planner
 * weighs walking the (created_at, id) index until enough rows matched against reading every
 * match through the trigram index, which for common words reads long posting lists however
 * few rows are wanted.
 */
function countQuery(where: { sql: string }, limit: number): string {
  return `SELECT count(*)::int AS total FROM (SELECT 1 FROM releases r WHERE ${where.sql}
    ORDER BY r.created_at DESC, r.id DESC LIMIT ${limit + 1}) counted`;
}

export async function searchReleases(sql: SqlDriver, search: SearchQuery): Promise<SearchResult> {
  const where = buildWhere(search);
  const limit = countLimit(search.page);
  const [rows, [{ total: counted }]] = await Promise.all([
    sql.query<ReleaseRow>(rowsQuery(search, where), [...where.params, PAGE_SIZE, (search.page - 1) * PAGE_SIZE]),
    sql.query<{ total: number }>(countQuery(where, limit), where.params),
  ]);
  const capped = counted > limit;
  const total = Math.min(counted, limit);
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
