// Starts each server under test on the server core and waits until it answers.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { postgresGroup, processGroup, type CpuGroup } from '../lib/cpu.js';
import { databaseUrlFor } from '../lib/pg.js';
import { SERVER_CORE, startPinned, waitForLine, waitForTcp, type Pinned } from '../lib/proc.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export interface Running {
  name: string;
  pid: number;
  port: number;
  udpPort: number;
  url: string;
  /** processes whose CPU time the HTTP rows report per request: the server's own, and its database's */
  cpu: CpuGroup[];
  stop(): Promise<void>;
}

function running(name: string, pinned: Pinned, port: number, udpPort = 0): Running {
  const pid = pinned.child.pid ?? -1;
  return { name, pid, port, udpPort, url: `http://127.0.0.1:${port}`, cpu: [processGroup('server', pid)], stop: pinned.stop };
}

async function startNodeScript(name: string, script: string, args: string[], readyMs: number, nodeFlags: string[] = []): Promise<{ pinned: Pinned; match: RegExpExecArray }> {
  const pinned = startPinned(SERVER_CORE, process.execPath, [...nodeFlags, '--import', 'tsx', path.join(HERE, script), ...args]);
  try {
    const match = await waitForLine(pinned, /READY (\d+)(?: (\d+) (\w+) users=(\d+) releases=(\d+))?/, readyMs);
    return { pinned, match };
  } catch (error) {
    await pinned.stop();
    throw new Error(`${name} did not start: ${(error as Error).message}`);
  }
}

export async function startTrivial(port: number, nodeFlags: string[] = []): Promise<Running> {
  const { pinned } = await startNodeScript('trivial node:http', 'trivial.ts', [String(port)], 20_000, nodeFlags);
  return running('trivial node:http', pinned, port);
}

/** seedkeep's HTTP fast path with a fixed answer: the transport's ceiling (fixed-answer.ts). */
export async function startFixedAnswer(port: number): Promise<Running> {
  const { pinned } = await startNodeScript('fixed answer', 'fixed-answer.ts', [String(port)], 20_000);
  return running('fixed answer through seedkeep\'s fast path (no tracker work)', pinned, port);
}

export async function startBtTracker(port: number): Promise<Running> {
  const { pinned } = await startNodeScript('bittorrent-tracker', 'bt-tracker.ts', [String(port)], 20_000);
  return running('bittorrent-tracker', pinned, port);
}

/**
 * Debian's opentracker: TCP and UDP on one port. It chroots to -d (default "."), so the
 * whitelist's absolute path only resolves with -d /; it drops privileges to nobody when root.
 */
export async function startOpentracker(port: number, whitelist: string): Promise<Running> {
  const pinned = startPinned(SERVER_CORE, 'opentracker', ['-i', '127.0.0.1', '-p', String(port), '-P', String(port), '-d', '/', '-w', whitelist]);
  try {
    await waitForTcp(port, 10_000, pinned.child);
  } catch (error) {
    await pinned.stop();
    throw new Error(`opentracker did not start: ${(error as Error).message}\n${pinned.output()}`);
  }
  return running('opentracker', pinned, port, port);
}

export interface SeedkeepOptions {
  dataDir: string;
  port: number;
  udpPort: number;
  databaseUrl: string;
  members: number;
  releases: number;
  skipSeed?: boolean;
  profileFile?: string;
  metricsToken?: string;
}

export async function startSeedkeep(label: string, options: SeedkeepOptions): Promise<Running & { kind: string; users: number; pinned: Pinned }> {
  // one more member than the load uses: the flush probe's, whose credit nobody else touches
  const args = JSON.stringify({ ...options, members: options.members + 1 });
  const { pinned, match } = await startNodeScript(label, 'seedkeep.ts', [args], 180_000);
  const server = running(label, pinned, options.port, Number(match[2]));
  if (options.databaseUrl) {
    const database = decodeURIComponent(new URL(options.databaseUrl).pathname.slice(1));
    server.cpu.push(postgresGroup(databaseUrlFor(options.databaseUrl, 'postgres'), database));
  }
  return { ...server, kind: match[3], users: Number(match[4]), pinned };
}
