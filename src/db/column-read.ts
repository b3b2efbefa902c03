// Reading many rows at once: a start loads every member, release and peer row (a million of
// fourteen columns at scale). PGlite hands a result to JavaScript one field at a time, tens of
// microseconds a row, so a million peers took minutes to read; here each page of rows comes
// back as one row holding an array per column, each a single text split in one call.
// PostgreSQL answers either shape quickly; one reader serves both.
import type { SqlDriver } from './driver.js';

/** Rows per page: each column's text stays a few megabytes, and so does the database's memory for it. */
export const ROWS_PER_PAGE = 50_000;

/** A text column as hexadecimal UTF-8: any text, and it prints in an array without quotes. */
export const HEX = (column: string): string => `encode(convert_to(${column}, 'UTF8'), 'hex')`;

/** Decodes a HEX() value. */
export const unhex = (value: string | null): string | null => (value === null ? null : Buffer.from(value, 'hex').toString('utf8'));

export interface PagedRead {
  /** output columns, by name (`expression AS name` in `page`) */
  columns: readonly string[];
  /**
   * One page's SELECT in key order, at most ROWS_PER_PAGE rows: the first one (after null)
   * or those after the key values of the previous page's last row.
   */
  page(after: (string | null)[] | null): { sql: string; params: unknown[] };
  /** the key's output columns (each page resumes after the last row's values) */
  key: readonly string[];
}

/**
 * Calls `each` with every page: one array per column, the values as text (null for NULL),
 * in the same row order. Each column's values must print in an array without quoting:
 * numbers, booleans (t/f), hex (encode(…, 'hex'), HEX above), fixed words. (An empty text
 * prints as "", read as ''.)
 */
export async function readPaged(sql: Pick<SqlDriver, 'query'>, read: PagedRead, each: (page: (string | null)[][]) => void): Promise<void> {
  const keyAt = read.key.map((k) => read.columns.indexOf(k));
  let after: (string | null)[] | null = null;
  for (;;) {
    const { sql: inner, params } = read.page(after);
    // the aggregates read the ordered subquery's rows in its order, so the arrays line up
    const [row] = await sql.query<Record<string, string | null>>(
      `SELECT count(*)::int AS n, ${read.columns.map((c, i) => `array_agg(p.${c})::text AS c${i}`).join(', ')} FROM (${inner}) p`,
      params,
    );
    if (!row || Number(row.n) === 0) return;
    const page = read.columns.map((_c, i) => splitArray(row[`c${i}`]!));
    each(page);
    if (Number(row.n) < ROWS_PER_PAGE) return;
    after = keyAt.map((i) => page[i].at(-1) ?? null);
  }
}

function splitArray(text: string): (string | null)[] {
  const values: (string | null)[] = text.slice(1, -1).split(',');
  for (let i = 0; i < values.length; i++) {
    if (values[i] === 'NULL') values[i] = null;
    else if (values[i] === '""') values[i] = '';
  }
  return values;
}
