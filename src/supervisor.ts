// WORKERS=N (docs/scaling.md): the primary process runs the migrations once, then forks N
// worker processes (node:cluster) that each run the whole app and share PORT and UDP_PORT: TCP
// connections are handed out by the primary, and the UDP sockets are one handle shared by all
// (cluster's default for dgram, `exclusive: false`), so any worker may read a datagram and
// answers from the same port. UDP connection ids are HMACs keyed by TRACKER_SECRET
// (src/tracker/udp/connection-id.ts), the same in every worker: a connect answered by one
// validates in another. Swarms are shared through Redis (REDIS_URL, required above 1 worker).
//
// A worker that dies is forked again; SIGTERM or SIGINT to the primary stops every worker the
// way one process stops (src/server.ts) and exits once they all have.
import cluster, { type Worker } from 'node:cluster';

/** A worker that dies is replaced after this pause, so one that cannot start does not spin. */
const RESTART_DELAY_MS = 1000;

export interface SupervisorOptions {
  workers: number;
  /** the bound on the workers' own shutdown, after which they are killed */
  shutdownLimitMs: number;
}

/** pino-shaped lines, so the primary's log reads like the workers' */
function log(level: 'info' | 'warn' | 'error', msg: string, details: object = {}): void {
  const levels = { info: 30, warn: 40, error: 50 };
  process.stdout.write(JSON.stringify({ level: levels[level], time: Date.now(), pid: process.pid, role: 'primary', ...details, msg }) + '\n');
}

export function superviseWorkers(options: SupervisorOptions): void {
  let stopping = false;
  const fork = (): Worker => cluster.fork();
  for (let i = 0; i < options.workers; i++) fork();
  log('info', 'workers started', { workers: options.workers });

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        log('info', 'all workers stopped');
        process.exit(0);
      }
      return;
    }
    log('warn', 'worker died; starting another', { worker: worker.process.pid, code, signal });
    setTimeout(() => {
      if (!stopping) fork();
    }, RESTART_DELAY_MS);
  });

  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    log('info', 'stopping workers', { signal });
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    if (workers.length === 0) process.exit(0);
    for (const worker of workers) worker.process.kill('SIGTERM');
    // each worker bounds its own shutdown; past that (and a margin) they are killed
    setTimeout(() => {
      log('error', 'workers took too long to stop; killing them');
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
      process.exit(1);
    }, options.shutdownLimitMs + 5_000).unref();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
