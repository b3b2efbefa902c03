// Populates seedkeep's tables with generate_series: members whose passkeys are
// md5('member-<i>') and releases whose v1 hashes match bench/lib/fixture.ts. Used for the
// 10k/10k announce runs and the 1M-release page run.
import type { SqlDriver } from '../../src/db/driver.js';

export async function seedCategory(sql: SqlDriver): Promise<number> {
  await sql.exec(`INSERT INTO categories (name, slug) VALUES ('Bench', 'bench') ON CONFLICT DO NOTHING`);
  const [row] = await sql.query<{ id: number }>(`SELECT id FROM categories WHERE slug = 'bench'`);
  return row.id;
}

/** Members 1..count; the password hash is not a valid argon2 hash: nobody logs in as them. */
export async function seedMembers(sql: SqlDriver, count: number): Promise<void> {
  await sql.exec(`
    INSERT INTO users (username, username_lower, password_hash, passkey, rss_token)
    SELECT 'member' || i, 'member' || i, 'bench-no-login', md5('member-' || i), md5('rss-' || i)
    FROM generate_series(1, ${Math.trunc(count)}) AS i`);
}

// A small vocabulary so that search by word finds a realistic share of names.
const WORDS = ['ubuntu', 'debian', 'fedora', 'arch', 'live', 'server', 'desktop', 'amd64', 'arm64', 'iso',
  'netinst', 'dvd', 'minimal', 'cloud', 'image', 'docs', 'source', 'kernel', 'archive', 'dataset'];

/**
 * Releases first..first+count-1 in one category, named from WORDS, with a v1 hash matching
 * infoHashOf(i). `withCounts`: stored seeder/leecher/snatch counts that vary (sorts to
 * measure); without, zero, as a site whose releases have no live peers stores them, so the
 * tracker's first flushes have no counts to rewrite.
 */
export async function seedReleases(sql: SqlDriver, count: number, categoryId: number, uploaderId: number | null, first = 1, withCounts = true): Promise<void> {
  const words = `ARRAY[${WORDS.map((w) => `'${w}'`).join(',')}]`;
  await sql.exec(`
    INSERT INTO releases (info_hash_v1, name, description, size, piece_length, file_count, uploader_id, category_id,
                          seeders, leechers, snatched, torrent_file, created_at)
    SELECT decode(md5('release-' || i) || substr(md5('r2-' || i), 1, 8), 'hex'),
           (${words})[1 + i % 20] || ' ' || (${words})[1 + (i / 20) % 20] || ' ' || (${words})[1 + (i / 400) % 20] || ' ' || i,
           'Benchmark release ' || i,
           (1 + i % 4000)::bigint * 1048576, 262144, 1 + i % 7, ${uploaderId ?? 'NULL'}, ${Math.trunc(categoryId)},
           ${withCounts ? 'i % 50, i % 13, i % 100' : '0, 0, 0'},
           '\\x64343a696e666f6465'::bytea,
           now() - (i || ' seconds')::interval
    FROM generate_series(${Math.trunc(first)}, ${Math.trunc(first + count - 1)}) AS i`);
}
