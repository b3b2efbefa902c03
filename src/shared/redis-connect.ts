// One Redis client for the shared mode (docs/scaling.md), from REDIS_URL: `redis://host:port/db`
// (or `rediss://`) for a single Redis, `redis+cluster://host1:port1,host2:port2` for a Redis
// Cluster (any of its nodes; the client learns the rest). Auto-pipelining sends the commands of
// concurrent announces in one write, so many announces share a round trip.
import { Cluster, Redis } from 'ioredis';

export type RedisClient = Redis | Cluster;

const CLUSTER_SCHEME = 'redis+cluster:';

export function isClusterUrl(url: string): boolean {
  return url.startsWith(CLUSTER_SCHEME);
}

/** The nodes of a `redis+cluster://a:1,b:2` URL. */
export function clusterNodes(url: string): { host: string; port: number }[] {
  const list = url.slice(CLUSTER_SCHEME.length).replace(/^\/\//, '').replace(/\/.*$/, '');
  return list
    .split(',')
    .filter((node) => node !== '')
    .map((node) => {
      const [host, port] = node.split(':');
      return { host: host || '127.0.0.1', port: Number(port || 6379) };
    });
}

/**
 * `onError`: where connection errors go (the client reconnects by itself; without a listener
 * ioredis prints each one to stderr).
 */
export function connectRedis(url: string, onError?: (err: Error) => void): RedisClient {
  const client = isClusterUrl(url)
    ? new Cluster(clusterNodes(url), { enableAutoPipelining: true, redisOptions: { maxRetriesPerRequest: 2 } })
    : new Redis(url, { enableAutoPipelining: true, maxRetriesPerRequest: 2 });
  if (onError) client.on('error', onError);
  return client;
}
