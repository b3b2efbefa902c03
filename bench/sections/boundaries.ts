// What holding session-boundary replies until their flush commits costs (docs/accounting.md):
// the real app in-process on a fresh database, N clients over real HTTP connections (one
// connection per announce, as clients do), each churning sessions: `started`, a few plain
// re-announces, `stopped`, again. Alternating rounds with the hold on (as shipped) and off
// (the core marks no boundary), so both see the same machine. Reports requests/s and the
// latency of boundary and plain announces. Standalone: `tsx bench/sections/boundaries.ts`
// (DATABASE_URL: on PostgreSQL, in a scratch database next to it).
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../../src/app.js';
import { testConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/client.js';
import { dropDatabase, freshDatabase } from '../lib/pg.js';
import { seedCategory, seedMembers, seedReleases } from '../lib/seed-sql.js';
import { percentile } from '../lib/stats.js';

const MEMBERS = 200;
const RELEASES = 200;
const SCRATCH_DB = 'seedkeep_bench_boundaries';

export interface BoundaryRound {
  held: boolean;
  rps: number;
  boundaryP50: number;
  boundaryP99: number;
  plainP50: number;
  plainP99: number;
}

export interface BoundaryOptions {
  /** '' for PGlite */
  databaseUrl: string;
  clients: number;
  roundSec: number;
  rounds: number;
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
const pctHex = (h: string): string => h.replace(/../g, '%$&');

function announce(port: number, query: string, passkey: string): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: `/announce/${passkey}?${query}`, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(performance.now() - t0));
      })
      .on('error', reject);
  });
}

/** One client churning sessions until `until`; latencies go to the two lists. */
async function churn(port: number, n: number, hashes: string[], passkeys: string[], until: number, boundary: number[], plain: number[]): Promise<void> {
  const passkey = passkeys[n % passkeys.length];
  let session = 0;
  while (performance.now() < until) {
    const hash = pctHex(hashes[(n * 7 + session) % hashes.length]);
    const base = `info_hash=${hash}&peer_id=-qB4630-${hex(n, 12)}&port=${10_000 + n}&downloaded=0&left=0&key=${hex(n, 8).toUpperCase()}&compact=1`;
    let up = 0;
    boundary.push(await announce(port, `${base}&uploaded=0&event=started`, passkey));
    for (let i = 0; i < 3; i++) plain.push(await announce(port, `${base}&uploaded=${(up += 1_000_000)}`, passkey));
    boundary.push(await announce(port, `${base}&uploaded=${up}&event=stopped`, passkey));
    session++;
  }
}

export async function measureBoundaries(options: BoundaryOptions): Promise<BoundaryRound[]> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'seedkeep-bench-boundaries-'));
  const url = options.databaseUrl ? await freshDatabase(options.databaseUrl, SCRATCH_DB) : '';
  const config = testConfig({ dataDir, databaseUrl: url, logLevel: 'silent' });
  const db = openDatabase(config);
  try {
    await db.migrate();
    await seedMembers(db.sql, MEMBERS);
    await seedReleases(db.sql, RELEASES, await seedCategory(db.sql), null);
    const passkeys = (await db.sql.query<{ passkey: string }>('SELECT passkey FROM users')).map((r) => r.passkey.trim());
    const hashes = (await db.sql.query<{ h: string }>(`SELECT encode(info_hash_v1, 'hex') AS h FROM releases`)).map((r) => r.h);
    const app = await buildApp(config, { db });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    const hold = app.tracker.engine.waitForFlush;
    const rounds: BoundaryRound[] = [];
    for (let r = 0; r < options.rounds * 2; r++) {
      const held = r % 2 === 0;
      app.tracker.engine.waitForFlush = held ? hold : null;
      const boundary: number[] = [];
      const plain: number[] = [];
      const until = performance.now() + options.roundSec * 1000;
      await Promise.all(Array.from({ length: options.clients }, (_, n) => churn(port, n + r * options.clients, hashes, passkeys, until, boundary, plain)));
      const count = boundary.length + plain.length;
      rounds.push({ held, rps: count / options.roundSec, boundaryP50: percentile(boundary, 50), boundaryP99: percentile(boundary, 99), plainP50: percentile(plain, 50), plainP99: percentile(plain, 99) });
    }
    app.tracker.engine.waitForFlush = hold;
    await app.close();
    return rounds;
  } finally {
    await db.close();
    if (url) await dropDatabase(options.databaseUrl, SCRATCH_DB);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function describeRounds(database: string, clients: number, rounds: BoundaryRound[]): string {
  const line = (held: boolean): string => {
    const mine = rounds.filter((r) => r.held === held);
    const f = (pick: (r: BoundaryRound) => number, digits = 1) => mine.map((r) => pick(r).toFixed(digits)).join('/');
    return `${held ? 'held' : 'not held'}: ${f((r) => r.rps, 0)} req/s, boundary p50 ${f((r) => r.boundaryP50)} ms p99 ${f((r) => r.boundaryP99)} ms, plain p50 ${f((r) => r.plainP50)} ms p99 ${f((r) => r.plainP99)} ms`;
  };
  return `Session-boundary replies held until their flush (${database}, ${clients} clients churning sessions, rounds alternating): ${line(true)}; ${line(false)}.`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const databaseUrl = process.env.DATABASE_URL ?? '';
  const clients = Number(process.env.CLIENTS ?? 20);
  const rounds = await measureBoundaries({ databaseUrl, clients, roundSec: Number(process.env.ROUND_SEC ?? 5), rounds: Number(process.env.ROUNDS ?? 3) });
  process.stdout.write(describeRounds(databaseUrl ? 'Postgres' : 'PGlite', clients, rounds) + '\n');
}
