// The only file that touches the process: read the config, migrate, listen on HTTP and UDP,
// and on SIGTERM/SIGINT stop accepting, finish in-flight work, flush the ledger (for at most
// a few seconds), close the database and exit 0, all within SHUTDOWN_LIMIT_MS. With WORKERS
// above 1 this process migrates and supervises that many workers (supervisor.ts), which each
// run the same steps on the shared ports.
import cluster from 'node:cluster';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase } from './db/client.js';
import { startMetricsServer } from './metrics/index.js';
import { SHUTDOWN_LIMIT_MS } from './tracker/service.js';
import { startUdpTracker, type UdpTracker } from './tracker/udp/socket.js';
import { superviseWorkers } from './supervisor.js';

function readConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** The primary of WORKERS > 1: migrations once, before any worker opens the database. */
async function supervise(config: Config): Promise<void> {
  const db = openDatabase(config);
  await db.migrate();
  await db.close();
  superviseWorkers({ workers: config.workers, shutdownLimitMs: SHUTDOWN_LIMIT_MS });
}

async function main(): Promise<void> {
  const config = readConfigOrExit();
  if (config.workers > 1 && cluster.isPrimary) return supervise(config);
  const db = openDatabase(config);
  // a worker's primary migrated already
  const migrations = cluster.isWorker ? { applied: 0 } : await db.migrate();
  const app = await buildApp(config, { db });
  app.log.info({ applied: migrations.applied, database: db.sql.kind }, 'database ready');

  let udp: UdpTracker | undefined;
  let metricsServer: { close(): Promise<void> } | undefined;
  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    // stop() bounds its flush; this bounds the rest (a database that no longer answers)
    setTimeout(() => {
      app.log.error({ limitMs: SHUTDOWN_LIMIT_MS }, 'shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS).unref();
    const phases: Record<string, number> = {};
    let mark = performance.now();
    const phase = (name: string): void => {
      const now = performance.now();
      phases[name] = Math.round(now - mark);
      mark = now;
    };
    try {
      await udp?.close();
      await metricsServer?.close();
      phase('sockets');
      await app.close(); // stops accepting, waits for in-flight requests, flushes the ledger
      phase('app');
      await db.close();
      phase('database');
      app.log.info({ ms: phases }, 'stopped');
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'unclean shutdown');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  if (config.udpEnabled) {
    // counted as UDP by the metrics when they are on (src/metrics)
    udp = await startUdpTracker(app.metrics?.core('udp') ?? app.tracker.core, { port: config.udpPort, host: config.host, secret: config.trackerSecret, clock: app.clock, onError: (err) => app.log.error({ err }, 'UDP tracker error') });
    app.log.info({ ports: udp.ports }, 'UDP tracker listening');
  }
  if (app.metrics && config.metricsPort > 0) {
    const started = await startMetricsServer(app.metrics, { port: config.metricsPort, host: config.host, token: config.metricsToken || undefined });
    metricsServer = started;
    app.log.info({ port: started.port }, 'metrics listening on /metrics');
  }
  // A line for the operator and for tests that start the process: where to go.
  app.log.info({ url: config.baseUrl, database: db.sql.kind }, 'seedkeep is ready');
}

main().catch((error: unknown) => {
  process.stderr.write(`seedkeep failed to start: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
