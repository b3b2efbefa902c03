// The pages' and gauges' live counts in the shared mode (docs/scaling.md): no swarm lives in
// the process, so a release's counts are read from Redis, and the site totals (home,
// dashboard, /metrics) from the releases.seeders/leechers columns the drainer writes after
// each pass, kept here so that the synchronous stats() can answer.
import type { SqlDriver } from '../db/driver.js';
import type { TrackerStats } from '../tracker/core/engine.js';
import type { LiveCounts } from '../tracker/service.js';
import type { RedisPeerStore } from './redis-peer-store.js';

export interface SharedStats {
  /** the totals as of the last refresh (zeros before the first) */
  current(): TrackerStats;
  /** re-reads the totals from the release columns */
  refresh(): Promise<void>;
  /** a release's counts from Redis; the columns when Redis cannot answer */
  liveCounts(releaseId: number): Promise<LiveCounts>;
}

const TOTALS = `SELECT coalesce(sum(seeders), 0)::int AS seeders, coalesce(sum(leechers), 0)::int AS leechers,
  count(*) FILTER (WHERE seeders + leechers > 0)::int AS swarms FROM releases WHERE deleted_at IS NULL`;

export function createSharedStats(options: { store: RedisPeerStore; sql: SqlDriver }): SharedStats {
  const { store, sql } = options;
  let totals: TrackerStats = { peers: 0, seeders: 0, leechers: 0, releasesWithPeers: 0, baselines: 0 };

  async function fromColumns(releaseId: number): Promise<LiveCounts> {
    const [row] = await sql.query<LiveCounts>('SELECT seeders, leechers FROM releases WHERE id = $1', [releaseId]);
    return row ? { seeders: Number(row.seeders), leechers: Number(row.leechers) } : { seeders: 0, leechers: 0 };
  }

  return {
    current: () => ({ ...totals }),
    async refresh() {
      const [row] = await sql.query<{ seeders: number; leechers: number; swarms: number }>(TOTALS);
      const seeders = Number(row?.seeders ?? 0);
      const leechers = Number(row?.leechers ?? 0);
      totals = { peers: seeders + leechers, seeders, leechers, releasesWithPeers: Number(row?.swarms ?? 0), baselines: 0 };
    },
    liveCounts: (releaseId) => store.counts(releaseId).catch(() => fromColumns(releaseId)),
  };
}
