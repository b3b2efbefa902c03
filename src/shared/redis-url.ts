// REDIS_URL forms (docs/scaling.md): `redis://host:port/db` or `rediss://` for a single Redis,
// `redis+cluster://host1:port1,host2:port2` for a Redis Cluster (any of its nodes). Parsed
// here without the client, so the config can check it at boot (src/config.ts).

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

/** What is wrong with a REDIS_URL, or null when it is usable. */
export function redisUrlProblem(url: string): string | null {
  if (isClusterUrl(url)) {
    const nodes = clusterNodes(url);
    if (nodes.length === 0) return 'must name at least one node after redis+cluster://';
    const bad = nodes.find((node) => !Number.isInteger(node.port) || node.port < 1 || node.port > 65535);
    return bad ? `has a node with a bad port (${bad.host})` : null;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a valid URL (e.g. redis://127.0.0.1:6379)';
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') return 'must start with redis://, rediss:// or redis+cluster://';
  if (!parsed.hostname) return 'must name a host';
  return null;
}
