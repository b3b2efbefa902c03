// Ratio watch and the leech right, as one pure decision per member. The job feeds it the
// member's stored state and writes back whatever differs, so running it twice changes nothing.
//
// - ratio below the requirement: put on watch for `watchDays` (remembering downloaded at start);
// - on watch and downloaded more than the allowance since, or the deadline passed while still
//   low: the leech right is withdrawn (by 'ratio') and the watch ends;
// - ratio back at or above the requirement: the watch ends and a right the policy withdrew
//   returns. A moderator's withdrawal ('staff') is never undone here.
// - `hnrMaxMarks` active hit-and-run marks withdraw the right too (by 'hnr'); the ratio reason
//   wins when both apply, because it is the one that needs the member to act first.
import type { PolicySettings } from '../settings.js';
import { gibToBytes, meetsRequirement } from './ratio-table.js';

const DAY_MS = 86_400_000;

export type WithdrawnBy = 'ratio' | 'hnr' | 'staff' | null;

export interface AccountState {
  uploaded: bigint;
  downloaded: bigint;
  canLeech: boolean;
  leechWithdrawnBy: WithdrawnBy;
  watchStartedAt: Date | null;
  watchDeadline: Date | null;
  watchDownloaded: bigint | null;
}

export interface AccountFacts {
  requiredRatio: number;
  activeHitAndRuns: number;
}

export type PolicyEvent =
  | { action: 'watch_start'; reason: string }
  | { action: 'watch_end'; reason: string }
  | { action: 'leech_withdraw'; reason: string }
  | { action: 'leech_restore'; reason: string };

export interface AccountDecision {
  next: AccountState;
  events: PolicyEvent[];
}

type Watch = Pick<AccountState, 'watchStartedAt' | 'watchDeadline' | 'watchDownloaded'>;
const NO_WATCH: Watch = { watchStartedAt: null, watchDeadline: null, watchDownloaded: null };

/** Why the ratio rules withdraw leeching now, or null. */
function ratioBreach(state: AccountState, settings: PolicySettings, now: number): string | null {
  if (!state.watchDeadline) return null;
  const since = state.downloaded - (state.watchDownloaded ?? state.downloaded);
  if (since > gibToBytes(settings.watchAllowanceGiB)) {
    return `Downloaded more than ${settings.watchAllowanceGiB} GiB while on ratio watch`;
  }
  if (now >= state.watchDeadline.getTime()) return 'Ratio watch ended with the ratio still below the requirement';
  return null;
}

function decideWatch(state: AccountState, facts: AccountFacts, settings: PolicySettings, now: number, events: PolicyEvent[]) {
  const ok = meetsRequirement(state.uploaded, state.downloaded, facts.requiredRatio);
  const current: Watch = { watchStartedAt: state.watchStartedAt, watchDeadline: state.watchDeadline, watchDownloaded: state.watchDownloaded };
  if (ok) {
    if (current.watchDeadline) events.push({ action: 'watch_end', reason: 'Ratio is back above the requirement' });
    return { watch: NO_WATCH, ratioWithdrawn: false, breach: null };
  }
  if (isManual(state)) return { watch: current, ratioWithdrawn: false, breach: null };
  if (!current.watchDeadline && state.leechWithdrawnBy !== 'ratio') {
    events.push({ action: 'watch_start', reason: `Ratio below the required ${facts.requiredRatio}` });
    const deadline = new Date(now + settings.watchDays * DAY_MS);
    return { watch: { watchStartedAt: new Date(now), watchDeadline: deadline, watchDownloaded: state.downloaded }, ratioWithdrawn: false, breach: null };
  }
  const breach = ratioBreach(state, settings, now);
  if (breach) return { watch: NO_WATCH, ratioWithdrawn: true, breach };
  return { watch: current, ratioWithdrawn: state.leechWithdrawnBy === 'ratio', breach: null };
}

/** A withdrawal the policy did not make (a moderator's, or of unknown origin) is left alone. */
const isManual = (state: AccountState): boolean =>
  state.leechWithdrawnBy === 'staff' || (!state.canLeech && state.leechWithdrawnBy === null);

export function decideAccount(state: AccountState, facts: AccountFacts, settings: PolicySettings, now: number): AccountDecision {
  const events: PolicyEvent[] = [];
  const { watch, ratioWithdrawn, breach } = decideWatch(state, facts, settings, now, events);
  if (isManual(state)) return { next: { ...state, ...watch }, events };
  const hnr = settings.hnrMaxMarks > 0 && facts.activeHitAndRuns >= settings.hnrMaxMarks;
  const withdrawnBy: WithdrawnBy = ratioWithdrawn ? 'ratio' : hnr ? 'hnr' : null;
  if (withdrawnBy !== state.leechWithdrawnBy) {
    if (withdrawnBy === 'ratio') events.push({ action: 'leech_withdraw', reason: breach ?? 'Ratio below the requirement' });
    else if (withdrawnBy === 'hnr') events.push({ action: 'leech_withdraw', reason: `${facts.activeHitAndRuns} active hit-and-runs` });
    else {
      const why = state.leechWithdrawnBy === 'hnr' ? 'Hit-and-runs below the limit' : 'Ratio is back above the requirement';
      events.push({ action: 'leech_restore', reason: why });
    }
  }
  return { next: { ...state, ...watch, canLeech: withdrawnBy === null, leechWithdrawnBy: withdrawnBy }, events };
}
