// The shared (Redis) mode against the memory mode (docs/scaling.md, "Sizing from measured
// costs"): the real server process (dist/server.js) on PostgreSQL, driven over UDP by
// bench/lib/udp-swarm.ts, in three setups on one seeded database:
//   memory  one process, swarms in its memory
//   redis×1 one process, REDIS_URL on a redis-server this section starts on a spare port
//   redis×2 two processes on that Redis, each sent half of the peers (as a load balancer would)
// Each setup: a round of `started` announces (new peers), then measured rounds of plain
// announces with higher counters and numwant 50. Reported per setup: announces/s, and CPU µs
// per announce of the Node processes, of Redis and of PostgreSQL's backends (utime + stime
// from /proc, so they do not depend on which core ran what on a shared machine).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cpuSnapshot, cpuUsed, postgresGroup, type CpuGroup } from '../lib/cpu.js';
import { loadAverage } from '../lib/machine.js';
import { prepareDatabase, reportOf, type Population } from '../lib/population.js';
import { freePort, waitForTcp } from '../lib/proc.js';
import { startServer, type ServerProcess } from '../lib/server-process.js';
import { announceAll, describeErrors, type PeerReport } from '../lib/udp-swarm.js';

/** the task's own port range for redis-server instances */
const REDIS_PORT = 7561;
const NUMWANT = 50;
const DATABASE = 'seedkeep_bench_shared';

export interface SetupResult {
  name: string;
  processes: number;
  announces: number;
  seconds: number;
  perSecond: number;
  /** CPU µs per announce */
  nodeUs: number;
  redisUs: number | null;
  postgresUs: number;
  load: string;
  errors: string;
}

export interface SharedBench {
  peers: number;
  rounds: number;
  setups: SetupResult[];
}

function log(line: string): void {
  process.stdout.write(`  ${line}\n`);
}

function* peersOf(pop: Population, round: number, event: PeerReport['event'], part: number, parts: number): Generator<PeerReport> {
  for (let p = part; p < pop.peers; p += parts) yield reportOf(pop, p, round, event);
}

async function startRedis(): Promise<{ pid: number; url: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'seedkeep-bench-redis-'));
  // AOF with fsync every second: the persistence docs/scaling.md recommends at the least
  const child = spawn('redis-server', ['--port', String(REDIS_PORT), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', dir], { stdio: 'ignore' });
  await waitForTcp(REDIS_PORT, 10_000, child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    pid: child.pid ?? -1, url: `redis://127.0.0.1:${REDIS_PORT}/0`,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function measureSetup(options: {
  name: string; pop: Population; rounds: number; servers: ServerProcess[]; groups: CpuGroup[];
}): Promise<SetupResult> {
  const { pop, servers } = options;
  const parts = servers.length;
  const round = (n: number, event: PeerReport['event']) =>
    Promise.all(servers.map((s, i) => announceAll(peersOf(pop, n, event, i, parts), { port: s.udpPort, numwant: NUMWANT })));
  await round(0, 'started');
  const before = await cpuSnapshot(options.groups);
  const t0 = performance.now();
  let announces = 0;
  const errors: string[] = [];
  for (let n = 1; n <= options.rounds; n++) {
    for (const run of await round(n, '')) {
      announces += run.answered;
      errors.push(describeErrors(run));
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const used = cpuUsed(before, await cpuSnapshot(options.groups)).seconds;
  const per = (group: string): number => ((used[group] ?? 0) * 1e6) / Math.max(1, announces);
  const result: SetupResult = {
    name: options.name, processes: parts, announces, seconds, perSecond: announces / seconds,
    nodeUs: per('node'), redisUs: used.redis === undefined ? null : per('redis'), postgresUs: per('postgres'),
    load: loadAverage(), errors: [...new Set(errors)].join('; '),
  };
  log(describeSetup(result));
  return result;
}

export async function measureShared(options: { pgUrl: string; peers: number; rounds: number }): Promise<SharedBench> {
  if (!options.pgUrl) throw new Error('the shared mode needs PostgreSQL: set DATABASE_URL');
  const pop: Population = { peers: options.peers, members: Math.max(1, Math.ceil(options.peers / 10)), releases: Math.max(1, Math.ceil(options.peers / 100)) };
  const prepared = await prepareDatabase({ pgUrl: options.pgUrl, name: DATABASE, members: pop.members, releases: pop.releases });
  const redis = await startRedis();
  const setups: SetupResult[] = [];
  const nodeGroup = (servers: ServerProcess[]): CpuGroup => ({ name: 'node', pids: async () => servers.map((s) => s.pid) });
  const pg = postgresGroup(options.pgUrl, DATABASE);
  const redisGroup: CpuGroup = { name: 'redis', pids: async () => [redis.pid] };
  const dirs: string[] = [];
  const start = (extra: Record<string, string>) => {
    dirs.push(mkdtempSync(path.join(tmpdir(), 'seedkeep-bench-shared-')));
    return startServer({ dataDir: dirs.at(-1)!, databaseUrl: prepared.databaseUrl, port: freePort(), udpPort: freePort(), extra });
  };
  const run = async (name: string, servers: ServerProcess[], groups: CpuGroup[]): Promise<void> => {
    try {
      setups.push(await measureSetup({ name, pop, rounds: options.rounds, servers, groups }));
    } finally {
      for (const s of servers) await s.stop();
    }
  };
  try {
    log(`${pop.peers} peers, ${pop.members} members, ${pop.releases} releases seeded in ${prepared.seedSeconds.toFixed(0)} s`);
    const memory = [await start({})];
    await run('memory, 1 process', memory, [nodeGroup(memory), pg]);
    // a fresh key prefix per setup: its swarms start empty, as the memory mode's did
    const shared = (prefix: string) => ({ REDIS_URL: redis.url, REDIS_PREFIX: prefix, TRACKER_SECRET: 't'.repeat(64), SESSION_SECRET: 's'.repeat(64) });
    const one = [await start(shared('bench1'))];
    await run('Redis, 1 process', one, [nodeGroup(one), redisGroup, pg]);
    const two = await Promise.all([start(shared('bench2')), start(shared('bench2'))]);
    await run('Redis, 2 processes', two, [nodeGroup(two), redisGroup, pg]);
    return { peers: pop.peers, rounds: options.rounds, setups };
  } finally {
    await redis.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    await prepared.dispose();
  }
}

export function describeSetup(s: SetupResult): string {
  const redis = s.redisUs === null ? '' : `, Redis ${s.redisUs.toFixed(0)} µs`;
  return `${s.name}: ${s.announces} announces in ${s.seconds.toFixed(1)} s (${s.perSecond.toFixed(0)}/s, load ${s.load}); ` +
    `CPU per announce: Node ${s.nodeUs.toFixed(0)} µs${redis}, PostgreSQL ${s.postgresUs.toFixed(0)} µs; ${s.errors}`;
}

/** the announce interval the projection assumes (ANNOUNCE_INTERVAL's default), s */
const INTERVAL_S = 1800;
/** Redis memory per peer with its stream entry not yet drained (docs/scaling.md) */
const REDIS_BYTES_PER_PEER = 600;
/** a master kept at half a core and 6 GB of data leaves room for peaks, failover and resharding */
const MASTER_CORE_BUDGET = 0.5;
const MASTER_BYTES = 6 * 2 ** 30;

/** Cores and Redis masters for a site of `peers`, from the measured costs of one setup. */
export function projection(s: Pick<SetupResult, 'nodeUs' | 'redisUs' | 'postgresUs'>, peers: number): string {
  const rate = peers / INTERVAL_S;
  const cores = (us: number): number => (rate * us) / 1e6;
  const redisCores = cores(s.redisUs ?? 0);
  const masters = Math.max(3, Math.ceil(redisCores / MASTER_CORE_BUDGET), Math.ceil((peers * REDIS_BYTES_PER_PEER) / MASTER_BYTES));
  return `${(peers / 1e6).toFixed(0)}M peers (${rate.toFixed(0)} announces/s at a ${INTERVAL_S / 60}-minute interval): ` +
    `tracker processes ${cores(s.nodeUs).toFixed(1)} cores, Redis ${redisCores.toFixed(1)} cores and ` +
    `${((peers * REDIS_BYTES_PER_PEER) / 2 ** 30).toFixed(1)} GiB → ${masters} masters, PostgreSQL ${cores(s.postgresUs).toFixed(1)} cores ` +
    `(before headroom: plan twice the cores for peaks)`;
}

export function describeShared(b: SharedBench): string[] {
  const shared = b.setups.find((s) => s.redisUs !== null && s.processes === 1);
  const projected = shared ? [10_000_000, 100_000_000].map((peers) => `projection from the Redis ×1 costs, ${projection(shared, peers)}`) : [];
  return [`${b.peers} peers, ${b.rounds} measured rounds each, numwant ${NUMWANT}, UDP, PostgreSQL`, ...b.setups.map(describeSetup), ...projected];
}
