// The shared mode's peer store (docs/scaling.md): swarms, peer records, baselines and
// announce-interval state in Redis, so several tracker processes serve the same swarms. One
// announce is one script call (announce-script.ts), pipelined with the concurrent ones.
//
// Swarms are spread over `shards` hash tags, `{<prefix>:<release id mod shards>}`: every key of
// one swarm carries its shard's tag (one Redis Cluster slot, so the script may touch them all),
// and each shard has one stream, in that same slot, that carries its deltas to the database
// (stream-drainer.ts). More shards than cluster nodes spreads the load evenly.
import { compactIPv6, parseIPv4 } from '../tracker/core/address.js';
import type { SharedAnnounce, SharedAnnounceResult, SharedPeerStore } from '../tracker/core/shared-peers.js';
import { ANNOUNCE_LUA } from './announce-script.js';
import { SWEEP_LUA } from './sweep-script.js';
import type { RedisClient } from './redis-connect.js';

export type { SharedAnnounce, SharedAnnounceResult } from '../tracker/core/shared-peers.js';

export interface PeerStoreOptions {
  /** prefix of every key (several sites, or specs, share one Redis) */
  prefix: string;
  /** hash tags the swarms are spread over */
  shards: number;
}

type AnnounceReply = [number, number?, number?, Buffer?, Buffer?, number?, number?, Buffer?];

interface ScriptedClient {
  seedkeepAnnounceBuffer(...args: (string | Buffer | number)[]): Promise<AnnounceReply>;
  seedkeepSweep(...args: string[]): Promise<number>;
}

/** Peers expired per script call: bounded, so one call never holds Redis for long. */
const SWEEP_LIMIT = 1000;

const EMPTY = Buffer.alloc(0);

export class RedisPeerStore implements SharedPeerStore {
  readonly redis: RedisClient;
  readonly options: PeerStoreOptions;

  constructor(
    redis: RedisClient,
    options: PeerStoreOptions,
  ) {
    this.redis = redis;
    this.options = options;
    redis.defineCommand('seedkeepAnnounce', { numberOfKeys: 7, lua: ANNOUNCE_LUA });
    redis.defineCommand('seedkeepSweep', { numberOfKeys: 7, lua: SWEEP_LUA });
  }

  shardOf(releaseId: number): number {
    return releaseId % this.options.shards;
  }

  /** The `{tag}` every key of a shard starts with. */
  tag(shard: number): string {
    return `{${this.options.prefix}:${shard}}`;
  }

  /** The shard's stream of deltas. */
  streamKey(shard: number): string {
    return `${this.tag(shard)}:x`;
  }

  streamKeys(): string[] {
    return Array.from({ length: this.options.shards }, (_, shard) => this.streamKey(shard));
  }

  /** The keys of one swarm, in the script's order (announce-script.ts). */
  swarmKeys(releaseId: number): string[] {
    const tag = this.tag(this.shardOf(releaseId));
    return [`${tag}:p:${releaseId}`, `${tag}:s1:${releaseId}`, `${tag}:l1:${releaseId}`, `${tag}:s2:${releaseId}`, `${tag}:l2:${releaseId}`, `${tag}:x`, `${tag}:swarms`];
  }

  async announce(a: SharedAnnounce): Promise<SharedAnnounceResult> {
    const compact4 = a.family === 4 ? compactV4(a.ip, a.port) : EMPTY;
    const compact6 = a.family === 6 ? compactV6(a.ip, a.port) : EMPTY;
    const reply = await (this.redis as unknown as ScriptedClient).seedkeepAnnounceBuffer(
      ...this.swarmKeys(a.releaseId),
      String(a.now),
      `${a.userId}:${a.peerId.toString('hex')}`,
      String(a.userId),
      String(a.releaseId),
      a.event,
      a.uploaded.toString(),
      a.downloaded.toString(),
      a.left.toString(),
      a.key === null ? '' : 'k' + a.key,
      compact4,
      compact6,
      String(a.slot + 1),
      `${a.transport}${a.family}${a.slot + 1}`,
      String(a.want),
      String(a.peerFamily ?? 0),
      a.listable ? '1' : '0',
      String(a.upMultiplier),
      String(a.downMultiplier),
      String(a.interval),
      String(a.minInterval),
      String(a.maxPeersPerRelease),
      a.client,
      a.family === 4 ? a.ip : '',
      a.family === 6 ? a.ip : '',
      String(a.port),
    );
    return toResult(reply);
  }

  /**
   * Drops the peers of one shard silent since before `cutoff` (ms) from their swarms; returns
   * how many. Run by one process at a time (src/db/advisory-lock.ts), though running twice
   * is harmless: a peer already expired is skipped.
   */
  async sweepShard(shard: number, cutoff: number): Promise<number> {
    const releases = await this.redis.smembers(`${this.tag(shard)}:swarms`);
    let expired = 0;
    for (const release of releases) {
      const keys = this.swarmKeys(Number(release));
      for (;;) {
        const n = await (this.redis as unknown as ScriptedClient).seedkeepSweep(...keys, String(cutoff), String(SWEEP_LIMIT), release);
        expired += n;
        if (n < SWEEP_LIMIT) break;
      }
    }
    return expired;
  }

  /** Live counts of one swarm (scrape, the release page). */
  async counts(releaseId: number): Promise<{ seeders: number; leechers: number }> {
    const [seeders, leechers] = await this.redis.hmget(this.swarmKeys(releaseId)[0], '#s', '#l');
    return { seeders: Number(seeders ?? 0), leechers: Number(leechers ?? 0) };
  }
}

function toResult(reply: AnnounceReply): SharedAnnounceResult {
  const code = reply[0];
  if (code === 2) return { refused: 'peer-cap', seeders: 0, leechers: 0, compact4: EMPTY, compact6: EMPTY, early: false, boundary: false, entryId: '' };
  return {
    refused: code === 1 ? 'leech' : null,
    seeders: Number(reply[1] ?? 0),
    leechers: Number(reply[2] ?? 0),
    compact4: reply[3] ?? EMPTY,
    compact6: reply[4] ?? EMPTY,
    early: reply[5] === 1,
    boundary: reply[6] === 1,
    entryId: (reply[7] ?? EMPTY).toString(),
  };
}

function compactV4(ip: string, port: number): Buffer {
  const n = parseIPv4(ip);
  if (n === null) return EMPTY;
  const out = Buffer.allocUnsafe(6);
  out.writeUInt32BE(n >>> 0, 0);
  out.writeUInt16BE(port, 4);
  return out;
}

function compactV6(ip: string, port: number): Buffer {
  const compact = compactIPv6(ip, port);
  return compact === null ? EMPTY : Buffer.from(compact, 'latin1');
}
