// In-process cost of the metrics on the announce path: the same announces through
// handleAnnounce (query parse + core + bencode, what the HTTP fast path runs per announce)
// with the bare core and with the core wrapped by the metrics tally, alternating rounds,
// CPU time per announce (steadier than wall time on a shared machine). Run:
// node --import tsx bench/metrics-core.ts   (`npm run bench` runs it in its metrics-cost section)
import { FakeClock } from '../src/clock.js';
import { TrackerTally } from '../src/metrics/tracker-tally.js';
import { TrackerEngine } from '../src/tracker/core/engine.js';
import { Catalog } from '../src/tracker/core/catalog.js';
import { handleAnnounce } from '../src/tracker/http/answer.js';
import { defaultPolicy } from '../src/tracker/core/tracker-policy.js';
import type { TrackerCore } from '../src/tracker/core/types.js';

const USERS = 5_000;
const RELEASES = 2_000;
const PEERS = 50_000;
const ROUNDS = Number(process.env.ROUNDS ?? 8);
const CALLS = Number(process.env.CALLS ?? 200_000);

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
const pct = (b: Buffer): string => [...b].map((x) => '%' + x.toString(16).padStart(2, '0')).join('');

function setup() {
  const clock = new FakeClock();
  const catalog = new Catalog();
  for (let u = 0; u < USERS; u++) catalog.setUser({ id: u + 1, passkey: hex(u, 32), enabled: true, canLeech: true });
  const hash = (r: number) => Buffer.from(hex(r + 1, 40), 'hex');
  for (let r = 0; r < RELEASES; r++) catalog.setRelease({ id: r + 1, infoHashV1: hash(r), infoHashV2Short: null, freeleech: 'normal', deletedReason: null });
  const engine = new TrackerEngine({ catalog, clock, policy: defaultPolicy({ announceInterval: 1800, minInterval: 0 }), maxPendingDeltas: 1e9, retentionMs: 7 * 86_400_000 });
  const queries = Array.from({ length: PEERS }, (_, p) => ({
    passkey: hex(p % USERS, 32),
    ip: `10.${(p >> 16) & 255}.${(p >> 8) & 255}.${p & 255}`,
    base: `info_hash=${pct(hash(p % RELEASES))}&peer_id=${pct(Buffer.from(`-qB4520-${String(p).padStart(12, '0')}`))}&port=${1024 + (p % 60000)}&downloaded=0&left=${p % 3 === 0 ? 0 : 1e9}&compact=1&numwant=50&key=1A2B3C4D&uploaded=`,
    up: 0,
  }));
  return { engine, clock, queries };
}

/** CPU ns per announce over `calls` announces through `core`. */
function round(core: TrackerCore, state: ReturnType<typeof setup>): number {
  const cpu = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) {
    const q = state.queries[i % PEERS];
    q.up += 16384;
    state.clock.advance(31);
    handleAnnounce(core, q.passkey, q.base + q.up, q.ip, 'qBittorrent/4.5.2');
    if (i % 100_000 === 99_999) state.engine.ledger.take((id) => state.engine.countsOf(id));
  }
  const used = process.cpuUsage(cpu);
  return ((used.user + used.system) * 1000) / CALLS;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * The wrapper's own cost, apart from the noise of the announce around it: the same calls to a
 * core that answers at once, bare and wrapped (two clocks read, an array increment, a bucket).
 */
function wrapperOverhead(): number {
  const answer = { interval: 1800, minInterval: 300, complete: 0, incomplete: 0, downloaded: 0, peers4: [], peers6: [] };
  const instant: TrackerCore = { announce: () => answer, scrape: () => [] };
  const wrappedInstant = new TrackerTally().wrap(instant, 'http');
  const request = { transport: 'http' } as Parameters<TrackerCore['announce']>[0];
  const time = (core: TrackerCore): number => {
    const calls = 2_000_000;
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) core.announce(request);
    return Number(process.hrtime.bigint() - start) / calls;
  };
  const bare: number[] = [];
  const counted: number[] = [];
  for (let i = 0; i < 7; i++) {
    bare.push(time(instant));
    counted.push(time(wrappedInstant));
  }
  return median(counted) - median(bare);
}

const state = setup();
const wrapped = new TrackerTally().wrap(state.engine, 'http');
round(state.engine, state); // warm-up: every peer joins, JIT
round(wrapped, state);
const bare: number[] = [];
const counted: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  bare.push(round(state.engine, state));
  counted.push(round(wrapped, state));
}
const ratios = counted.map((c, i) => c / bare[i]);
console.log(`bare core:    ${bare.map((n) => n.toFixed(0)).join(' ')} ns CPU/announce (median ${median(bare).toFixed(0)})`);
console.log(`with metrics: ${counted.map((n) => n.toFixed(0)).join(' ')} ns CPU/announce (median ${median(counted).toFixed(0)})`);
const wrapperNs = wrapperOverhead();
console.log(`wrapper alone: ${wrapperNs.toFixed(0)} ns per announce`);
console.log(`cost: median ratio ${median(ratios).toFixed(3)} (+${(median(counted) - median(bare)).toFixed(0)} ns per announce) over ${ROUNDS} alternating rounds of ${CALLS}`);
// the line bench/sections/metrics-cost.ts reads
console.log(`METRICSJSON ${JSON.stringify({ bareNs: median(bare), wrappedNs: median(counted), ratio: median(ratios), wrapperNs })}`);
