// Builds the Fastify app; tests call buildApp() and use app.inject. The process concerns
// (listening, signals, the UDP socket) live in server.ts. In load order: Fastify and its
// decorators, the settings, the tracker service, start-up work, route groups, the policy job.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { systemClock, type Clock } from './clock.js';
import { installMetrics, metricsEnabled, metricsRoute, type Metrics } from './metrics/index.js';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { createMailer, type Mailer } from './mail/mailer.js';
import { createPolicyJob, type PolicyJob } from './policy/jobs/policy-job.js';
import { Settings, trackerPolicyOf, type SettingValues } from './settings.js';
import { logSerializers } from './log-redact.js';
import { createTrackerService, type TrackerService } from './tracker/service.js';
import { shareCatalogSync } from './shared/catalog-notify.js';
import { connectRedis, type RedisClient } from './shared/redis-connect.js';
import { createSharedTrackerService } from './shared/shared-service.js';
import { installFastPath, type FastPath } from './tracker/http/fast-path.js';
import { trackerHttpRoutes } from './tracker/http/routes.js';
import { ensureDefaultCategories } from './web/categories.js';
import { apiRoutes } from './web/api/index.js';
import { webRoutes } from './web/index.js';
import { installPageLane } from './web/page-lane.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** read once at start and never changed: what staff change at run time is in `settings` */
    config: Readonly<Config>;
    db: Database;
    /** staff-editable settings (src/settings.ts), loaded at boot */
    settings: Settings;
    tracker: TrackerService;
    policyJob: PolicyJob;
    /** the socket-level announce path (null behind a proxy); its counters */
    trackerFastPath: FastPath | null;
    clock: Clock;
    /** Prometheus metrics (src/metrics), null unless METRICS_PORT or METRICS_TOKEN is set */
    metrics: Metrics | null;
    /** null when SMTP_URL is not set: no mail, recovery goes through staff */
    mailer: Mailer | null;
    /** the shared mode's Redis (REDIS_URL): swarms, and the web rate limits' counters; null: memory mode */
    sharedRedis: RedisClient | null;
  }
}

export interface AppDeps {
  db: Database;
  clock?: Clock;
  /** false skips loading the tracker's state (tests that only need pages) */
  startTracker?: boolean;
  /** where log lines go instead of stdout (specs that read the log) */
  logStream?: { write(line: string): void };
}

/** Request URLs and errors are logged without passkeys or tokens (log-redact.ts). */
export function loggerOptions(config: Config, stream?: AppDeps['logStream']): FastifyServerOptions['logger'] {
  if (config.logLevel === 'silent') return false;
  const base = { level: config.logLevel, serializers: logSerializers };
  if (stream) return { ...base, stream };
  if (config.pretty) return { ...base, transport: { target: 'pino-pretty' } };
  return base;
}

export async function buildApp(config: Config, deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config, deps.logStream),
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    // Announce query strings are parsed by the tracker route itself (binary-safe, BEP 3).
    routerOptions: { ignoreTrailingSlash: true },
    bodyLimit: config.maxTorrentBytes + 1024 * 1024,
    // start-up plugins load state and migrate; on a busy host that outlasts Fastify's 10 s default
    pluginTimeout: 120_000,
  });
  const clock = deps.clock ?? systemClock;
  app.decorate('config', config);
  app.decorate('db', deps.db);
  app.decorate('clock', clock);
  // before every route: pages go before the tracker's flush on PGlite (src/db/pglite-lanes.ts)
  installPageLane(app, deps.db.sql);
  const settings = await Settings.load(deps.db.prisma, config);
  app.decorate('settings', settings);
  const mailer = createMailer(config);
  app.decorate('mailer', mailer);
  app.addHook('onClose', async () => mailer?.close());

  // REDIS_URL: the shared mode (docs/scaling.md), swarms in Redis; else swarms in memory
  const redis = config.redisUrl ? connectRedis(config.redisUrl, (err) => app.log.warn({ err }, 'Redis connection error')) : null;
  app.decorate<RedisClient | null>('sharedRedis', redis);
  const serviceOptions = { config, db: deps.db, clock, log: app.log };
  const tracker: TrackerService = redis ? createSharedTrackerService({ ...serviceOptions, redis }) : createTrackerService(serviceOptions);
  app.decorate('tracker', tracker);
  // The tracker answers with the settings' intervals, client lists and freeleech, and follows their changes.
  // the tracker follows its own settings, and the site's language for members who chose none
  const policyOf = (values: SettingValues) => ({ ...trackerPolicyOf(values), defaultLocale: values.defaultLocale });
  tracker.setPolicy(policyOf(settings.all()));
  settings.onChange((_changed, values) => tracker.setPolicy(policyOf(values)));
  if (deps.startTracker !== false) await tracker.start();
  // Several processes on one database: each one's catalog changes reach the others' catalogs.
  if (config.catalogNotify) {
    const notifier = await shareCatalogSync(tracker, { databaseUrl: config.databaseUrl, sql: deps.db.sql, log: app.log });
    app.addHook('onClose', async () => notifier.close());
  }
  // Flush the tracker's ledger (or drain its streams) before the database goes away.
  app.addHook('onClose', async () => {
    await tracker.stop();
    await redis?.quit().catch(() => redis.disconnect());
  });
  // Start-up work: a fresh site gets the default release categories.
  await ensureDefaultCategories(deps.db.prisma);

  // before the routes: its request hook must see them all; it wraps the core before the
  // transports take it
  const metrics = metricsEnabled(config) ? installMetrics(app) : null;
  app.decorate('metrics', metrics);
  if (metrics && config.metricsToken) await app.register((scope) => metricsRoute(scope, metrics, config.metricsToken));

  app.get('/healthz', async (_request, reply) => {
    const database = await deps.db.ping();
    const health = tracker.health();
    return reply.code(database ? 200 : 503).send({ status: database ? 'ok' : 'degraded', database: database ? 'up' : 'down', tracker: health });
  });

  await app.register(trackerHttpRoutes);
  // Announces over a real socket skip Node's HTTP parser and Fastify (the routes above answer
  // the same; app.inject and kept-alive connections reach them). Behind a proxy only Fastify
  // resolves X-Forwarded-For, so the fast path stays off there.
  const fastPath = config.trustedProxies.length === 0 ? installFastPath(app.server, { core: () => tracker.core, log: app.log }) : null;
  app.decorate('trackerFastPath', fastPath);
  app.addHook('preClose', async () => fastPath?.dropWaiting());
  await app.register(webRoutes);
  // Torznab and the JSON API: token-authenticated, outside the web context (no session, CSRF)
  await app.register(apiRoutes, { prefix: '/api' });
  // Ratio policy job (src/policy/jobs): scheduled once the app is ready, unref'd, stopped on close.
  const policyJob = createPolicyJob({ db: deps.db, tracker, clock, log: app.log, settings });
  app.decorate('policyJob', policyJob);
  let stopPolicyJob = (): void => {};
  app.addHook('onReady', async () => {
    stopPolicyJob = policyJob.start();
  });
  app.addHook('onClose', async () => stopPolicyJob());
  return app;
}
