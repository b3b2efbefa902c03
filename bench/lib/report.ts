// Turns one run's Results into bench/results/latest.md and the console table.
import type { HttpRow } from '../sections/http.js';
import type { ProfileResult } from '../sections/profile.js';
import { targetsTable } from './report-targets.js';
import { seedkeepRows, trivialCpuUs, type Results } from './results.js';
import { fmt } from './stats.js';

const pct = (v: number | null | undefined): string => (v === null || v === undefined || Number.isNaN(v) ? 'n/a' : `${Math.round(v * 100)}%`);
const int = (v: number): string => Math.round(v).toLocaleString('en-US');
const mib = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;

function ratio(a: HttpRow | undefined, b: HttpRow): string {
  return a && b.rps > 0 ? `${(a.rps / b.rps).toFixed(2)}×` : '';
}

export function httpTable(r: Results): string {
  const sk = seedkeepRows(r, 'steady');
  const head = ['server', 'load', 'req/s', 'p50 ms', 'p99 ms', 'server CPU µs/req', 'PostgreSQL CPU µs/req', 'non-2xx', 'socket err', 'failure replies', 'core 0 busy', 'core 1 busy', 'wrk CPU', 'busy before', ...sk.map((s) => `${s.server} steady ÷ this`)];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const row of r.http) {
    const cells = [row.server + (row.note ? ` (${row.note})` : ''), row.loadKind, int(row.rps), fmt(row.p50Ms, 2), fmt(row.p99Ms, 2), fmt(row.cpuUs.server, 1), fmt(row.cpuUs.postgres, 1),
      String(row.statusErrors), String(row.socketErrors), String(row.failures), pct(row.serverCpu), pct(row.loadCpu), pct(row.generatorCpu), pct(row.busyBefore), ...sk.map((s) => (s === row ? '' : ratio(s, row)))];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** CPU µs per announce by process, each seedkeep row next to the trivial responder's per request. */
function cpuSection(r: Results): string {
  const trivial = trivialCpuUs(r);
  const rows = seedkeepRows(r);
  if (rows.length === 0 || trivial === null) return '_not measured_';
  const lines = [`CPU time (/proc/<pid>/stat utime + stime) over each unpaced run divided by the requests answered. The trivial node:http responder: **${fmt(trivial, 1)} µs** per request. PostgreSQL: the client backends connected to the run's database (the WAL writer and checkpointer serve every database of the shared server and are not counted). PGlite runs inside seedkeep's process, so there the database is in seedkeep's own column.`, '',
    '| server | load | seedkeep µs/announce | ÷ trivial | PostgreSQL µs/announce | together µs | ÷ trivial |', '|---|---|---|---|---|---|---|'];
  for (const s of rows) {
    const own = s.cpuUs.server ?? NaN;
    const pg = s.cpuUs.postgres;
    const sum = own + (pg ?? 0);
    lines.push(`| ${s.server} | ${s.loadKind} | ${fmt(own, 1)} | ${(own / trivial).toFixed(2)}× | ${fmt(pg, 1)}${s.cpuLost ? ` (${s.cpuLost} backends ended mid-run)` : ''} | ${fmt(sum, 1)} | ${(sum / trivial).toFixed(2)}× |`);
  }
  return lines.join('\n');
}

function metricsSection(r: Results): string {
  const m = r.metrics;
  if (!m) return '_not measured_';
  const lines = [`Two seedkeep servers (embedded database) on core 0, one with \`METRICS_TOKEN\` set (the core wrapped by the tally, the request hook on, /metrics scraped every 5 s) and one without, each with its own warmed steady population; ${m.rounds} alternating ${m.roundSec} s rounds (off, on, off, …), each "on" round divided by the mean of the "off" rounds on either side.`, '',
    '| off req/s per round | on req/s per round | on ÷ off | median |', '|---|---|---|---|',
    `| ${m.offRps.map(int).join(', ')} | ${m.onRps.map(int).join(', ')} | ${m.ratios.map((v) => v.toFixed(3)).join(', ')} | **${m.median.toFixed(3)}** |`];
  if (m.core) lines.push('', `In-process (bench/metrics-core.ts, the HTTP answer path without sockets, CPU time per announce, alternating rounds): ${fmt(m.core.bareNs, 0)} ns bare, ${fmt(m.core.wrappedNs, 0)} ns with metrics, median ratio **${m.core.ratio.toFixed(3)}**; the wrapper alone ${fmt(m.core.wrapperNs, 0)} ns per announce.`);
  return lines.join('\n');
}

function udpTable(r: Results): string {
  if (r.udp.length === 0) return '_not measured_';
  const lines = ['| server | load | announces/s | connects/s | p50 ms | p99 ms | error packets | retries (1 s timeouts) | core 0 busy | core 1 busy | generator CPU |', '|---|---|---|---|---|---|---|---|---|---|---|'];
  for (const u of r.udp) {
    const connects = u.connects === undefined ? '?' : int((u.connects / u.announces) * u.rps);
    lines.push(`| ${u.server} | ${u.steady ? 'steady' : 'random pairs'} | ${int(u.rps)} | ${connects} | ${fmt(u.p50Ms, 2)} | ${fmt(u.p99Ms, 2)} | ${u.errors} | ${u.retries} | ${pct(u.serverCpu)} | ${pct(u.loadCpu)} | ${pct(u.generatorCpu)} |`);
  }
  const err = r.udp.find((u) => u.firstError);
  if (err) lines.push('', `First error packet from ${err.server}: \`${err.firstError.slice(0, 200)}\``);
  return lines.join('\n');
}

function latencySection(r: Results): string {
  if (r.latency.length === 0) return '_not measured_';
  const d = r.durations;
  const lines = [`wrk paced with \`delay()\` (a 1/rate schedule on a monotonic clock; wrk2 is not in Debian) to half of the peak measured just before, same load otherwise; ${d.latencyRounds} round(s) of ${d.latencySec} s, the row is the median round by p99.`, '',
    '| server | target req/s | achieved | p50 ms | p90 ms | p99 ms | p99 of each round | max ms | core 0 busy | GC pauses in the round: count, median, max ms | event-loop delay max ms |', '|---|---|---|---|---|---|---|---|---|---|---|'];
  for (const l of r.latency) {
    const p = l.pauses;
    lines.push(`| ${l.server} | ${int(l.targetRate)} (50% of ${int(l.peak)}) | ${int(l.rps)} | ${fmt(l.p50Ms, 2)} | ${fmt(l.p90Ms, 2)} | ${fmt(l.p99Ms, 2)} | ${l.roundP99s.map((v) => fmt(v, 2)).join(', ')} | ${fmt(l.maxMs, 1)} | ${pct(l.serverCpu)} | ${p ? `${p.gcCount}, ${fmt(p.gcMedianMs, 1)}, ${fmt(p.gcMaxMs, 1)}` : '?'} | ${p ? fmt(p.loopMaxMs, 1) : '?'} |`);
  }
  lines.push('', 'A request that arrives during a GC pause or a long synchronous task waits it out, and so does the queue behind it: the last two columns are what the p99 of that round sat behind (GET /bench/pauses of the harness, the median round).');
  return lines.join('\n');
}

/** CPU µs per request by group: the trivial responder next to each profiled seedkeep. */
function perRequestTable(r: Results): string {
  const all = [...(r.trivialProfile ? [r.trivialProfile] : []), ...r.profiles];
  const groups = [...new Set(all.flatMap((p) => p.summary.byGroup.map((g) => g.name)))];
  const us = (p: ProfileResult, group: string): string => {
    const g = p.summary.byGroup.find((x) => x.name === group);
    return g ? fmt((g.ms * 1000) / p.requests, 1) : '0';
  };
  const totals = all.map((p) => fmt((p.summary.totalMs * 1000) / p.requests, 1));
  return ['CPU time per announce (µs), from the V8 sampling profiler (node --cpu-prof for the trivial responder; the same profiler started by signal after seeding for seedkeep), 8 s of the same wrk load each:', '',
    `| | ${all.map((p) => `${p.label} (${int(p.rps)} req/s)`).join(' | ')} |`, `|---|${all.map(() => '---').join('|')}|`,
    ...groups.map((g) => `| ${g} | ${all.map((p) => us(p, g)).join(' | ')} |`),
    `| **total** | ${totals.join(' | ')} |`].join('\n');
}

function pairedSection(r: Results): string {
  if (r.paired.length === 0) return '_not measured_';
  const lines = ['Both servers up on core 0, wrk alternating between them. After each seedkeep round the bench waits until /healthz shows no pending ledger entries, so its flush does not land in the next trivial round, and charges that flush to the round: seedkeep req/s = requests / (round + flush time after it). Each seedkeep round is divided by the mean of the trivial rounds before and after it.', '',
    '| seedkeep | trivial req/s per round | seedkeep req/s per round | ratios | median |', '|---|---|---|---|---|'];
  for (const p of r.paired) lines.push(`| ${p.server} | ${p.trivialRps.map(int).join(', ')} | ${p.seedkeepRps.map(int).join(', ')} | ${p.ratios.map((v) => v.toFixed(2)).join(', ')} | ${p.median.toFixed(2)}× |`);
  return lines.join('\n');
}

/** Shows the load generators were not what limited the rows (or says which row they did). */
function headroomSection(r: Results): string {
  const lines: string[] = [];
  // a row where wrk used 90% of its core or more was limited by wrk: its rate is a lower bound
  const bound = r.http.filter((h) => (h.generatorCpu ?? 0) >= 0.9);
  const free = r.http.filter((h) => (h.generatorCpu ?? 0) < 0.9);
  for (const h of bound) lines.push(`- wrk used ${pct(h.generatorCpu)} of its core on the ${h.server} row: ${int(h.rps)} req/s is a lower bound for ${h.server}.`);
  if (free.length > 0) {
    const fastest = [...free].sort((a, b) => b.rps - a.rps)[0];
    lines.push(`- ${bound.length > 0 ? 'Every other' : 'Every'} HTTP row (at most ${int(fastest.rps)} req/s, wrk at ${free.map((h) => pct(h.generatorCpu)).join(', ')} of its core) ran below what wrk can drive: wrk was not their bottleneck.`);
  }
  for (const u of r.udp) {
    if ((u.generatorCpu ?? 0) >= 0.9) lines.push(`- UDP generator saturated its core on the ${u.server} row (${pct(u.generatorCpu)}): ${int(u.rps)} announces/s is a lower bound for ${u.server}.`);
    else if ((u.serverCpu ?? 1) < 0.9 && (u.loadCpu ?? 0) >= 0.8) {
      // the generator's own CPU is not all that runs on the load core: PostgreSQL's backends
      // (the flush) are not pinned, and a busy load core delays the generator's replies
      lines.push(`- UDP generator on the ${u.server} row used ${pct(u.generatorCpu)} of its core, but that core was ${pct(u.loadCpu)} busy ` +
        `(other processes, such as PostgreSQL's flush work, run there too) while the server's core was ${pct(u.serverCpu)}: the server was not saturated, ` +
        `so ${int(u.rps)} announces/s is a lower bound for ${u.server}.`);
    } else lines.push(`- UDP generator on the ${u.server} row used ${pct(u.generatorCpu)} of its core: not the bottleneck.`);
  }
  return lines.join('\n');
}

function memorySection(r: Results): string {
  const m = r.memory;
  if (!m) return '_not measured_';
  return [`${int(m.peers)} active peers over ${int(m.releases)} releases and ${int(m.members)} members, put in with TrackerEngine.announce (${int(m.announcesPerSec)} announces/s in-process, one core).`, '',
    '| | before | after | per peer |', '|---|---|---|---|',
    `| heap used + ArrayBuffers | ${mib(m.heapBefore)} | ${mib(m.heapAfter)} | ${fmt(m.heapPerPeer, 0)} B |`,
    `| RSS | ${mib(m.rssBefore)} | ${mib(m.rssAfter)} | ${fmt(m.rssPerPeer, 0)} B |`,
    '', '"before" already holds the catalog (members and releases); the difference is the swarms.', heapTable(r)].join('\n');
}

function heapTable(r: Results): string {
  const h = r.heap;
  if (!h) return '';
  return ['', `Where it goes: a heap snapshot of ${int(h.peers)} peers over ${int(h.releases)} releases (the same 10 peers per release), self size by object kind (the whole heap, catalog included):`, '',
    '| object kind | count | bytes per peer |', '|---|---|---|', ...h.rows.map((row) => `| ${row.kind} | ${int(row.count)} | ${fmt(row.perPeer, 1)} |`)].join('\n');
}

function flushSection(r: Results): string {
  const f = r.flush;
  if (!f) return '_not measured_';
  return [`${f.durationSec} s of unpaced wrk load on seedkeep (${f.database}): ${int(f.wrk.rps)} req/s, p99 ${fmt(f.wrk.p99Ms, 1)} ms, ${f.wrk.failures} failure replies.`, '',
    '| | p50 | p95 | max | samples |', '|---|---|---|---|---|',
    `| flush transaction (ms) | ${fmt(f.flushP50, 1)} | ${fmt(f.flushP95, 1)} | ${fmt(f.flushMax, 1)} | ${f.flushCount} |`,
    `| lag, announce to committed credit (ms) | ${fmt(f.lagP50, 0)} | ${fmt(f.lagP95, 0)} | ${fmt(f.lagMax, 0)} | ${f.lagsMs.length} |`,
    '', `Pending ledger entries (/healthz, sampled each second): max ${int(f.pendingMax)}, at the end ${int(f.pendingEnd)}.` +
    (f.flushErrors.length ? ` Flush errors: ${f.flushErrors.join('; ')}` : ' No flush errors.')].join('\n');
}

function pagesSection(r: Results): string {
  const p = r.pages;
  if (!p) return '_not measured_';
  if (p.skipped) return `Skipped: ${p.skipped}.`;
  const lines = [`${int(p.releases)} releases, ${int(p.members)} members in PostgreSQL${p.seededNow ? ` (generated in ${fmt(p.seedSeconds, 0)} s this run)` : ' (generated by an earlier run)'}; sequential requests with a member's session, one server core.`, '',
    '| page | example path | p50 ms | p95 ms | max ms | samples | status |', '|---|---|---|---|---|---|---|'];
  for (const row of p.rows) lines.push(`| ${row.page} | \`${row.path}\` | ${fmt(row.p50, 1)} | ${fmt(row.p95, 1)} | ${fmt(row.max, 1)} | ${row.samples} | ${row.status} |`);
  return lines.join('\n');
}

export function renderMarkdown(r: Results): string {
  const m = r.machine;
  const d = r.durations;
  return `# seedkeep benchmark${r.quick ? ' (--quick)' : ''}

- Date: ${m.date}
- Machine: ${m.nproc} cores, ${m.cpuModel}, ${m.memoryGiB} GiB RAM; load average before the run ${m.loadBefore}
- Versions: node ${m.node}, wrk ${m.wrk}, opentracker ${m.opentracker}${m.postgres ? `, PostgreSQL ${m.postgres}` : ''}
- Method: each server alone, pinned to core 0 (\`taskset -c 0\`); wrk pinned to core 1, 1 thread, 50 connections, \`Connection: close\` on every request, ${d.httpSec} s measured after a ${d.warmupSec} s warm-up; 10k info hashes, a quarter of peers seeding (\`left=0\`), compact, numwant 50. The open trackers get a random peer_id per request. seedkeep gets \`/<passkey>/announce\` of its 10k members under two loads: **steady** (${d.population.toLocaleString('en-US')} peers of random members and releases, warmed first with one \`started\` each, then re-announcing at random with counters rising with their session's age; 5% of announces are a new peer taking the place of one that left, 2% are \`stopped\`, after which that peer's next announce starts a new session from zero) and **all-new** (a random member on a random release each time: nearly every announce is a new peer; the stress row). Accounting on, flushing at the default \`FLUSH_INTERVAL_MS\` (1 s). Bench-only seedkeep settings: \`MIN_INTERVAL=0\` (re-announces get peers, as from the others), \`LOG_LEVEL=warn\`. "failure replies" counts bencoded \`failure reason\` bodies. "server/PostgreSQL CPU µs/req": CPU time of the server's process and of the PostgreSQL backends of its database over the run, per request answered. "core 0/1 busy" is /proc/stat utilisation of the server's and the generator's core over the middle 70% of the run (it includes loopback softirq work and anything else running there: the machine is shared); "wrk CPU" is wrk's own CPU time: well below 100% means the generator was not the limit. "busy before": the busier core in the second before the run (the bench waits up to ${Math.round(d.quietMs / 1000)} s for both cores to be under 15%). Other people's work on this shared machine moves these numbers by tens of percent from run to run; compare rows of one run.

## HTTP announce, side by side

${httpTable(r)}

"Fixed answer through seedkeep's fast path" is seedkeep's HTTP transport alone (request head, query parse, bencoded reply of 50 peers, one write) in front of a core that always returns the same result: seedkeep's requests with no tracker work. Its gap to the trivial responder is the transport's cost; seedkeep's gap to it is the tracker's (lookups, swarm, ledger, flush, and the database's share of the cores).

## Targets

${targetsTable(r)}

## CPU per announce, by process

${cpuSection(r)}

## UDP announce (BEP 15, BEP 41 passkey option)

Generator: 2 Node worker processes on core 1, 64 clients in flight each. A client connects first, then reuses its connection id for the minute BEP 15 allows (a lost packet starts again from a connect); latency is from the first packet of an announce (its connect, when one was needed) to the reply. seedkeep gets the steady load the HTTP rows warmed (the same peers, counters and shares of new peers and \`stopped\`); opentracker random (member, release) pairs, the passkey ignored.

${udpTable(r)}

## seedkeep ÷ trivial node:http in alternating rounds

${pairedSection(r)}

## Load generators

${headroomSection(r)}

## Latency at 50% of peak

${latencySection(r)}

## Cost of the Prometheus metrics

${metricsSection(r)}

## Memory (tracker core, no network)

${memorySection(r)}

## Flush under peak load

${flushSection(r)}

## Pages

${pagesSection(r)}
${r.profiles.length ? `\n## Where seedkeep's announce time goes (CPU profiles)\n\n${perRequestTable(r)}\n\n${r.profiles.map((p) => p.markdown).join('\n\n')}\n` : ''}
${r.notes.length ? `\n## Notes\n\n${r.notes.map((n) => `- ${n}`).join('\n')}\n` : ''}${r.errors.length ? `\n## Sections that failed\n\n${r.errors.map((e) => `- ${e}`).join('\n')}\n` : ''}`;
}
