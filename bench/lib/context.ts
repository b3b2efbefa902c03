// What every section of `npm run bench` shares: the results so far, the fixture, the scratch
// folder, the PostgreSQL URL and the tools; and the helpers that run a section or a server.
import type { Fixture } from './fixture.js';
import type { Load } from './load.js';
import type { Results } from './results.js';
import type { ensureTools } from './tools.js';
import type { HttpRunOptions } from '../sections/http.js';
import type { Running } from '../servers/start.js';

export const MEMBERS = 10_000;
export const RELEASES = 10_000;
export const TRACKER_DB = 'seedkeep_bench_tracker';

export interface Context {
  results: Results;
  fixture: Fixture;
  fixtureFile: string;
  whitelist: string;
  work: string;
  pgUrl: string;
  tools: ReturnType<typeof ensureTools>;
}

export function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Runs one section; a failure is recorded and the bench goes on with the next. */
export async function section(ctx: Context, name: string, fn: () => Promise<void>): Promise<void> {
  log(`\n== ${name}`);
  try {
    await fn();
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n').slice(0, 6).join(' ') : String(error);
    ctx.results.errors.push(`${name}: ${message}`);
    log(`  FAILED: ${message}`);
  }
}

export async function withServer<S extends Running>(start: () => Promise<S>, fn: (server: S) => Promise<void>): Promise<void> {
  const server = await start();
  try {
    await fn(server);
  } finally {
    await server.stop();
  }
}

export function httpOptions(ctx: Context, load: Load): HttpRunOptions {
  const d = ctx.results.durations;
  return { fixtureFile: ctx.fixtureFile, load, durationSec: d.httpSec, warmupSec: d.warmupSec, connections: 50, quietMs: d.quietMs };
}
