// Redis for the shared-mode specs: the shared Redis on 127.0.0.1:6379 (REDIS_TEST_URL), used
// under a key prefix unique to the run and cleaned after, and a 3-node Redis Cluster started
// here with `redis-server` on spare ports (and removed after). Neither is ever flushed whole.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { connectRedis, type RedisClient } from '../../src/shared/redis-connect.js';

export const SINGLE_REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

export function uniquePrefix(): string {
  return `sktest-${randomBytes(5).toString('hex')}`;
}

/**
 * True when redis-server is installed and the shared Redis answers. Under CI (.ci/run starts
 * Redis) always true: a missing Redis fails the specs rather than skipping them.
 */
export async function redisAvailable(): Promise<boolean> {
  if (process.env.CI) return true;
  if (spawnSync('redis-server', ['--version']).status !== 0) return false;
  const client = new Redis(SINGLE_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** Deletes every key under `prefix` on each master (a cluster's keys live on all of them). */
export async function deleteKeys(client: RedisClient, prefix: string): Promise<void> {
  const nodes = 'nodes' in client ? client.nodes('master') : [client];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `{${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) await node.del(key);
    } while (cursor !== '0');
  }
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface RedisServer {
  port: number;
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** A redis-server of our own (faults: kill -9, restart); `args` add to a throwaway config. */
export async function startRedisServer(dir: string, args: string[] = [], port?: number): Promise<RedisServer> {
  port ??= await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...args], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  await waitForPing(port);
  return {
    port,
    url,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

async function waitForPing(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => {}); // refused until it listens: connect() rejects as well
    try {
      await client.connect();
      await client.ping();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      client.disconnect();
    }
  }
  throw new Error(`redis-server on ${port} did not answer`);
}

export interface RedisCluster {
  url: string;
  /** the masters, in slot order (the first holds slot 0) */
  servers: RedisServer[];
  /** SIGKILLs master `i` and starts it again on its port, directory and node file; waits for cluster_state:ok */
  restart(i: number): Promise<void>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** three ports (a spec in a fixed port range); spare ones by default */
  ports?: number[];
  /** added to every node's config, e.g. AOF */
  args?: string[];
}

/** Three masters, no replicas: `redis+cluster://` URL for connectRedis. */
export async function startRedisCluster(options: ClusterOptions = {}): Promise<RedisCluster> {
  const dir = mkdtempSync(path.join(tmpdir(), 'seedkeep-redis-cluster-'));
  const argsOf = (i: number): string[] => [
    '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${i}.conf`, '--appendonly', 'no', '--dbfilename', `dump-${i}.rdb`,
    '--appenddirname', `aof-${i}`, ...(options.args ?? []),
  ];
  const servers: RedisServer[] = [];
  for (let i = 0; i < 3; i++) servers.push(await startRedisServer(dir, argsOf(i), options.ports?.[i]));
  const nodes = servers.map((s) => `127.0.0.1:${s.port}`);
  const created = spawnSync('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8' });
  if (created.status !== 0) throw new Error(`cluster create failed: ${created.stdout}${created.stderr}`);
  await waitForClusterOk(servers.map((s) => s.port));
  return {
    url: `redis+cluster://${nodes.join(',')}`,
    servers,
    async restart(i) {
      await servers[i].stop();
      servers[i] = await startRedisServer(dir, argsOf(i), servers[i].port);
      await waitForClusterOk(servers.map((s) => s.port));
    },
    async stop() {
      for (const server of servers) await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForClusterOk(ports: number[]): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const states = ports.map((port) => spawnSync('redis-cli', ['-p', String(port), 'cluster', 'info'], { encoding: 'utf8' }).stdout);
    if (states.every((info) => info.includes('cluster_state:ok'))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the Redis Cluster did not reach cluster_state:ok');
}

export { connectRedis };
