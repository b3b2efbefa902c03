// The ratio-policy job: every few minutes (settings.jobIntervalMinutes) and on demand from the
// admin dashboard. Each step is idempotent: it compares stored state with what the rules say
// and writes only differences, logging each in moderation_log with actor null (the system).
import type { FastifyInstance } from 'fastify';
import { applyAccountRules, type AccountStepReport } from './job-accounts.js';
import { applyHitAndRuns } from './job-hit-and-runs.js';
import { accrueBonus, applySiteFreeleech, writeSiteStats } from './job-site.js';
import { loadPolicySettings } from './store.js';

export interface PolicyJobReport {
  at: string;
  hitAndRuns: { marked: number; cleared: number };
  accounts: AccountStepReport;
  bonusPaidTo: number;
  siteFreeleech: 'ended' | 'on' | 'off';
}

const running = new WeakMap<FastifyInstance, Promise<PolicyJobReport>>();

async function runSteps(app: FastifyInstance): Promise<PolicyJobReport> {
  // Credit what the tracker holds in memory first, so the rules see current totals.
  await app.tracker.flush().catch((err: unknown) => app.log.warn({ err }, 'policy job: tracker flush failed; using stored totals'));
  const settings = await loadPolicySettings(app.db.prisma);
  const now = app.clock.now();
  const hitAndRuns = await applyHitAndRuns(app, settings, now);
  const accounts = await applyAccountRules(app, settings, now);
  const bonusPaidTo = await accrueBonus(app, settings, now);
  const siteFreeleech = await applySiteFreeleech(app, now);
  await writeSiteStats(app, now);
  return { at: new Date(now).toISOString(), hitAndRuns, accounts, bonusPaidTo, siteFreeleech };
}

/** Runs the job once; a call while a run is under way waits for that run instead. */
export function runPolicyJob(app: FastifyInstance): Promise<PolicyJobReport> {
  const current = running.get(app);
  if (current) return current;
  const run = runSteps(app).finally(() => running.delete(app));
  running.set(app, run);
  return run;
}

/**
 * Schedules the job (first run after one interval) and returns the function that stops it.
 * The timer is unref'd: it never keeps the process alive on its own.
 */
export function startPolicyJob(app: FastifyInstance): () => void {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const schedule = async (): Promise<void> => {
    const minutes = await loadPolicySettings(app.db.prisma).then((s) => s.jobIntervalMinutes, () => 5);
    if (stopped) return;
    timer = setTimeout(tick, minutes * 60_000);
    timer.unref();
  };
  const tick = (): void => {
    runPolicyJob(app)
      .then((report) => app.log.info({ policyJob: report }, 'policy job ran'))
      .catch((err: unknown) => app.log.error({ err }, 'policy job failed'))
      .finally(() => void schedule().catch(() => {}));
  };
  void schedule().catch(() => {});
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
