// The shared (Redis) mode's cost per announce taken apart in one process (docs/scaling.md,
// "Sizing from measured costs"): the shared core and its Redis peer store called directly, no
// sockets (the transports cost the same in both modes), on a warm population in which every
// peer is listed; then the stream drainer writing the rounds' deltas to PostgreSQL. Only CPU
// time, so the figures hold on a busy machine: Node's from process.cpuUsage(), redis-server's
// and PostgreSQL's backends' from /proc (utime + stime), and Redis's own accounting of the
// announce script (INFO commandstats, usec_per_call of EVALSHA).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeClock } from '../../src/clock.js';
import { openPostgres } from '../../src/db/driver.js';
import { loadTrackerState } from '../../src/db/tracker-load.js';
import { connectRedis } from '../../src/shared/redis-connect.js';
import { RedisPeerStore } from '../../src/shared/redis-peer-store.js';
import { createStreamDrainer } from '../../src/shared/stream-drainer.js';
import { Catalog } from '../../src/tracker/core/catalog.js';
import { SharedTrackerCore } from '../../src/tracker/core/shared-core.js';
import { defaultPolicy } from '../../src/tracker/core/tracker-policy.js';
import type { AnnounceRequest } from '../../src/tracker/core/types.js';
import { cpuSnapshot, cpuUsed, postgresGroup, processGroup } from '../lib/cpu.js';
import { infoHashOf, passkeyOf } from '../lib/fixture.js';
import { loadAverage } from '../lib/machine.js';
import { placeOf, prepareDatabase, reportOf, type Population } from '../lib/population.js';
import { waitForTcp } from '../lib/proc.js';
import { peerIdOf, type PeerReport } from '../lib/udp-swarm.js';

/** in this section's own port range */
const REDIS_PORT = 7301;
const DATABASE = 'seedkeep_bench_shared_cost';
const NUMWANT = 50;
/** announces in flight, as a busy UDP socket has them */
const WINDOW = 256;
const ROUND_MS = 30 * 60_000;

export interface SharedCost {
  peers: number;
  swarms: number;
  rounds: number;
  announces: number;
  /** CPU µs per announce */
  nodeAnnounce: number;
  redisAnnounce: number;
  /** INFO commandstats: the script's own µs per call */
  scriptPerCall: number;
  /** CPU µs per drained entry */
  nodeDrain: number;
  redisDrain: number;
  postgresDrain: number;
  /** Redis used_memory per peer, warm and drained; and with one round's entries undrained */
  bytesPerPeer: number;
  bytesPerPeerUndrained: number;
  load: string;
}

function log(line: string): void {
  process.stdout.write(`  ${line}\n`);
}

async function startRedis(port: number): Promise<{ pid: number; url: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'seedkeep-bench-cost-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', dir], { stdio: 'ignore' });
  await waitForTcp(port, 10_000, child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    pid: child.pid ?? -1, url: `redis://127.0.0.1:${port}/0`,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Peer p's announce at `round`, as the UDP transport would hand it to the core. */
function requestOf(pop: Population, p: number, round: number, event: PeerReport['event']): AnnounceRequest {
  const { member, release } = placeOf(pop, p);
  const report = reportOf(pop, p, round, event);
  return {
    passkey: passkeyOf(member), infoHash: infoHashOf(release), peerId: Buffer.from(peerIdOf(p), 'latin1'),
    port: 1025 + (p % 60_000), uploaded: report.uploaded, downloaded: report.downloaded, left: report.left, event,
    numwant: NUMWANT, key: (p * 2_654_435_761 >>> 0).toString(16).toUpperCase(), ip: `10.${(p >> 16) & 255}.${(p >> 8) & 255}.${p & 255}`,
    family: 4, transport: 'udp', peerFamily: 4,
  };
}

async function announceRound(core: SharedTrackerCore, requests: AnnounceRequest[]): Promise<void> {
  for (let i = 0; i < requests.length; i += WINDOW) {
    await Promise.all(requests.slice(i, i + WINDOW).map((r) => core.announce(r)));
  }
}

/** `cmdstat_<name>:calls=…,usec=…` of INFO commandstats. */
function commandStat(info: string, name: string): { calls: number; usec: number } {
  const m = new RegExp(`cmdstat_${name}:calls=(\\d+),usec=(\\d+)`).exec(info);
  return { calls: Number(m?.[1] ?? 0), usec: Number(m?.[2] ?? 0) };
}

function usedMemory(info: string): number {
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

function nodeSeconds(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e6;
}

export async function measureSharedCost(options: { pgUrl: string; peers: number; swarms: number; rounds: number }): Promise<SharedCost> {
  if (!options.pgUrl) throw new Error('the shared mode drains into PostgreSQL: set DATABASE_URL');
  const pop: Population = { peers: options.peers, members: Math.max(1, Math.ceil(options.peers / 10)), releases: options.swarms };
  const prepared = await prepareDatabase({ pgUrl: options.pgUrl, name: DATABASE, members: pop.members, releases: pop.releases });
  const redisServer = await startRedis(REDIS_PORT);
  const redis = connectRedis(redisServer.url);
  const { driver: sql } = openPostgres(prepared.databaseUrl, 4);
  try {
    const clock = new FakeClock(Date.now());
    const catalog = new Catalog();
    const state = await loadTrackerState(sql, { now: clock.now() });
    for (const user of state.users) catalog.setUser(user);
    for (const { snatched: _n, seeders: _s, leechers: _l, ...release } of state.releases) catalog.setRelease(release);
    const policy = defaultPolicy({ announceInterval: 1800, minInterval: 300 });
    const store = new RedisPeerStore(redis, { prefix: 'cost', shards: 64 });
    const core = new SharedTrackerCore({ catalog, clock, policy, store });
    const drainer = createStreamDrainer({ store, sql, consumer: 'bench', claimIdleMs: 60_000, now: () => clock.now() });
    await drainer.prepare();
    const round = (n: number, event: PeerReport['event']): AnnounceRequest[] => Array.from({ length: pop.peers }, (_, p) => requestOf(pop, p, n, event));
    await announceRound(core, round(0, 'started'));
    await drainer.drainOnce();
    const warm = usedMemory(await redis.info('memory'));
    const redisGroup = processGroup('redis', redisServer.pid);
    const pg = postgresGroup(options.pgUrl, DATABASE);
    const totals = { nodeA: 0, redisA: 0, script: { calls: 0, usec: 0 }, nodeD: 0, redisD: 0, pgD: 0, entries: 0, announces: 0, undrained: 0 };
    for (let n = 1; n <= options.rounds; n++) {
      clock.advance(ROUND_MS);
      const requests = round(n, '');
      await redis.config('RESETSTAT');
      const r0 = await cpuSnapshot([redisGroup]);
      const n0 = process.cpuUsage();
      await announceRound(core, requests);
      totals.nodeA += nodeSeconds(n0);
      totals.redisA += cpuUsed(r0, await cpuSnapshot([redisGroup])).seconds.redis ?? 0;
      const stats = await redis.info('commandstats');
      for (const name of ['evalsha', 'eval', 'fcall']) {
        const s = commandStat(stats, name);
        totals.script.calls += s.calls;
        totals.script.usec += s.usec;
      }
      totals.announces += requests.length;
      totals.undrained = usedMemory(await redis.info('memory'));
      const d0 = await cpuSnapshot([redisGroup, pg]);
      const m0 = process.cpuUsage();
      const drained = await drainer.drainOnce();
      totals.nodeD += nodeSeconds(m0);
      const used = cpuUsed(d0, await cpuSnapshot([redisGroup, pg])).seconds;
      totals.redisD += used.redis ?? 0;
      totals.pgD += used.postgres ?? 0;
      totals.entries += drained.applied + drained.skipped;
      log(`round ${n}: ${requests.length} announces, ${drained.applied} entries drained (load ${loadAverage()})`);
    }
    const perAnnounce = (s: number): number => (s * 1e6) / Math.max(1, totals.announces);
    const perEntry = (s: number): number => (s * 1e6) / Math.max(1, totals.entries);
    return {
      peers: pop.peers, swarms: pop.releases, rounds: options.rounds, announces: totals.announces,
      nodeAnnounce: perAnnounce(totals.nodeA), redisAnnounce: perAnnounce(totals.redisA),
      scriptPerCall: totals.script.usec / Math.max(1, totals.script.calls),
      nodeDrain: perEntry(totals.nodeD), redisDrain: perEntry(totals.redisD), postgresDrain: perEntry(totals.pgD),
      bytesPerPeer: warm / pop.peers, bytesPerPeerUndrained: totals.undrained / pop.peers, load: loadAverage(),
    };
  } finally {
    redis.disconnect();
    await sql.close();
    await redisServer.stop();
    await prepared.dispose();
  }
}

export function describeSharedCost(c: SharedCost): string[] {
  const f = (x: number): string => x.toFixed(1);
  const node = c.nodeAnnounce + c.nodeDrain;
  const redis = c.redisAnnounce + c.redisDrain;
  return [
    `${c.peers} peers in ${c.swarms} swarms, ${c.rounds} measured rounds of re-announces (${c.announces} announces), numwant ${NUMWANT}, in-process (no transport), PostgreSQL; load ${c.load}`,
    `announce: Node ${f(c.nodeAnnounce)} µs (shared core + store call), redis-server ${f(c.redisAnnounce)} µs, of which the script ${f(c.scriptPerCall)} µs per call (commandstats)`,
    `drain, per entry: Node ${f(c.nodeDrain)} µs, redis-server ${f(c.redisDrain)} µs, PostgreSQL ${f(c.postgresDrain)} µs`,
    `total per announce: Node ${f(node)} µs, redis-server ${f(redis)} µs, PostgreSQL ${f(c.postgresDrain)} µs; sum ${f(node + redis + c.postgresDrain)} µs`,
    `Redis used_memory per peer: ${c.bytesPerPeer.toFixed(0)} B drained, ${c.bytesPerPeerUndrained.toFixed(0)} B with one round undrained`,
  ];
}
