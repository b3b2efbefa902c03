// Site-wide jobs that every process schedules on its own timer (docs/scaling.md, "Once-only
// work"): the advisory lock keeps two runs from overlapping, and the last run's start, recorded
// in job_runs inside the locked run, keeps them an interval apart, so N processes run a job
// once per interval between them, not N times.
import { runExclusive } from './advisory-lock.js';
import type { SqlDriver } from './driver.js';
import { TS } from './sql-arrays.js';

export interface RunOptions {
  /** the run's start (ms), recorded when the work succeeds */
  now: number;
  /** skip when the last recorded run is younger than this (ms); null: run regardless (a manual run) */
  everyMs: number | null;
}

/**
 * Runs `work` under the lock `name` unless another process holds it or, with `everyMs`, ran it
 * less than that ago; `{ ran: false }` when skipped. A run that fails records nothing, so the
 * next timer in any process retries it.
 */
export async function runRecorded<T>(sql: SqlDriver, name: string, options: RunOptions, work: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
  const outcome = await runExclusive(sql, name, async () => {
    if (options.everyMs !== null && !(await isDue(sql, name, options.now, options.everyMs))) return { ran: false as const };
    const value = await work();
    await sql.query(
      `INSERT INTO job_runs (name, last_run_at) VALUES ($1, ${TS('$2::float8')})
       ON CONFLICT (name) DO UPDATE SET last_run_at = EXCLUDED.last_run_at`,
      [name, options.now],
    );
    return { ran: true as const, value };
  });
  return outcome.ran ? outcome.value : { ran: false };
}

/** No recorded run of `name` in the last `everyMs`. */
async function isDue(sql: SqlDriver, name: string, now: number, everyMs: number): Promise<boolean> {
  const rows = await sql.query<{ at: number }>(`SELECT (extract(epoch FROM last_run_at) * 1000)::float8 AS at FROM job_runs WHERE name = $1`, [name]);
  return rows.length === 0 || now - Number(rows[0].at) >= everyMs;
}
