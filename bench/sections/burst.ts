// A burst of new peers while the database is healthy: ~19k new peers a second for a few
// seconds, in-process through the real tracker service and database (PGlite, or PostgreSQL
// with DATABASE_URL), with MAX_PENDING_DELTAS far below the burst. Pending entries may grow
// past the bound (flushes succeed, each takes everything pending), none is refused, and the
// flush lag is how long a probe member's credit took to be readable in the database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify from 'fastify';
import { systemClock } from '../../src/clock.js';
import { testConfig } from '../../src/config.js';
import { committedUpload } from '../../src/db/member-journal.js';
import { openDatabase } from '../../src/db/client.js';
import { createTrackerService } from '../../src/tracker/service.js';
import type { AnnounceRequest } from '../../src/tracker/core/types.js';
import { infoHashOf, passkeyOf } from '../lib/fixture.js';
import { dropDatabase, freshDatabase } from '../lib/pg.js';
import { seedCategory, seedMembers, seedReleases } from '../lib/seed-sql.js';
import { median, percentile } from '../lib/stats.js';

export interface BurstResult {
  database: string;
  ratePerSec: number;
  seconds: number;
  maxPendingDeltas: number;
  announced: number;
  refused: number;
  pendingMax: number;
  drainMs: number;
  lagP50: number;
  lagMax: number;
  flushFailures: number;
}

const MEMBERS = 10_000;
const RELEASES = 10_000;
const PROBE = MEMBERS + 1;

function request(peer: number, member: number, uploaded: bigint): AnnounceRequest {
  return {
    passkey: passkeyOf(member), infoHash: infoHashOf(1 + (peer % RELEASES)), peerId: Buffer.from(`-TR3000-${String(peer).padStart(12, '0')}`),
    port: 51413, uploaded, downloaded: 0n, left: 1000n, event: peer < 0 ? '' : 'started', numwant: 50, key: null, ip: '10.3.0.1', family: 4, transport: 'http',
  };
}

/**
 * Peer p joins release p mod RELEASES as a member that has no other peer there, so the
 * per-release peer cap (3 by default) never refuses one: the burst measures the flush.
 */
function memberOf(peer: number): number {
  return 1 + ((peer + Math.floor(peer / RELEASES)) % MEMBERS);
}

export async function measureBurst(options: { pgUrl: string; ratePerSec: number; seconds: number }): Promise<BurstResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'seedkeep-burst-'));
  const scratch = options.pgUrl ? await freshDatabase(options.pgUrl, 'seedkeep_bench_burst') : '';
  const db = openDatabase({ dataDir, databaseUrl: scratch });
  try {
    await db.migrate();
    await seedMembers(db.sql, MEMBERS + 1);
    await seedReleases(db.sql, RELEASES, await seedCategory(db.sql), null);
    const maxPendingDeltas = 10_000;
    const config = testConfig({ dataDir, databaseUrl: scratch, maxPendingDeltas });
    const service = createTrackerService({ config, db, clock: systemClock, log: Fastify({ logger: false }).log });
    await service.start();
    const result = await burst(service, db, options, maxPendingDeltas);
    await service.stop();
    return { database: options.pgUrl ? 'Postgres' : 'PGlite', ...result };
  } finally {
    await db.close();
    if (scratch) await dropDatabase(options.pgUrl, 'seedkeep_bench_burst');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function burst(service: ReturnType<typeof createTrackerService>, db: ReturnType<typeof openDatabase>, options: { ratePerSec: number; seconds: number }, maxPendingDeltas: number) {
  const started = performance.now();
  const end = started + options.seconds * 1000;
  const probes: { uploaded: bigint; at: number; lag: number | null }[] = [];
  let announced = 0;
  let refused = 0;
  let pendingMax = 0;
  service.core.announce(request(0, PROBE, 0n));
  for (let tick = 0; performance.now() < end; tick++) {
    // 10 ms slices of the rate, then back to the event loop (flushes, the probe's reads)
    const due = Math.floor(((performance.now() - started) / 1000) * options.ratePerSec);
    for (; announced < due; announced++) {
      try {
        service.core.announce(request(announced + 1, memberOf(announced + 1), 0n));
      } catch {
        refused++;
      }
    }
    if (tick % 25 === 0) {
      const uploaded = BigInt(probes.length + 1) * 1_048_576n;
      service.core.announce({ ...request(0, PROBE, uploaded), event: '' });
      probes.push({ uploaded, at: performance.now(), lag: null });
    }
    pendingMax = Math.max(pendingMax, service.health().pendingDeltas);
    await sleep(10);
  }
  const burstEnd = performance.now();
  while (probes.some((p) => p.lag === null) && performance.now() - burstEnd < 120_000) {
    // committed credit: the member row plus the member journal (applied later, on its own cadence)
    const up = (await committedUpload(db.sql, PROBE))?.uploadedActual ?? 0n;
    const now = performance.now();
    for (const p of probes) if (p.lag === null && up >= p.uploaded) p.lag = now - p.at;
    await sleep(50);
  }
  const drainMs = performance.now() - burstEnd;
  const lags = probes.flatMap((p) => (p.lag === null ? [] : [p.lag]));
  return {
    ratePerSec: options.ratePerSec, seconds: options.seconds, maxPendingDeltas, announced, refused, pendingMax, drainMs,
    lagP50: median(lags), lagMax: lags.length ? Math.max(...lags) : NaN, flushFailures: service.health().failedFlushes,
  };
}

/** The burst row of results/latest.md. */
export function burstLine(b: BurstResult): string {
  return `burst on ${b.database}: ${b.announced} new peers in ${b.seconds} s (${b.ratePerSec}/s) with MAX_PENDING_DELTAS ${b.maxPendingDeltas}: ` +
    `${b.refused} refused, pending at most ${b.pendingMax}, flush lag p50 ${b.lagP50.toFixed(0)} ms, max ${b.lagMax.toFixed(0)} ms, ` +
    `all written ${b.drainMs.toFixed(0)} ms after the burst; ${b.flushFailures} failed flushes.`;
}
