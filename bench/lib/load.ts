// The announce loads the wrk script (load/announce.lua) can send, and their arguments.
// "steady" is what a tracker sees in production: a fixed population of peers, warmed first,
// re-announcing with rising counters, with a share of new peers and of stopped/started
// session changes. "all-new" makes nearly every announce a new peer of a random member and
// release: a stress load. "open" is for the open trackers (random peer_id, no passkey).
import { rmSync } from 'node:fs';

export interface SteadyLoad {
  kind: 'steady';
  /** the population's state between wrk runs (warm-up, measured run, later rounds) */
  stateFile: string;
  population: number;
  /** share of announces that are a new peer taking a leaving one's place */
  newShare: number;
  /** share of announces that are event=stopped (the peer's next one starts a new session) */
  sessionShare: number;
}

export type Load = { kind: 'open' } | { kind: 'all-new' } | SteadyLoad;

export const OPEN: Load = { kind: 'open' };
export const ALL_NEW: Load = { kind: 'all-new' };

export const STEADY_DEFAULTS = { population: 30_000, newShare: 0.05, sessionShare: 0.02 };

/** A fresh steady population (nothing announced yet) whose state lives in `stateFile`. */
export function steadyLoad(stateFile: string, shape: Partial<typeof STEADY_DEFAULTS> = {}): SteadyLoad {
  rmSync(stateFile, { force: true });
  return { kind: 'steady', stateFile, ...STEADY_DEFAULTS, ...shape };
}

/** The script's arguments after the fixture file: MODE PATH RATE [STATE POPULATION NEW SESSION]. */
export function luaArgs(load: Load, rate = 0, announcePath = '/announce'): string[] {
  const mode = load.kind === 'all-new' ? 'passkey' : load.kind;
  const args = [mode, announcePath, String(rate)];
  if (load.kind === 'steady') args.push(load.stateFile, String(load.population), String(load.newShare), String(load.sessionShare));
  return args;
}

export function describeLoad(load: Load): string {
  if (load.kind === 'steady') {
    return `steady: ${load.population.toLocaleString('en-US')} warmed peers, ${Math.round(load.newShare * 100)}% new, ${Math.round(load.sessionShare * 100)}% stopped/started`;
  }
  return load.kind === 'all-new' ? 'all-new (stress)' : 'open';
}
