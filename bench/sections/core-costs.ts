// The two in-process measurements of the tracker core as named sections (bench/README.md):
//   memory        [--peers=1000000]  bytes per peer (heap + ArrayBuffers, and RSS), the young-
//                                    generation collections while the peers go in, and a heap
//                                    snapshot of a tenth of the population by object kind
//   metrics-cost  [--rounds=8]       bench/metrics-core.ts: CPU per announce through the HTTP
//                                    answer path, bare core and metrics-wrapped core in
//                                    alternating rounds, the median ratio
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_CORE } from '../lib/proc.js';
import { heapBreakdown, measureMemory } from './memory.js';

const CORE_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'metrics-core.ts');
const MiB = 1024 * 1024;

/** 1M peers over 100k releases and 100k members (10 per release), or that proportion of `peers`. */
export async function describeMemory(peers: number): Promise<string[]> {
  const releases = Math.max(1, Math.round(peers / 10));
  const m = await measureMemory(peers, releases, releases, undefined, true);
  const s = m.scavenges;
  const t = m.steadyScavenges;
  const lines = [
    `${m.peers.toLocaleString('en')} active peers over ${releases.toLocaleString('en')} releases and as many members: ` +
      `heap used + ArrayBuffers ${(m.heapPerPeer).toFixed(0)} B/peer (${(m.heapBefore / MiB).toFixed(0)} → ${(m.heapAfter / MiB).toFixed(0)} MiB), ` +
      `RSS ${(m.rssPerPeer).toFixed(0)} B/peer; ${m.announcesPerSec.toFixed(0)} announces/s in-process`,
  ];
  if (s) {
    lines.push(`scavenges while they went in: ${s.count}, pause median ${s.pauseMedianMs.toFixed(1)} ms, max ${s.pauseMaxMs.toFixed(1)} ms; ` +
      `copied or promoted per scavenge: median ${(s.survivorsMedianBytes / MiB).toFixed(2)} MiB, max ${(s.survivorsMaxBytes / MiB).toFixed(2)} MiB`);
  }
  if (t) {
    lines.push(`then ${(Math.floor(peers / 2)).toLocaleString('en')} announces at random over them (5% a client restart): ${t.count} scavenges, pause median ${t.pauseMedianMs.toFixed(1)} ms, ` +
      `max ${t.pauseMaxMs.toFixed(1)} ms; copied or promoted per scavenge: median ${(t.survivorsMedianBytes / MiB).toFixed(2)} MiB, max ${(t.survivorsMaxBytes / MiB).toFixed(2)} MiB`);
  }
  const work = mkdtempSync(path.join(tmpdir(), 'seedkeep-memory-'));
  try {
    const h = await heapBreakdown(work, Math.round(peers / 10), Math.max(1, Math.round(releases / 10)), Math.max(1, Math.round(releases / 10)));
    const rows = h.rows.slice(0, 8).map((row) => `${row.kind} ${row.perPeer.toFixed(1)} B (${row.count.toLocaleString('en')})`);
    lines.push(`heap snapshot of ${h.peers.toLocaleString('en')} peers (whole heap, catalog included), self size per peer by kind: ${rows.join('; ')}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return lines;
}

interface CoreCost { bareNs: number; wrappedNs: number; ratio: number; wrapperNs: number }

export function describeMetricsCost(rounds: number): Promise<string[]> {
  const args = ['-c', SERVER_CORE, process.execPath, '--import', 'tsx', CORE_SCRIPT];
  return new Promise((resolve, reject) => {
    execFile('taskset', args, { env: { ...process.env, ROUNDS: String(rounds) }, timeout: 900_000, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      const line = /METRICSJSON (\{.*\})/.exec(stdout);
      if (error || !line) {
        reject(new Error(`metrics-core failed: ${error?.message ?? ''}\n${stderr}`));
        return;
      }
      const c = JSON.parse(line[1]) as CoreCost;
      const perRound = stdout.split('\n').filter((l) => l.startsWith('bare core:') || l.startsWith('with metrics:')).map((l) => l.replace(/\s+/g, ' '));
      resolve([
        `CPU per announce through the HTTP answer path (query parse, core, bencode), ${rounds} alternating rounds: ${c.bareNs.toFixed(0)} ns bare, ` +
          `${c.wrappedNs.toFixed(0)} ns with metrics: median ratio ${c.ratio.toFixed(3)} (${((c.ratio - 1) * 100).toFixed(1)} %); the wrapper alone ${c.wrapperNs.toFixed(0)} ns`,
        ...perRound,
      ]);
    });
  });
}
