// What the policy job's steps take: explicit dependencies, not the Fastify instance, so the
// app, a CLI, a worker or a spec can run them alike.
import type { Clock } from '../../clock.js';
import type { Database } from '../../db/client.js';
import type { Settings } from '../../settings.js';
import type { TrackerService } from '../../tracker/service.js';

/** The logger calls the job makes (pino's, hence Fastify's, fit). */
export interface JobLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface JobDeps {
  db: Database;
  /** flushed before the rules run; told about members whose download right changed */
  tracker: Pick<TrackerService, 'flush' | 'syncMember'>;
  clock: Clock;
  log: JobLog;
  settings: Settings;
}
