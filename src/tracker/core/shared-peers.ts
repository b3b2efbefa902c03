// The seam between the tracker core and a peer store shared by several processes
// (docs/scaling.md, "the shared mode"). The core runs its checklist from the in-memory
// catalog, then hands the peer work (baseline, delta, swarm lists, reply peers) to a store
// behind this interface; the Redis implementation is src/shared/redis-peer-store.ts. Declared
// here so that the core imports no store: the memory mode never sees it.
import type { HashSlot } from './peer.js';
import type { AnnounceEvent, Transport } from './types.js';

export interface SharedAnnounce {
  userId: number;
  releaseId: number;
  /** 20 bytes */
  peerId: Buffer;
  event: AnnounceEvent;
  uploaded: bigint;
  downloaded: bigint;
  left: bigint;
  /** BEP 7 key; null: none */
  key: string | null;
  ip: string;
  family: 4 | 6;
  port: number;
  /** which of a hybrid's hashes was announced (BEP 52) */
  slot: HashSlot;
  transport: Transport;
  /** peers wanted in the reply (already capped) */
  want: number;
  /** only this family's peers are any use (UDP) */
  peerFamily?: 4 | 6;
  /** the reply's peer ids are wanted too (a non-compact HTTP announce) */
  withPeerIds?: boolean;
  /** false: the member may not leech (credited, not listed, docs/accounting.md) */
  listable: boolean;
  /** the release's traffic rule and the member's perks at this announce (multipliers.ts) */
  upMultiplier: 0 | 1 | 2;
  downMultiplier: 0 | 1;
  client: string;
  now: number;
  /** seconds */
  interval: number;
  minInterval: number;
  maxPeersPerRelease: number;
  /** active peers of the member across every swarm (docs/protocol.md, "Peer caps") */
  maxPeersPerMember: number;
  /** releases the member's class may leech at once (docs/accounting.md); 0: no limit */
  downloadSlots: number;
}

export interface SharedAnnounceResult {
  /** 'leech': credited but not listed; 'peer-cap' (per release), 'member-cap', 'slots': refused before the accounting */
  refused: 'leech' | 'peer-cap' | 'member-cap' | 'slots' | null;
  seeders: number;
  leechers: number;
  /** BEP 23 / BEP 7 compact entries */
  compact4: Buffer;
  compact6: Buffer;
  /** the peer ids (latin1) of those entries, in order, when the announce asked for them (BEP 3's dictionary form) */
  peerIds4?: string[];
  peerIds6?: string[];
  /** inside min interval: no peers, still credited */
  early: boolean;
  /** a session boundary (docs/accounting.md) */
  boundary: boolean;
  /** the stream entry holding this announce's delta; '' when refused before the accounting */
  entryId: string;
}

/**
 * A peer store several processes share. Its announce is atomic and durable once it resolves
 * (the delta travels with the new baseline, docs/scaling.md "Persistence"), so no reply waits
 * for the database.
 */
export interface SharedPeerStore {
  announce(announce: SharedAnnounce): Promise<SharedAnnounceResult>;
  /** live counts of one swarm (scrape) */
  counts(releaseId: number): Promise<{ seeders: number; leechers: number }>;
}
