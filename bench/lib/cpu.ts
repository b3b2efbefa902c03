// CPU time by process group over a run, from /proc/<pid>/stat (utime + stime): the server's
// own process, and PostgreSQL's backends serving the run's database, which run on whichever
// core is free. Dividing by the requests answered gives CPU µs per request for each side, a
// figure that does not depend on where the processes happened to run on a 2-core machine.
import { cpuSeconds } from './proc.js';
import { backendPids } from './pg.js';

export interface CpuGroup {
  name: string;
  pids: () => Promise<number[]>;
}

type Snapshot = Map<string, Map<number, number>>;

export async function cpuSnapshot(groups: CpuGroup[]): Promise<Snapshot> {
  const snapshot: Snapshot = new Map();
  for (const group of groups) {
    const times = new Map<number, number>();
    for (const pid of await group.pids()) {
      const seconds = cpuSeconds(pid);
      if (seconds !== null) times.set(pid, seconds);
    }
    snapshot.set(group.name, times);
  }
  return snapshot;
}

/**
 * CPU seconds each group used between two snapshots. A process that appeared in between
 * counts in full (it started during the run); one that ended in between is lost, and is
 * reported in `lost` so a row never hides it.
 */
export function cpuUsed(before: Snapshot, after: Snapshot): { seconds: Record<string, number>; lost: number } {
  const seconds: Record<string, number> = {};
  let lost = 0;
  for (const [name, end] of after) {
    const start = before.get(name) ?? new Map<number, number>();
    let sum = 0;
    for (const [pid, t] of end) sum += t - (start.get(pid) ?? 0);
    for (const pid of start.keys()) if (!end.has(pid)) lost++;
    seconds[name] = sum;
  }
  return { seconds, lost };
}

export function processGroup(name: string, pid: number): CpuGroup {
  return { name, pids: async () => [pid] };
}

/** PostgreSQL's client backends connected to `database` (listed through `adminUrl`). */
export function postgresGroup(adminUrl: string, database: string): CpuGroup {
  return { name: 'postgres', pids: () => backendPids(adminUrl, database) };
}
