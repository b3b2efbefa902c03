// The ledger's flush under peak announce load. wrk drives seedkeep as
// fast as it answers while a probe member (whom the load never uses) announces once a second
// with `uploaded` rising by 1 MiB, and a poller reads the harness's /bench/credit/:id every
// 100 ms: probe k's lag is from sending its announce to the first read showing its credit
// (credit only grows, so one read settles every probe it covers). The harness also times
// every flush transaction.
import { setTimeout as sleep } from 'node:timers/promises';
import { announcePath, httpGet } from '../lib/announce-url.js';
import { ALL_NEW } from '../lib/load.js';
import { median, percentile } from '../lib/stats.js';
import { runWrk, type WrkResult } from '../lib/wrk.js';
import type { Running } from '../servers/start.js';

const MIB = 1_048_576n;

export interface FlushResult {
  database: string;
  durationSec: number;
  wrk: WrkResult;
  lagsMs: number[];
  lagP50: number;
  lagP95: number;
  lagMax: number;
  /** median lag of the first and last third of the run */
  lagEarly: number;
  lagLate: number;
  unseen: number;
  flushCount: number;
  flushP50: number;
  flushP95: number;
  flushMax: number;
  pendingMax: number;
  pendingEnd: number;
  flushErrors: string[];
}

interface ProbeTarget { userId: number; passkey: string; infoHash: Buffer }

async function creditOf(server: Running, userId: number): Promise<bigint> {
  const body = JSON.parse((await httpGet(server.url, `/bench/credit/${userId}`)).toString()) as { uploaded: string | null };
  return BigInt(body.uploaded ?? '0');
}

interface Probe { k: bigint; sentAt: number; at: number; lagMs: number | null }

/** Reads the credit until `isDone`, settling every probe the committed credit covers. */
async function pollCredit(server: Running, target: ProbeTarget, base: bigint, probes: Probe[], isDone: () => boolean): Promise<void> {
  while (!isDone()) {
    const credit = await creditOf(server, target.userId).catch(() => null);
    const seenAt = performance.now();
    if (credit !== null) {
      for (const p of probes) if (p.lagMs === null && credit >= base + p.k * MIB) p.lagMs = seenAt - p.sentAt;
    }
    await sleep(100);
  }
}

async function sampleHealth(server: Running, samples: { pending: number; error: string | null }[]): Promise<void> {
  const body = JSON.parse((await httpGet(server.url, '/healthz')).toString()) as { tracker: { pendingDeltas: number; lastFlushError: string | null } };
  samples.push({ pending: body.tracker.pendingDeltas, error: body.tracker.lastFlushError });
}

export async function measureFlush(server: Running, database: string, fixtureFile: string, target: ProbeTarget, durationSec: number): Promise<FlushResult> {
  const startedAt = Date.now();
  let done = false;
  const wrkRun = runWrk({ url: server.url, fixtureFile, load: ALL_NEW, connections: 50, durationSec }).finally(() => (done = true));
  // baseline announce: a new peer's first announce credits nothing
  await httpGet(server.url, announcePath({ ...target, peerId: '-qB4650-benchprobe01', uploaded: 0n, left: 0n, event: 'started' }));
  const base = await creditOf(server, target.userId);
  const probes: Probe[] = [];
  const health: { pending: number; error: string | null }[] = [];
  const healthTimer = setInterval(() => void sampleHealth(server, health).catch(() => {}), 1000);
  // after the load stops, allow up to 15 s for the last probes' credit to land
  let stopPollingAt = Infinity;
  const poller = pollCredit(server, target, base, probes, () => performance.now() > stopPollingAt || (done && probes.every((p) => p.lagMs !== null)));
  for (let k = 1n; !done; k++) {
    const tick = performance.now();
    const probe: Probe = { k, sentAt: tick, at: Date.now() - startedAt, lagMs: null };
    // listed before it is sent: the poller must not stop (load over, every listed probe seen)
    // while this one is still in flight; dropped again if it never got an answer
    probes.push(probe);
    await httpGet(server.url, announcePath({ ...target, peerId: '-qB4650-benchprobe01', uploaded: k * MIB, left: 0n }))
      .catch(() => probes.splice(probes.indexOf(probe), 1));
    await sleep(Math.max(0, 1000 - (performance.now() - tick)));
  }
  stopPollingAt = performance.now() + 15_000;
  const wrk = await wrkRun;
  await poller;
  clearInterval(healthTimer);
  const lags = probes.filter((p) => p.lagMs !== null).map((p) => ({ at: p.at, ms: p.lagMs as number }));
  const unseen = probes.length - lags.length;
  const flushes = JSON.parse((await httpGet(server.url, '/bench/flushes')).toString()) as { recent: [number, number][] };
  return summarise({ database, durationSec, wrk, lags, unseen, health, startedAt, flushes: flushes.recent });
}

function summarise(input: { database: string; durationSec: number; wrk: WrkResult; lags: { at: number; ms: number }[]; unseen: number;
  health: { pending: number; error: string | null }[]; startedAt: number; flushes: [number, number][] }): FlushResult {
  const ms = input.lags.map((l) => l.ms);
  const third = (input.durationSec * 1000) / 3;
  const durations = input.flushes.filter(([at]) => at >= input.startedAt).map(([, d]) => d);
  return {
    database: input.database,
    durationSec: input.durationSec,
    wrk: input.wrk,
    lagsMs: ms,
    lagP50: median(ms),
    lagP95: percentile(ms, 95),
    lagMax: ms.length ? Math.max(...ms) : NaN,
    lagEarly: median(input.lags.filter((l) => l.at < third).map((l) => l.ms)),
    lagLate: median(input.lags.filter((l) => l.at >= 2 * third).map((l) => l.ms)),
    unseen: input.unseen,
    flushCount: durations.length,
    flushP50: median(durations),
    flushP95: percentile(durations, 95),
    flushMax: durations.length ? Math.max(...durations) : NaN,
    pendingMax: Math.max(0, ...input.health.map((h) => h.pending)),
    pendingEnd: input.health.at(-1)?.pending ?? 0,
    flushErrors: [...new Set(input.health.map((h) => h.error).filter((e): e is string => !!e))],
  };
}
