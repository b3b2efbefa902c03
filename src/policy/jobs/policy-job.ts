// The ratio-policy job: every few minutes (setting jobIntervalMinutes) and on demand from the
// admin dashboard. Each step is idempotent: it compares stored state with what the rules say
// and writes only differences, logging each in moderation_log with actor null (the system).
// It takes its dependencies explicitly, so the app, a CLI, a worker or a test can run it.
// With several processes on one database it runs in one of them at a time (an advisory lock,
// docs/scaling.md); the others skip that round. Each process has its own timer, so the timer's
// run also skips when the last run (job_runs, src/db/job-runs.ts) is younger than the
// interval: N processes run it about once per interval between them, not N times. A run from
// the dashboard always runs (unless one is under way elsewhere).
import { runRecorded } from '../../db/job-runs.js';
import type { JobDeps } from './deps.js';
import { applyAccountRules, type AccountStepReport } from './accounts.js';
import { applyHitAndRuns } from './hit-and-runs.js';
import { applyClasses, grantMonthlyPerks, type ClassStepReport } from './classes.js';
import { accrueBonus, applySiteFreeleech, writeSiteStats } from './site.js';

export type { JobDeps, JobLog } from './deps.js';

export interface PolicyJobReport {
  at: string;
  hitAndRuns: { marked: number; cleared: number };
  accounts: AccountStepReport;
  classes: ClassStepReport;
  bonusPaidTo: number;
  siteFreeleech: 'ended' | 'on' | 'off';
  /** true: another process was running the job (or, for the timer, ran it within the interval): this one did nothing */
  ranElsewhere?: boolean;
}

export interface PolicyJob {
  /** Runs the job once; a call while a run is under way waits for that run instead. */
  run(): Promise<PolicyJobReport>;
  /**
   * What the timer runs: the job, unless any process ran it less than one interval ago (then
   * the report says `ranElsewhere`). A call while a run is under way waits for that run.
   */
  runDue(): Promise<PolicyJobReport>;
  /**
   * Schedules the job (first run after one interval) and returns the function that stops it.
   * The timer is unref'd: it never keeps the process alive on its own.
   */
  start(): () => void;
}

async function runOnce(deps: JobDeps, onlyIfDue: boolean): Promise<PolicyJobReport> {
  const now = deps.clock.now();
  const everyMs = onlyIfDue ? deps.settings.get('jobIntervalMinutes') * 60_000 : null;
  const outcome = await runRecorded(deps.db.sql, 'policy-job', { now, everyMs }, () => runSteps(deps));
  return outcome.ran ? outcome.value : skipped(deps.clock.now());
}

function skipped(now: number): PolicyJobReport {
  const accounts: AccountStepReport = { checked: 0, changed: 0, events: 0 };
  const classes = { promoted: 0, demoted: 0, granted: 0 };
  return { at: new Date(now).toISOString(), hitAndRuns: { marked: 0, cleared: 0 }, accounts, classes, bonusPaidTo: 0, siteFreeleech: 'off', ranElsewhere: true };
}

async function runSteps(deps: JobDeps): Promise<PolicyJobReport> {
  // Credit what the tracker holds in memory first, so the rules see current totals.
  await deps.tracker.flush().catch((err: unknown) => deps.log.warn({ err }, 'policy job: tracker flush failed; using stored totals'));
  const settings = deps.settings.all();
  const now = deps.clock.now();
  const hitAndRuns = await applyHitAndRuns(deps, settings, now);
  const accounts = await applyAccountRules(deps, settings, now);
  const moved = await applyClasses(deps, now);
  const classes = { ...moved, granted: await grantMonthlyPerks(deps, now) };
  const bonusPaidTo = await accrueBonus(deps, settings, now);
  const siteFreeleech = await applySiteFreeleech(deps, now);
  await writeSiteStats(deps, now);
  return { at: new Date(now).toISOString(), hitAndRuns, accounts, classes, bonusPaidTo, siteFreeleech };
}

export function createPolicyJob(deps: JobDeps): PolicyJob {
  let running: Promise<PolicyJobReport> | null = null;
  const runAs = (onlyIfDue: boolean): Promise<PolicyJobReport> => {
    running ??= runOnce(deps, onlyIfDue).finally(() => {
      running = null;
    });
    return running;
  };
  const run = (): Promise<PolicyJobReport> => runAs(false);
  const runDue = (): Promise<PolicyJobReport> => runAs(true);
  const start = (): (() => void) => {
    let timer: NodeJS.Timeout | null = null;
    let stopped = false;
    const schedule = (): void => {
      if (stopped) return;
      timer = setTimeout(tick, deps.settings.get('jobIntervalMinutes') * 60_000);
      timer.unref();
    };
    const tick = (): void => {
      runDue()
        .then((report) => {
          if (!report.ranElsewhere) deps.log.info({ policyJob: report }, 'policy job ran');
        })
        .catch((err: unknown) => deps.log.error({ err }, 'policy job failed'))
        .finally(schedule);
    };
    schedule();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  };
  return { run, runDue, start };
}
