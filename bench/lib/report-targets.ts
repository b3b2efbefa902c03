// The targets table: each target with what this run measured and whether it is met. Ratios
// are between rows of the same run (the machine is shared; absolute numbers move).
import type { HttpRow } from '../sections/http.js';
import { seedkeepRows, trivialCpuUs, trivialRate, type Results } from './results.js';
import { fmt } from './stats.js';

type Verdict = [target: string, measured: string, verdict: string];

const int = (v: number): string => Math.round(v).toLocaleString('en-US');

function verdict(ok: boolean | null): string {
  return ok === null ? 'not measured' : ok ? '**met**' : '**missed**';
}

/** The steady load's HTTP target: a ratio to the trivial responder, per database. */
export function httpTarget(server: string): number {
  return server.includes('Postgres') ? 0.8 : 0.6;
}

const FULL_ONLY = 'the full run only (--quick: peaks and flush on Postgres)';

function cpuTargets(r: Results, s: HttpRow): Verdict[] {
  const trivial = trivialCpuUs(r);
  const own = s.cpuUs.server;
  const embedded = !s.server.includes('Postgres');
  const out: Verdict[] = [[`seedkeep's own CPU per announce ≤ 1.25× trivial node:http's per request (steady) — ${s.server}`,
    own !== undefined && trivial ? `${fmt(own, 1)} µs / ${fmt(trivial, 1)} µs = ${(own / trivial).toFixed(2)}×${embedded ? ' (the embedded database runs in seedkeep\'s process and is included)' : ''}` : 'n/a',
    verdict(own !== undefined && trivial ? own <= 1.25 * trivial : null)]];
  if (!embedded) {
    const pg = s.cpuUs.postgres;
    out.push([`PostgreSQL CPU per announce ≤ 15 µs (steady) — ${s.server}`, pg !== undefined ? `${fmt(pg, 1)} µs${s.cpuLost ? ` (${s.cpuLost} backends ended during the run: a lower bound)` : ''}` : 'n/a', verdict(pg !== undefined ? pg <= 15 : null)]);
  }
  return out;
}

function throughputTarget(r: Results, s: HttpRow): Verdict {
  const trivial = trivialRate(r);
  const target = httpTarget(s.server);
  const x = trivial ? s.rps / trivial : NaN;
  const paired = r.paired.find((p) => p.server === s.server);
  const single = trivial ? `single runs: ${int(s.rps)} / ${int(trivial)} = ${x.toFixed(2)}×` : 'n/a';
  const measured = paired ? `**${paired.median.toFixed(2)}×** median of ${paired.ratios.length} alternating rounds (${paired.ratios.map((v) => v.toFixed(2)).join(', ')}); ${single}` : single;
  return [`HTTP announce (steady) ≥ ${target}× trivial node:http — ${s.server}`, measured, verdict(paired ? paired.median >= target : trivial ? x >= target : null)];
}

function latencyTarget(r: Results, s: HttpRow): Verdict {
  const l = r.latency.find((row) => row.server === s.server);
  const rounds = l && l.roundP99s.length > 1 ? `, median of ${l.roundP99s.length} rounds (${l.roundP99s.map((v) => fmt(v, 2)).join(', ')})` : '';
  return [`p99 ≤ 10 ms at 50% of peak (steady) — ${s.server}`, l ? `p99 ${fmt(l.p99Ms, 2)} ms at ${int(l.rps)} req/s (target ${int(l.targetRate)})${rounds}` : r.quick ? FULL_ONLY : 'n/a', verdict(l ? l.p99Ms <= 10 : null)];
}

function udpTarget(r: Results, s: HttpRow): Verdict {
  const udp = r.udp.find((u) => u.server === s.server);
  const ot = r.udp.find((u) => u.server.startsWith('opentracker'));
  const measured = udp ? `${int(udp.rps)} / ${int(s.rps)} = ${(udp.rps / s.rps).toFixed(2)}×${ot ? `; ${(udp.rps / ot.rps).toFixed(2)}× opentracker's UDP (${int(ot.rps)}/s)` : ''}` : r.quick ? FULL_ONLY : 'n/a';
  return [`UDP announce ≥ 3× its HTTP (steady) — ${s.server}`, measured, verdict(udp ? udp.rps >= 3 * s.rps : null)];
}

function otherTargets(r: Results): Verdict[] {
  const out: Verdict[] = [];
  const m = r.memory;
  out.push(['≤ 200 bytes per peer at 1M peers', m ? `${fmt(m.heapPerPeer, 0)} B heap/peer, ArrayBuffers included (${fmt(m.rssPerPeer, 0)} B RSS/peer) at ${int(m.peers)} peers` : 'n/a', verdict(m ? m.heapPerPeer <= 200 : null)]);
  const mc = r.metrics;
  out.push(['metrics cost on the announce path < 3%', mc ? `on ÷ off ${mc.median.toFixed(3)} over HTTP${mc.core ? `; in-process ${mc.core.ratio.toFixed(3)}` : ''}` : 'n/a', verdict(mc ? mc.median > 0.97 : null)]);
  const f = r.flush;
  const bounded = f ? f.lagP95 <= 5000 && f.unseen === 0 && !(f.lagLate > 2 * f.lagEarly + 1000) : null;
  out.push([`flush lag ≤ 5 s at peak (all-new), no growth (${f?.database ?? 'Postgres'})`, f ? `lag p50 ${fmt(f.lagP50 / 1000, 2)} s, p95 ${fmt(f.lagP95 / 1000, 2)} s, max ${fmt(f.lagMax / 1000, 2)} s; first third ${fmt(f.lagEarly / 1000, 2)} s, last third ${fmt(f.lagLate / 1000, 2)} s${f.unseen ? `; ${f.unseen} probes never seen` : ''}` : 'n/a', verdict(bounded)]);
  const p = r.pages;
  const worst = p && p.rows.length ? Math.max(...p.rows.map((row) => row.p95)) : NaN;
  out.push(['pages p95 ≤ 50 ms at 1M releases', p && p.rows.length ? `worst p95 ${fmt(worst, 1)} ms` : p?.skipped ?? (r.quick ? 'the full run only' : 'needs DATABASE_URL'), verdict(p && p.rows.length ? worst <= 50 : null)]);
  return out;
}

export function targetsTable(r: Results): string {
  const perDatabase = seedkeepRows(r, 'steady').flatMap((s) => [...cpuTargets(r, s), throughputTarget(r, s), latencyTarget(r, s), udpTarget(r, s)]);
  const rows = [...perDatabase, ...otherTargets(r)];
  return ['| target | measured | verdict |', '|---|---|---|', ...rows.map((v) => `| ${v.join(' | ')} |`)].join('\n');
}
