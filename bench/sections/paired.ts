// The HTTP target is a ratio (seedkeep ÷ the trivial node:http responder), and this machine
// may be shared: other people's work moves a single long measurement a lot. So the ratio is
// also measured in short alternating rounds (trivial, seedkeep, trivial, ...) with both
// servers up on core 0, and each seedkeep round is compared with the trivial rounds on either
// side of it: the median of those ratios is what the targets table uses. The ledger flush
// that follows a seedkeep round is waited out (until /healthz shows nothing pending, then one
// asked-for flush that also writes the release counts the timer leaves for their cadence) so
// it does not slow the next trivial round, and is charged to that round: its rate is
// requests / (round + flush time after the round). The counts write is charged pro rata:
// running steadily, one such write covers COUNTS_INTERVAL_MS of load, not one short round.
import { setTimeout as sleep } from 'node:timers/promises';
import { median } from '../lib/stats.js';
import { httpGet } from '../lib/announce-url.js';
import { OPEN, type Load } from '../lib/load.js';
import { runWrk, type WrkResult } from '../lib/wrk.js';
import type { Running } from '../servers/start.js';

export interface PairedResult {
  server: string;
  rounds: number;
  roundSec: number;
  trivialRps: number[];
  seedkeepRps: number[];
  ratios: number[];
  median: number;
}

interface CountsFlush { ms: number; countsIntervalMs: number }

/**
 * Waits (at least one flush interval) until the ledger has nothing pending (PGlite may need
 * long), then has the release counts written; returns that write's duration.
 */
async function drained(seedkeep: Running, limitMs: number): Promise<CountsFlush> {
  const deadline = Date.now() + limitMs;
  await sleep(3500);
  while (Date.now() < deadline) {
    // On PGlite (one connection) /healthz's database ping waits for a running flush
    // transaction, which after a UDP run at full speed may take long: wait up to the limit.
    const waitMs = Math.max(1000, deadline - Date.now());
    const body = await httpGet(seedkeep.url, '/healthz', waitMs).catch(() => {
      throw new Error(`${seedkeep.name} did not answer /healthz within ${Math.round(limitMs / 1000)} s while flushing its ledger`);
    });
    const health = JSON.parse(body.toString()) as { tracker: { pendingDeltas: number } };
    if (health.tracker.pendingDeltas === 0) {
      return JSON.parse((await httpGet(seedkeep.url, '/bench/flush-now', Math.max(1000, deadline - Date.now()))).toString()) as CountsFlush;
    }
    await sleep(500);
  }
  // still flushing at the limit: charge every flush after the round in full (share 1)
  return { ms: 0, countsIntervalMs: 1 };
}

/** Milliseconds of flush transactions that started after `since` (the harness times them). */
async function flushMsSince(seedkeep: Running, since: number): Promise<number> {
  const log = JSON.parse((await httpGet(seedkeep.url, '/bench/flushes', 60_000)).toString()) as { recent: [number, number][] };
  return log.recent.filter(([at]) => at >= since).reduce((sum, [, ms]) => sum + ms, 0);
}

export async function pairedRatio(seedkeep: Running, trivial: Running, fixtureFile: string, load: Load, rounds: number, roundSec: number): Promise<PairedResult> {
  const trivialRps: number[] = [];
  const seedkeepRps: number[] = [];
  const measure = async (server: Running, serverLoad: Load, seconds = roundSec): Promise<WrkResult> =>
    runWrk({ url: server.url, fixtureFile, load: serverLoad, connections: 50, durationSec: seconds });
  await drained(seedkeep, 300_000); // the UDP run before may have left a large batch to flush
  await measure(trivial, OPEN, 1); // warm-up: the trivial server has just started
  trivialRps.push((await measure(trivial, OPEN)).rps);
  for (let i = 0; i < rounds; i++) {
    const round = await measure(seedkeep, load);
    const endedAt = Date.now();
    // let seedkeep's ledger flush (every second) finish before the next trivial round, and charge it
    const counts = await drained(seedkeep, 60_000);
    const share = Math.min(1, (roundSec * 1000) / counts.countsIntervalMs);
    const after = (await flushMsSince(seedkeep, endedAt)) - counts.ms * (1 - share);
    seedkeepRps.push(round.requests / (round.requests / round.rps + after / 1000));
    trivialRps.push((await measure(trivial, OPEN)).rps);
  }
  const ratios = seedkeepRps.map((rps, i) => rps / ((trivialRps[i] + trivialRps[i + 1]) / 2));
  return { server: seedkeep.name, rounds, roundSec, trivialRps, seedkeepRps, ratios, median: median(ratios) };
}
