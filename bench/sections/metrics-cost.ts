// What the Prometheus metrics cost on the announce path, two ways:
// - over HTTP: two seedkeep servers on the same fixture (embedded database), one with
//   METRICS_TOKEN set (the core wrapped by the tally, the request hook on, /metrics scraped
//   every 5 s as Prometheus would) and one without, each with its own warmed steady
//   population, measured in alternating rounds (off, on, off, ...); each "on" round is
//   compared with the "off" rounds on either side, and the median of those ratios is the cost;
// - in-process (bench/metrics-core.ts): CPU per announce through the HTTP answer path with the
//   bare core and the wrapped one, steadier than wall time on a shared machine.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { steadyLoad } from '../lib/load.js';
import { freePort, SERVER_CORE } from '../lib/proc.js';
import { median } from '../lib/stats.js';
import { runWrk } from '../lib/wrk.js';
import { startSeedkeep } from '../servers/start.js';
import { warmPopulation } from './http.js';

const CORE_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'metrics-core.ts');
const TOKEN = 'b'.repeat(40);

export interface MetricsCost {
  rounds: number;
  roundSec: number;
  offRps: number[];
  onRps: number[];
  ratios: number[];
  /** on ÷ off, median of the alternating rounds */
  median: number;
  /** the in-process run: CPU ns per announce bare and with metrics, the median ratio */
  core?: { bareNs: number; wrappedNs: number; ratio: number; wrapperNs: number };
}

export interface MetricsCostOptions {
  work: string;
  fixtureFile: string;
  members: number;
  releases: number;
  population: number;
  rounds: number;
  roundSec: number;
  /** in-process rounds and announces per round (bench/metrics-core.ts) */
  coreRounds: number;
  coreCalls: number;
}

export async function measureMetricsCost(o: MetricsCostOptions): Promise<MetricsCost> {
  const common = { databaseUrl: '', members: o.members, releases: o.releases };
  const off = await startSeedkeep('metrics off', { ...common, dataDir: mkdtempSync(path.join(o.work, 'off-')), port: freePort(), udpPort: freePort() });
  const on = await startSeedkeep('metrics on', { ...common, dataDir: mkdtempSync(path.join(o.work, 'on-')), port: freePort(), udpPort: freePort(), metricsToken: TOKEN }).catch(async (e: unknown) => {
    await off.stop();
    throw e;
  });
  const scraper = setInterval(() => void fetch(`${on.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } }).then((r) => r.text()).catch(() => {}), 5000);
  try {
    const loads = new Map([off, on].map((s) => [s, steadyLoad(path.join(o.work, `metrics-${s.pid}.txt`), { population: o.population })]));
    for (const [s, load] of loads) await warmPopulation(s, o.fixtureFile, load);
    const round = async (s: typeof on): Promise<number> => {
      const r = await runWrk({ url: s.url, fixtureFile: o.fixtureFile, load: loads.get(s)!, connections: 50, durationSec: o.roundSec });
      await sleep(1500); // its last flush, before the other server's round
      return r.rps;
    };
    const offRps = [await round(off)];
    const onRps: number[] = [];
    for (let i = 0; i < o.rounds; i++) {
      onRps.push(await round(on));
      offRps.push(await round(off));
      process.stdout.write(`  round ${i + 1}: off ${offRps[i].toFixed(0)}, on ${onRps[i].toFixed(0)}, off ${offRps[i + 1].toFixed(0)} req/s\n`);
    }
    const ratios = onRps.map((rps, i) => rps / ((offRps[i] + offRps[i + 1]) / 2));
    return { rounds: o.rounds, roundSec: o.roundSec, offRps, onRps, ratios, median: median(ratios), core: await coreCost(o.coreRounds, o.coreCalls) };
  } finally {
    clearInterval(scraper);
    await on.stop();
    await off.stop();
  }
}

/** bench/metrics-core.ts on the server core; its METRICSJSON line. */
function coreCost(rounds: number, calls: number): Promise<MetricsCost['core']> {
  const args = ['-c', SERVER_CORE, process.execPath, '--import', 'tsx', CORE_SCRIPT];
  return new Promise((resolve, reject) => {
    execFile('taskset', args, { env: { ...process.env, ROUNDS: String(rounds), CALLS: String(calls) }, timeout: 600_000, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      const line = /METRICSJSON (\{.*\})/.exec(stdout);
      if (error || !line) reject(new Error(`metrics-core failed: ${error?.message ?? ''}\n${stderr}`));
      else resolve(JSON.parse(line[1]) as MetricsCost['core']);
    });
  });
}

export function metricsLine(m: MetricsCost): string {
  const core = m.core ? `; in-process, CPU per announce through the HTTP answer path: ${m.core.bareNs.toFixed(0)} ns bare, ${m.core.wrappedNs.toFixed(0)} ns with metrics (median ratio ${m.core.ratio.toFixed(3)}; the wrapper alone ${m.core.wrapperNs.toFixed(0)} ns)` : '';
  return `metrics on ÷ off over HTTP, median of ${m.rounds} alternating ${m.roundSec} s rounds: ${m.median.toFixed(3)} (${m.ratios.map((r) => r.toFixed(3)).join(', ')})${core}`;
}
