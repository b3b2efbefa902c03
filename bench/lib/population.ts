// A database prepared for a long section (members and releases seeded with SQL, as the other
// sections do), and a fixed population of peers spread one per (member, release), so that no
// peer cap is reached: peer p belongs to member 1 + p mod members, on a release that differs
// for each of that member's peers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/db/client.js';
import { dropDatabase, freshDatabase } from './pg.js';
import { seedCategory, seedMembers, seedReleases } from './seed-sql.js';
import type { PeerReport } from './udp-swarm.js';

const RELEASES_PER_STATEMENT = 50_000;

export interface Prepared {
  database: 'PGlite' | 'Postgres';
  dataDir: string;
  databaseUrl: string;
  seedSeconds: number;
  dispose(): Promise<void>;
}

/** A fresh data folder (and, given pgUrl, a fresh PostgreSQL database `name`), migrated and seeded. */
export async function prepareDatabase(options: { pgUrl: string; name: string; members: number; releases: number; withCounts?: boolean }): Promise<Prepared> {
  const t0 = performance.now();
  const dataDir = mkdtempSync(path.join(tmpdir(), `${options.name}-`));
  const databaseUrl = options.pgUrl ? await freshDatabase(options.pgUrl, options.name) : '';
  const db = openDatabase({ dataDir, databaseUrl });
  try {
    await db.migrate();
    const categoryId = await seedCategory(db.sql);
    await seedMembers(db.sql, options.members);
    // in parts, each followed by a checkpoint on PGlite: one statement writing a million rows
    // would build more write-ahead log than PGlite copes with (docs/operations.md)
    for (let first = 1; first <= options.releases; first += RELEASES_PER_STATEMENT) {
      await seedReleases(db.sql, Math.min(RELEASES_PER_STATEMENT, options.releases - first + 1), categoryId, 1, first, options.withCounts ?? true);
      if (!databaseUrl) await db.sql.exec('CHECKPOINT');
    }
    await db.sql.exec('ANALYZE');
    if (!databaseUrl) await db.sql.exec('CHECKPOINT');
  } finally {
    await db.close();
  }
  return {
    database: databaseUrl ? 'Postgres' : 'PGlite', dataDir, databaseUrl, seedSeconds: (performance.now() - t0) / 1000,
    async dispose() {
      rmSync(dataDir, { recursive: true, force: true });
      if (databaseUrl) await dropDatabase(options.pgUrl, options.name);
    },
  };
}

export interface Population {
  peers: number;
  members: number;
  releases: number;
}

/** Where peer p announces: one peer per (member, release). */
export function placeOf(pop: Population, p: number): { member: number; release: number } {
  const m = p % pop.members;
  const k = Math.floor(p / pop.members);
  const perMember = Math.ceil(pop.peers / pop.members);
  const stride = Math.max(1, Math.floor(pop.releases / perMember));
  return { member: 1 + m, release: 1 + ((m + k * stride) % pop.releases) };
}

/**
 * Every peer of the population as a known peer that has reported nothing yet (round 0), as
 * its `started` would have left it: the rows the tracker loads at start, written with SQL
 * because a million held `started` replies take many minutes on a shared machine. Same
 * placement, peer ids and seeding as placeOf, peerIdOf and isSeeder.
 */
export async function seedPeers(prepared: Prepared, pop: Population): Promise<void> {
  const perMember = Math.ceil(pop.peers / pop.members);
  const stride = Math.max(1, Math.floor(pop.releases / perMember));
  const db = openDatabase({ dataDir: prepared.dataDir, databaseUrl: prepared.databaseUrl });
  try {
    await db.sql.exec(`
      INSERT INTO peers (user_id, release_id, peer_id, ipv4, port, uploaded, downloaded, "left", client, seeder, active)
      SELECT 1 + p % ${pop.members}, 1 + ((p % ${pop.members}) + (p / ${pop.members}) * ${stride}) % ${pop.releases},
             decode('-qB4650-' || lpad(to_hex(p), 12, '0'), 'escape'), '127.0.0.1', 1025 + p % 60000, 0, 0,
             CASE WHEN p % 4 = 0 THEN 0 ELSE 4294967296 END, 'qBittorrent 4.6.5', p % 4 = 0, true
      FROM generate_series(0, ${pop.peers - 1}) AS p`);
    if (!prepared.databaseUrl) await db.sql.exec('CHECKPOINT');
  } finally {
    await db.close();
  }
}

/** A quarter of the peers seed; the others leech with a fixed amount left (never a snatch). */
export function isSeeder(p: number): boolean {
  return p % 4 === 0;
}

/**
 * Peer p's counters at its `round`-th report (round 0: nothing transferred yet): every round
 * adds 1..7 MiB of upload, and 512 KiB of download to a leecher.
 */
export function reportOf(pop: Population, p: number, round: number, event: PeerReport['event']): PeerReport {
  const { member, release } = placeOf(pop, p);
  const seeder = isSeeder(p);
  return {
    member, release, peer: p, event,
    uploaded: BigInt(round) * BigInt(1 + (p % 7)) * 1_048_576n,
    downloaded: seeder ? 0n : BigInt(round) * 524_288n,
    left: seeder ? 0n : 4_294_967_296n,
  };
}

/** Every peer of the population once, at `round`. */
export function* everyPeer(pop: Population, round: number, event: PeerReport['event']): Generator<PeerReport> {
  for (let p = 0; p < pop.peers; p++) yield reportOf(pop, p, round, event);
}
