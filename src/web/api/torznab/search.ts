// The releases a Torznab search returns, newest first: the browse page's word match (the
// lower-cased name with LIKE, served by the trigram index) plus the category list and the
// media ids, paged by limit/offset. Raw SQL through the SQL driver, as browse does.
import type { SqlDriver } from '../../../db/driver.js';
import { escapeLike } from '../../releases/search-releases.js';

export interface TorznabFilter {
  words: string[];
  /** our category ids; null: every category; []: none matched the request */
  categoryIds: number[] | null;
  imdbId: string | null;
  tmdbId: number | null;
  tvdbId: number | null;
  limit: number;
  offset: number;
}

export interface TorznabRow {
  id: number;
  name: string;
  size: bigint;
  fileCount: number;
  snatched: number;
  createdAt: Date;
  freeleech: 'normal' | 'freeleech' | 'neutral' | 'double_upload';
  categoryId: number;
  categorySlug: string;
  infoHashV1: Uint8Array | null;
  imdbId: string | null;
  tmdbId: number | null;
  tvdbId: number | null;
}

function buildWhere(filter: TorznabFilter): { sql: string; params: unknown[] } {
  const clauses = ['r.deleted_at IS NULL'];
  const params: unknown[] = [];
  const add = (clause: (n: string) => string, value: unknown) => {
    params.push(value);
    clauses.push(clause(`$${params.length}`));
  };
  if (filter.categoryIds !== null) {
    const list = filter.categoryIds.map((id) => {
      params.push(id);
      return `$${params.length}`;
    });
    clauses.push(list.length > 0 ? `r.category_id IN (${list.join(', ')})` : 'false');
  }
  if (filter.imdbId !== null) add((n) => `r.imdb_id = ${n}`, filter.imdbId);
  if (filter.tmdbId !== null) add((n) => `r.tmdb_id = ${n}`, filter.tmdbId);
  if (filter.tvdbId !== null) add((n) => `r.tvdb_id = ${n}`, filter.tvdbId);
  for (const word of filter.words) add((n) => `r.name_lower LIKE lower(${n})`, `%${escapeLike(word)}%`);
  return { sql: clauses.join(' AND '), params };
}

export async function searchTorznab(sql: SqlDriver, filter: TorznabFilter): Promise<TorznabRow[]> {
  const where = buildWhere(filter);
  const n = where.params.length;
  const rows = await sql.query<TorznabRow>(
    `SELECT r.id, r.name, r.size, r.file_count AS "fileCount", r.snatched, r.created_at AT TIME ZONE 'UTC' AS "createdAt",
            r.freeleech::text AS freeleech, r.category_id AS "categoryId", c.slug AS "categorySlug",
            r.info_hash_v1 AS "infoHashV1", r.imdb_id AS "imdbId", r.tmdb_id AS "tmdbId", r.tvdb_id AS "tvdbId"
     FROM releases r JOIN categories c ON c.id = r.category_id
     WHERE ${where.sql}
     ORDER BY r.created_at DESC, r.id DESC
     LIMIT $${n + 1} OFFSET $${n + 2}`,
    [...where.params, filter.limit, filter.offset],
  );
  return rows.map((row) => ({
    ...row,
    id: Number(row.id),
    size: BigInt(row.size),
    fileCount: Number(row.fileCount),
    snatched: Number(row.snatched),
    categoryId: Number(row.categoryId),
    createdAt: row.createdAt instanceof Date ? row.createdAt : new Date(row.createdAt),
    infoHashV1: row.infoHashV1 === null ? null : new Uint8Array(row.infoHashV1),
    tmdbId: row.tmdbId === null ? null : Number(row.tmdbId),
    tvdbId: row.tvdbId === null ? null : Number(row.tvdbId),
  }));
}
