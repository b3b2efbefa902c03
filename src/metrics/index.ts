// Prometheus metrics (prom-client), off unless configured: METRICS_PORT serves /metrics on a
// listener of its own (keep that port off the internet; the compose profile scrapes it on the
// private network), METRICS_TOKEN serves it on the public port behind a bearer token. Off by
// default because the numbers describe the site's activity and nothing should be published by
// surprise; when off, announces go to the core unwrapped and pay nothing.
import { timingSafeEqual, createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import type { TrackerCore } from '../tracker/types.js';
import { createRegistry } from './collectors.js';
import { TrackerTally, type Transport } from './tracker-tally.js';

export interface Metrics {
  registry: Registry;
  tally: TrackerTally;
  /** the tracker core wrapped to count into the tally; scrapes are labelled `transport` */
  core(transport: Transport): TrackerCore;
}

export const metricsEnabled = (config: { metricsPort: number; metricsToken: string }): boolean => config.metricsPort > 0 || config.metricsToken !== '';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Constant-time comparison of the bearer token (hashes first: equal lengths). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = typeof header === 'string' && /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, '').trim() : '';
  return given !== '' && timingSafeEqual(digest(given), digest(token));
}

/** Route pattern labels: never the URL (it carries passkeys and tokens). */
const routeLabel = (request: FastifyRequest): string => request.routeOptions.url ?? 'unmatched';

/**
 * Wraps the tracker core and times every Fastify request. Called from buildApp before the
 * routes are registered, so the hook sees them all.
 */
export function installMetrics(app: FastifyInstance): Metrics {
  const tally = new TrackerTally();
  const engineCore = app.tracker.core;
  const { registry, requestDuration } = createRegistry({ tally, tracker: app.tracker, db: app.db, clock: app.clock, fastPath: () => app.trackerFastPath ?? null });
  app.tracker.core = tally.wrap(engineCore, 'http');
  app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const status = `${Math.floor(reply.statusCode / 100)}xx`;
    requestDuration.observe({ method: request.method, route: routeLabel(request), status_class: status }, reply.elapsedTime / 1000);
  });
  return { registry, tally, core: (transport) => tally.wrap(engineCore, transport) };
}

/** GET /metrics on the public port, for METRICS_TOKEN. */
export async function metricsRoute(app: FastifyInstance, metrics: Metrics, token: string): Promise<void> {
  app.get('/metrics', async (request, reply) => {
    reply.header('Cache-Control', 'no-store');
    if (!bearerMatches(request.headers.authorization, token)) {
      return reply.code(401).header('WWW-Authenticate', 'Bearer').type('text/plain').send('Send Authorization: Bearer <METRICS_TOKEN>\n');
    }
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}

/** The METRICS_PORT listener: GET /metrics and nothing else (a bearer token too when set). */
export async function startMetricsServer(metrics: Metrics, options: { port: number; host: string; token?: string }): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (request.method !== 'GET' || path !== '/metrics') return void response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: GET /metrics\n');
    if (options.token && !bearerMatches(request.headers.authorization, options.token)) return void response.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' }).end('Unauthorized\n');
    metrics.registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' }).end(text),
      () => response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n'),
    );
  });
  server.listen(options.port, options.host);
  await once(server, 'listening');
  const address = server.address();
  return {
    server,
    port: typeof address === 'object' && address ? address.port : options.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
