// Which IP-history sightings a ledger flush still has to write (see RecentIps).
import type { PeerRow } from '../tracker/core/ledger.js';

/**
 * The (member, address) pairs the IP history already has from the last hour: a flush writes
 * only the others, so a steady swarm does not upsert a user_ips row per peer every few
 * seconds. `last_seen` is therefore precise to the hour; staff pages need no more.
 */
export class RecentIps {
  private readonly written = new Map<string, number>();

  private readonly refreshMs: number;
  private readonly maxEntries: number;

  constructor(refreshMs = 3_600_000, maxEntries = 1_000_000) {
    this.refreshMs = refreshMs;
    this.maxEntries = maxEntries;
  }

  /** The sightings among `rows` to write: new pairs, or pairs last written over refreshMs ago. */
  pick(rows: readonly PeerRow[]): IpSighting[] {
    return [...this.pickInto(rows, new Map()).values()];
  }

  /** pick() over rows arriving in parts: `out` keeps one sighting per (member, address). */
  pickInto(rows: readonly PeerRow[], out: Map<string, IpSighting>): Map<string, IpSighting> {
    for (const row of rows) {
      for (const ip of [row.ipv4, row.ipv6]) {
        if (ip === null) continue;
        const key = `${row.userId} ${ip}`;
        const last = this.written.get(key);
        if (last !== undefined && row.lastAnnounceAt - last < this.refreshMs) continue;
        const seen = out.get(key);
        if (seen) {
          seen.first = Math.min(seen.first, row.lastAnnounceAt);
          seen.last = Math.max(seen.last, row.lastAnnounceAt);
        } else out.set(key, { userId: row.userId, ip, first: row.lastAnnounceAt, last: row.lastAnnounceAt });
      }
    }
    return out;
  }

  /** After the transaction committed: these need no write for the next refreshMs. */
  remember(sightings: IpSighting[]): void {
    if (this.written.size + sightings.length > this.maxEntries) this.written.clear();
    for (const s of sightings) this.written.set(`${s.userId} ${s.ip}`, s.last);
  }
}

export interface IpSighting {
  userId: number;
  ip: string;
  first: number;
  last: number;
}
