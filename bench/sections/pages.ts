// Page latency with 1M releases and 100k members in PostgreSQL. The
// data is generated in SQL once into a database named seedkeep_bench_pages and reused by
// later runs (seeding and indexing 1M rows takes minutes). A member's session is inserted
// directly (sessions hold the SHA-256 of the cookie's token, src/web/session.ts).
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/db/client.js';
import { httpGetFull } from '../lib/announce-url.js';
import { databaseExists, databaseUrlFor, freshDatabase, queryOne } from '../lib/pg.js';
import { freePort } from '../lib/proc.js';
import { seedCategory, seedMembers, seedReleases } from '../lib/seed-sql.js';
import { percentile } from '../lib/stats.js';
import { startSeedkeep } from '../servers/start.js';

export const PAGES_DB = 'seedkeep_bench_pages';

export interface PageRow { page: string; path: string; p50: number; p95: number; max: number; samples: number; status: string }
export interface PagesResult { releases: number; members: number; seededNow: boolean; seedSeconds: number; rows: PageRow[]; skipped?: string }

/** Creates and fills the page database unless a previous run left it complete. */
async function ensurePageData(baseUrl: string, releases: number, members: number, mayGenerate: boolean): Promise<{ url: string; seededNow: boolean; seconds: number } | null> {
  const url = databaseUrlFor(baseUrl, PAGES_DB);
  if (await databaseExists(baseUrl, PAGES_DB)) {
    const row = await queryOne<{ n: string }>(url, 'SELECT count(*)::text AS n FROM releases').catch(() => undefined);
    if (row && Number(row.n) >= releases) return { url, seededNow: false, seconds: 0 };
  }
  if (!mayGenerate) return null;
  const started = Date.now();
  await freshDatabase(baseUrl, PAGES_DB);
  const db = openDatabase({ dataDir: mkdtempSync(path.join(tmpdir(), 'seedkeep-bench-pages-')), databaseUrl: url });
  try {
    await db.migrate();
    const categoryId = await seedCategory(db.sql);
    await seedMembers(db.sql, members);
    await seedReleases(db.sql, releases, categoryId, 1);
    await db.sql.exec('ANALYZE');
  } finally {
    await db.close();
  }
  return { url, seededNow: true, seconds: (Date.now() - started) / 1000 };
}

async function sessionCookie(url: string): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const id = createHash('sha256').update(token).digest('hex');
  await queryOne(url, `INSERT INTO sessions (id, user_id, expires_at) VALUES ($1, 1, now() + interval '1 day')`, [id]);
  return `sk_session=${token}`;
}

async function timePage(baseUrl: string, page: string, paths: string[], cookie: string): Promise<PageRow> {
  const times: number[] = [];
  const statuses = new Set<number>();
  // warm-up: JIT, template compilation, Postgres' buffers for this query's plan
  for (const p of paths.slice(0, 5)) await httpGetFull(baseUrl, p, { Cookie: cookie }, 30_000);
  for (const p of paths) {
    const t0 = performance.now();
    const { status } = await httpGetFull(baseUrl, p, { Cookie: cookie }, 30_000);
    times.push(performance.now() - t0);
    statuses.add(status);
  }
  return { page, path: paths[0], p50: percentile(times, 50), p95: percentile(times, 95), max: Math.max(...times), samples: times.length, status: [...statuses].join(',') };
}

export async function measurePages(options: { baseUrl: string; releases: number; members: number; samples: number; mayGenerate: boolean }): Promise<PagesResult> {
  const data = await ensurePageData(options.baseUrl, options.releases, options.members, options.mayGenerate);
  if (!data) return { releases: options.releases, members: options.members, seededNow: false, seedSeconds: 0, rows: [], skipped: `the 1M-release database ${PAGES_DB} is not there and this run may not generate it` };
  const cookie = await sessionCookie(data.url);
  const port = freePort();
  const server = await startSeedkeep('seedkeep pages', { dataDir: mkdtempSync(path.join(tmpdir(), 'seedkeep-bench-web-')), port, udpPort: freePort(),
    databaseUrl: data.url, members: options.members, releases: options.releases, skipSeed: true });
  try {
    const probe = await httpGetFull(server.url, '/releases', { Cookie: cookie });
    if (probe.status === 404) return { releases: options.releases, members: options.members, seededNow: data.seededNow, seedSeconds: data.seconds, rows: [], skipped: 'not built yet (/releases answers 404)' };
    const n = options.samples;
    const ids = Array.from({ length: n }, (_, i) => 1 + ((i * 7919 * 131) % options.releases));
    const words = ['ubuntu', 'kernel', 'arm64', 'dataset', 'netinst'];
    const rows = [
      await timePage(server.url, 'browse, first page', Array(n).fill('/releases'), cookie),
      await timePage(server.url, 'browse, deep page (200)', Array(n).fill('/releases?page=200'), cookie),
      await timePage(server.url, 'search by word', Array.from({ length: n }, (_, i) => `/releases?q=${words[i % words.length]}`), cookie),
      await timePage(server.url, 'search, two words', Array.from({ length: n }, (_, i) => `/releases?q=${words[i % words.length]}+${words[(i + 2) % words.length]}`), cookie),
      await timePage(server.url, 'details page', ids.map((id) => `/releases/${id}`), cookie),
    ];
    return { releases: options.releases, members: options.members, seededNow: data.seededNow, seedSeconds: data.seconds, rows };
  } finally {
    await server.stop();
  }
}
