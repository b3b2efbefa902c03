// The web rate limits (@fastify/rate-limit) count in Redis in the shared mode, so a limit holds
// across the processes behind one load balancer; in memory otherwise. A Redis that fails lets
// the request through (the limits guard against abuse, they must not take the site down).
import type { FastifyInstance } from 'fastify';

export function rateLimitStore(app: FastifyInstance): Record<string, unknown> {
  if (!app.sharedRedis) return {};
  return { redis: app.sharedRedis, nameSpace: `${app.config.redisPrefix}-rl-`, skipOnError: true };
}
