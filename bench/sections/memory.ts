// Memory per peer: runs bench/memory.ts in its own process (with --expose-gc) and reads
// its MEMJSON line.
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { summariseHeap, type HeapShare } from '../lib/heap-summary.js';

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
}

export function measureMemory(peers: number, releases: number, members: number, snapshotFile?: string): Promise<MemoryResult> {
  const args = ['-c', '0', process.execPath, '--expose-gc', '--max-old-space-size=6144', '--import', 'tsx', SCRIPT, String(peers), String(releases), String(members)];
  if (snapshotFile) args.push(snapshotFile);
  return new Promise((resolve, reject) => {
    execFile('taskset', args, { maxBuffer: 1 << 20, timeout: 300_000 }, (error, stdout, stderr) => {
      const line = /MEMJSON (\{.*\})/.exec(stdout);
      if (error || !line) reject(new Error(`memory run failed: ${error?.message ?? ''}\n${stderr}`));
      else resolve(JSON.parse(line[1]) as MemoryResult);
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
