// Memory per peer: runs bench/memory.ts in its own process (with --expose-gc) and reads
// its MEMJSON line.
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { summariseHeap, type HeapShare } from '../lib/heap-summary.js';
import { median } from '../lib/stats.js';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'memory.ts');

export interface MemoryResult {
  peers: number;
  releases: number;
  members: number;
  announcesPerSec: number;
  rssBefore: number;
  rssAfter: number;
  heapBefore: number;
  heapAfter: number;
  heapPerPeer: number;
  rssPerPeer: number;
  /** with traceGc: the young-generation collections while the peers went in */
  scavenges?: ScavengeSummary;
  /** and those of the steady phase after it (bench/memory.ts) */
  steadyScavenges?: ScavengeSummary;
}

/** --trace-gc-nvp's scavenges: their pauses and what each copied (survived in new space or promoted). */
export interface ScavengeSummary {
  count: number;
  pauseMedianMs: number;
  pauseMaxMs: number;
  survivorsMedianBytes: number;
  survivorsMaxBytes: number;
}

function summariseScavenges(stdout: string): ScavengeSummary | undefined {
  const pauses: number[] = [];
  const survivors: number[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.includes(' gc=s ')) continue;
    const field = (name: string): number => Number(new RegExp(`\\b${name}=([0-9.]+)`).exec(line)?.[1] ?? 0);
    pauses.push(field('pause'));
    survivors.push(field('new_space_survived') + field('promoted'));
  }
  if (pauses.length === 0) return undefined;
  return { count: pauses.length, pauseMedianMs: median(pauses), pauseMaxMs: Math.max(...pauses), survivorsMedianBytes: median(survivors), survivorsMaxBytes: Math.max(...survivors) };
}

export function measureMemory(peers: number, releases: number, members: number, snapshotFile?: string, traceGc = false): Promise<MemoryResult> {
  const args = ['-c', '0', process.execPath, '--expose-gc', '--max-old-space-size=6144', ...(traceGc ? ['--trace-gc-nvp'] : []), '--import', 'tsx', SCRIPT, String(peers), String(releases), String(members)];
  if (snapshotFile) args.push(snapshotFile);
  return new Promise((resolve, reject) => {
    execFile('taskset', args, { maxBuffer: 1 << 26, timeout: 600_000 }, (error, stdout, stderr) => {
      const line = /MEMJSON (\{.*\})/.exec(stdout);
      if (error || !line) reject(new Error(`memory run failed: ${error?.message ?? ''}\n${stderr}`));
      else {
        const [fill, steady] = stdout.split('\nSTEADY\n');
        resolve({ ...(JSON.parse(line[1]) as MemoryResult), scavenges: traceGc ? summariseScavenges(fill) : undefined, steadyScavenges: traceGc ? summariseScavenges(steady ?? '') : undefined });
      }
    });
  });
}

export interface HeapBreakdown { peers: number; releases: number; rows: (HeapShare & { perPeer: number })[] }

/** A tenth of the population (same peers per release), snapshotted: bytes per peer by object kind. */
export async function heapBreakdown(work: string, peers: number, releases: number, members: number): Promise<HeapBreakdown> {
  const file = path.join(work, 'core.heapsnapshot');
  const m = await measureMemory(peers, releases, members, file);
  const rows = summariseHeap(file).map((row) => ({ ...row, perPeer: row.bytes / m.peers }));
  rmSync(file, { force: true });
  return { peers: m.peers, releases, rows };
}
