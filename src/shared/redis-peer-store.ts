// The shared mode's peer store (docs/scaling.md): swarms, peer records, baselines and
// announce-interval state in Redis, so several tracker processes serve the same swarms. One
// announce is one script call (announce-script.ts), pipelined with the concurrent ones.
//
// Swarms are spread over `shards` hash tags, `{<prefix>:<release id mod shards>}`: every key of
// one swarm carries its shard's tag (one Redis Cluster slot, so the script may touch them all),
// and each shard has one stream, in that same slot, that carries its deltas to the database
// (stream-drainer.ts). More shards than cluster nodes spreads the load evenly. A member's active
// peers (the per-member cap) and leeched releases (download slots) sit under the member's own
// tag `{<prefix>:u:<user id>}` (member-script.ts): a re-announce re-scores its entries in the
// same pipelined round trip as the announce; only a peer joining its swarm takes two more calls
// (admitted there, then announced).
import { compactIPv6, parseIPv4 } from '../tracker/core/address.js';
import type { SharedAnnounce, SharedAnnounceResult, SharedPeerStore } from '../tracker/core/shared-peers.js';
import { expireBefore } from '../tracker/core/sweep.js';
import { ANNOUNCE_LUA } from './announce-script.js';
import { MEMBER_JOIN_LUA } from './member-script.js';
import { SWEEP_LUA } from './sweep-script.js';
import type { RedisClient } from './redis-connect.js';

export type { SharedAnnounce, SharedAnnounceResult } from '../tracker/core/shared-peers.js';

export interface PeerStoreOptions {
  /** prefix of every key (several sites, or specs, share one Redis) */
  prefix: string;
  /** hash tags the swarms are spread over */
  shards: number;
}

type AnnounceReply = [number, number?, number?, Buffer?, number?, number?, Buffer?];

interface ScriptedClient {
  seedkeepAnnounceBuffer(...args: (string | Buffer | number)[]): Promise<AnnounceReply>;
  seedkeepSweep(...args: string[]): Promise<number>;
  seedkeepMemberJoin(peers: string, leech: string, entry: string, now: string, cutoff: string, cap: string, release: string, slots: string, leeching: string): Promise<number>;
}

/** the announce script's answers (announce-script.ts) */
const PEER_CAP = 2;
const JOINING = 3;

/** Peers expired per script call: bounded, so one call never holds Redis for long. */
const SWEEP_LIMIT = 1000;

const EMPTY = Buffer.alloc(0);
const COLON = 0x3a;

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
    redis.defineCommand('seedkeepMemberJoin', { numberOfKeys: 2, lua: MEMBER_JOIN_LUA });
  }

  private get scripts(): ScriptedClient {
    return this.redis as unknown as ScriptedClient;
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

  /** The member's set of active peers (member-script.ts). */
  memberKey(userId: number): string {
    return `{${this.options.prefix}:u:${userId}}:peers`;
  }

  /** The member's set of leeched releases, kept when its class has download slots. */
  leechKey(userId: number): string {
    return `{${this.options.prefix}:u:${userId}}:leech`;
  }

  /**
   * One round trip for a peer already in its swarm: the announce, and beside it the member's
   * entry re-scored (or removed when the peer leaves). A peer joining its swarm is sent back
   * untouched by the script; it is admitted under the member's cap, then announced.
   */
  async announce(a: SharedAnnounce): Promise<SharedAnnounceResult> {
    const joins = a.listable && a.event !== 'stopped';
    // a failed touch or leave only lets the entry age out early or late: it never fails the announce
    const member = (joins ? this.touchMember(a) : this.leaveMember(a)).catch(() => undefined);
    const [first] = await Promise.all([this.runAnnounce(a, joins), member]);
    if (first[0] !== JOINING) return toResult(first, a);
    const admitted = await this.joinMember(a);
    if (admitted !== 1) return refusal(admitted === 0 ? 'member-cap' : 'slots');
    const reply = await this.runAnnounce(a, false);
    // another peer of the member took the release's last place meanwhile
    if (reply[0] === PEER_CAP) await this.leaveMember(a);
    return toResult(reply, a);
  }

  private joinMember(a: SharedAnnounce): Promise<number> {
    const cutoff = String(expireBefore(a.now, a.interval));
    const leeching = isLeeching(a) ? '1' : '0';
    return this.scripts.seedkeepMemberJoin(this.memberKey(a.userId), this.leechKey(a.userId), memberEntry(a), String(a.now), cutoff, String(a.maxPeersPerMember), String(a.releaseId), String(a.downloadSlots), leeching);
  }

  /** A peer leaving its swarm (stopped, or no longer listed): out of the member's sets. */
  private async leaveMember(a: SharedAnnounce): Promise<void> {
    const left = [this.redis.zrem(this.memberKey(a.userId), memberEntry(a))];
    if (a.downloadSlots > 0) left.push(this.redis.zrem(this.leechKey(a.userId), String(a.releaseId)));
    await Promise.all(left);
  }

  /**
   * Re-scores the peer's entries where they are (never adds one: joining is the script's) and
   * keeps the sets alive; a release it no longer leeches frees its slot.
   */
  private async touchMember(a: SharedAnnounce): Promise<void> {
    const ttl = a.now - expireBefore(a.now, a.interval);
    const key = this.memberKey(a.userId);
    const touched: Promise<unknown>[] = [this.redis.zadd(key, 'XX', a.now, memberEntry(a)), this.redis.pexpire(key, ttl)];
    if (a.downloadSlots > 0) {
      const leech = this.leechKey(a.userId);
      if (isLeeching(a)) touched.push(this.redis.zadd(leech, 'XX', a.now, String(a.releaseId)), this.redis.pexpire(leech, ttl));
      else touched.push(this.redis.zrem(leech, String(a.releaseId)));
    }
    await Promise.all(touched);
  }

  private runAnnounce(a: SharedAnnounce, checkMember: boolean): Promise<AnnounceReply> {
    const compact4 = a.family === 4 ? compactV4(a.ip, a.port) : EMPTY;
    const compact6 = a.family === 6 ? compactV6(a.ip, a.port) : EMPTY;
    return this.scripts.seedkeepAnnounceBuffer(
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
      checkMember ? '1' : '0',
    );
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
        const n = await this.scripts.seedkeepSweep(...keys, String(cutoff), String(SWEEP_LIMIT), release);
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

/** Holds a download slot (as the memory mode's perks.ts): not a seeder, not leaving. */
function isLeeching(a: SharedAnnounce): boolean {
  return a.left !== 0n && a.event !== 'stopped' && a.listable;
}

/** A peer in its member's set: `<release id>:<peer_id hex>`. */
function memberEntry(a: SharedAnnounce): string {
  return `${a.releaseId}:${a.peerId.toString('hex')}`;
}

function refusal(refused: 'peer-cap' | 'member-cap' | 'slots'): SharedAnnounceResult {
  return { refused, seeders: 0, leechers: 0, compact4: EMPTY, compact6: EMPTY, early: false, boundary: false, entryId: '' };
}

function toResult(reply: AnnounceReply, a: SharedAnnounce): SharedAnnounceResult {
  const code = reply[0];
  if (code === PEER_CAP) return refusal('peer-cap');
  const { compact4, compact6, peerIds4, peerIds6 } = addressesOf(reply[3] ?? EMPTY, a.peerFamily, a.withPeerIds === true);
  return {
    refused: code === 1 ? 'leech' : null,
    seeders: Number(reply[1] ?? 0),
    leechers: Number(reply[2] ?? 0),
    compact4,
    compact6,
    peerIds4,
    peerIds6,
    early: reply[4] === 1,
    boundary: reply[5] === 1,
    entryId: (reply[6] ?? EMPTY).toString(),
  };
}

interface Addresses {
  compact4: Buffer;
  compact6: Buffer;
  peerIds4?: string[];
  peerIds6?: string[];
}

/**
 * The compact addresses of the picked list members, given one after the other (record-lua.ts:
 * a header byte, bit 1 an IPv4 address of 6 bytes, bit 2 an IPv6 one of 18, then the peer's
 * field, "<member id>:<40 hex digits>"), of the wanted family only, and their peer ids when asked.
 */
function addressesOf(members: Buffer, family: 4 | 6 | undefined, withPeerIds: boolean): Addresses {
  if (members.length === 0) return { compact4: EMPTY, compact6: EMPTY };
  const four = Buffer.allocUnsafe(Math.ceil(members.length / 7) * 6);
  const six = family === 4 ? EMPTY : Buffer.allocUnsafe(Math.ceil(members.length / 19) * 18);
  const ids4: string[] | undefined = withPeerIds ? [] : undefined;
  const ids6: string[] | undefined = withPeerIds ? [] : undefined;
  let n4 = 0;
  let n6 = 0;
  for (let at = 0; at < members.length; ) {
    const head = members[at];
    const v6 = head & 1 ? at + 7 : at + 1;
    const colon = members.indexOf(COLON, head & 2 ? v6 + 18 : v6);
    if (colon < 0) break;
    const id = withPeerIds ? Buffer.from(members.toString('latin1', colon + 1, colon + 41), 'hex').toString('latin1') : '';
    if (head & 1 && family !== 6) {
      n4 += members.copy(four, n4, at + 1, at + 7);
      ids4?.push(id);
    }
    if (head & 2 && family !== 4) {
      n6 += members.copy(six, n6, v6, v6 + 18);
      ids6?.push(id);
    }
    at = colon + 41;
  }
  return { compact4: n4 === 0 ? EMPTY : four.subarray(0, n4), compact6: n6 === 0 ? EMPTY : six.subarray(0, n6), peerIds4: ids4, peerIds6: ids6 };
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
