// One Redis client for the shared mode (docs/scaling.md), from REDIS_URL: `redis://host:port/db`
// (or `rediss://`) for a single Redis, `redis+cluster://host1:port1,host2:port2` for a Redis
// Cluster (any of its nodes; the client learns the rest). Auto-pipelining sends the commands of
// concurrent announces in one write, so many announces share a round trip.
import { Cluster, Redis } from 'ioredis';
import { clusterNodes, isClusterUrl } from './redis-url.js';

export type RedisClient = Redis | Cluster;

export { clusterNodes, isClusterUrl } from './redis-url.js';

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
