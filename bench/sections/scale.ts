// Start-up, memory and latency at a large catalogue (docs/operations.md, "The embedded
// database: what it is for"): the real server process (dist/server.js) on a database seeded
// with `releases` releases and `members` members, on PGlite and on PostgreSQL. Measured: time
// from spawn to ready, RSS when ready and at its peak, the data folder, sequential requests
// of a member's browse page (first and deep), a search, a details page, and an announce (a new
// peer's first, whose reply waits for its flush, and a re-announce), and the stop.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../src/db/client.js';
import { announcePath, httpGetFull } from '../lib/announce-url.js';
import { infoHashOf, passkeyOf } from '../lib/fixture.js';
import { loadAverage } from '../lib/machine.js';
import { prepareDatabase } from '../lib/population.js';
import { freePort } from '../lib/proc.js';
import { insertSession, memoryOf, startServer } from '../lib/server-process.js';
import { percentile } from '../lib/stats.js';

const SAMPLES = 20;

export interface ScaleRow { what: string; p50: number; max: number; statuses: string }

export interface ScaleResult {
  database: string;
  releases: number;
  members: number;
  seedSeconds: number;
  readyMs: number;
  rssReady: number;
  peakRss: number;
  dataBytes: number;
  walBytes: number;
  rows: ScaleRow[];
  stopMs: number;
  load: string;
}

function folderBytes(dir: string): number {
  let total = 0;
  try {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      total += entry.isDirectory() ? folderBytes(full) : statSync(full).size;
    }
  } catch {
    // gone or unreadable: counted as empty
  }
  return total;
}

async function timeRequests(url: string, what: string, paths: string[], cookie: string): Promise<ScaleRow> {
  const times: number[] = [];
  const statuses = new Set<string>();
  for (const p of paths) {
    const t0 = performance.now();
    const { status, body } = await httpGetFull(url, p, { Cookie: cookie }, 60_000);
    times.push(performance.now() - t0);
    statuses.add(body.includes('failure reason') ? `${status} failure` : String(status));
  }
  process.stdout.write(`  ${what.padEnd(34)} p50 ${percentile(times, 50).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms (${[...statuses].join(',')})\n`);
  return { what, p50: percentile(times, 50), max: Math.max(...times), statuses: [...statuses].join(',') };
}

function announces(releases: number, members: number, round: number): string[] {
  return Array.from({ length: SAMPLES }, (_, i) => {
    const member = 1 + ((i * 7919) % members);
    const release = 1 + ((i * 104_729) % releases);
    return announcePath({ passkey: passkeyOf(member), infoHash: infoHashOf(release), peerId: `-qB4650-scale${String(i).padStart(7, '0')}`,
      uploaded: BigInt(round) * 1_048_576n, left: 0n, event: round === 0 ? 'started' : undefined });
  });
}

export async function measureScale(options: { pgUrl: string; releases: number; members: number }): Promise<ScaleResult> {
  const prepared = await prepareDatabase({ pgUrl: options.pgUrl, name: 'seedkeep_bench_scale', members: options.members, releases: options.releases, withCounts: false });
  process.stdout.write(`  ${prepared.database}: ${options.releases} releases and ${options.members} members seeded in ${prepared.seedSeconds.toFixed(0)} s\n`);
  try {
    const db = openDatabase({ dataDir: prepared.dataDir, databaseUrl: prepared.databaseUrl });
    const cookie = await insertSession(db.sql, 1).finally(() => db.close());
    const server = await startServer({ dataDir: prepared.dataDir, databaseUrl: prepared.databaseUrl, port: freePort(), udpPort: freePort() });
    const rssReady = memoryOf(server.pid).rss;
    process.stdout.write(`  ready in ${(server.readyMs / 1000).toFixed(1)} s, RSS ${(rssReady / 2 ** 20).toFixed(0)} MB\n`);
    const ids = Array.from({ length: SAMPLES }, (_, i) => 1 + ((i * 7919 * 131) % options.releases));
    const words = ['ubuntu', 'kernel', 'arm64', 'dataset', 'netinst'];
    const url = server.url;
    const rows = [
      await timeRequests(url, 'browse, first page', Array(SAMPLES).fill('/releases'), cookie),
      await timeRequests(url, 'browse, deep page (200)', Array(SAMPLES).fill('/releases?page=200'), cookie),
      await timeRequests(url, 'search by word', Array.from({ length: SAMPLES }, (_, i) => `/releases?q=${words[i % words.length]}`), cookie),
      await timeRequests(url, 'search, two words', Array.from({ length: SAMPLES }, (_, i) => `/releases?q=${words[i % words.length]}+${words[(i + 2) % words.length]}`), cookie),
      await timeRequests(url, 'details page', ids.map((id) => `/releases/${id}`), cookie),
      await timeRequests(url, 'announce, new peer (held for its flush)', announces(options.releases, options.members, 0), ''),
      await timeRequests(url, 'announce, re-announce', announces(options.releases, options.members, 1), ''),
    ];
    const peakRss = memoryOf(server.pid).peak;
    const load = loadAverage();
    const stop = await server.stop();
    const pgliteDir = path.join(prepared.dataDir, 'pglite');
    return {
      database: prepared.database, releases: options.releases, members: options.members, seedSeconds: prepared.seedSeconds,
      readyMs: server.readyMs, rssReady, peakRss, rows, stopMs: stop.ms, load,
      dataBytes: prepared.databaseUrl ? 0 : folderBytes(pgliteDir), walBytes: prepared.databaseUrl ? 0 : folderBytes(path.join(pgliteDir, 'pg_wal')),
    };
  } finally {
    await prepared.dispose();
  }
}

export function describeScale(s: ScaleResult): string {
  const mb = (v: number): string => `${(v / 2 ** 20).toFixed(0)} MB`;
  const folder = s.dataBytes > 0 ? `; data folder ${mb(s.dataBytes)}, of which pg_wal ${mb(s.walBytes)}` : '';
  return `${s.database} at ${s.releases} releases and ${s.members} members (load ${s.load}): ready in ${(s.readyMs / 1000).toFixed(1)} s, ` +
    `RSS ${mb(s.rssReady)} when ready, peak ${mb(s.peakRss)}${folder}; ` +
    s.rows.map((r) => `${r.what} p50 ${r.p50.toFixed(0)} ms max ${r.max.toFixed(0)} ms (${r.statuses})`).join('; ') +
    `; stopped in ${(s.stopMs / 1000).toFixed(1)} s.`;
}
