// The long sections, run one by one by name (`npm run bench -- stop`, method in
// bench/README.md): each starts the real server process (dist/server.js, compiled first) on
// PGlite and, with DATABASE_URL, on PostgreSQL in a scratch database it drops afterwards.
// Each writes its lines to bench/results/<name>.md (<name>-<database>.md with --database=).
//   stop   [--peers=1000000]      a SIGTERM with that many peers' deltas pending, then the books
//   soak   [--announces=300000 --peers=100000]  announces into one process lifetime on PGlite, pages polled
//   scale  [--releases=1000000 --members=100000]  start-up, memory and latency at that size
//   shared [--peers=20000 --rounds=3]  announces/s and CPU per announce: memory mode, Redis ×1, Redis ×2 (PostgreSQL)
//   shared-cost [--peers=20000 --swarms=200 --rounds=3]  the Redis mode's CPU per announce taken apart, in-process
//   memory [--peers=1000000], metrics-cost [--rounds=8]: the tracker core in-process (sections/core-costs.ts)
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeMachine } from './lib/machine.js';
import { buildSeedkeep } from './lib/tools.js';
import { describeMemory, describeMetricsCost } from './sections/core-costs.js';
import { describeScale, measureScale } from './sections/scale.js';
import { describeShared, measureShared } from './sections/shared.js';
import { describeSharedCost, measureSharedCost } from './sections/shared-cost.js';
import { describeSoak, measureSoak } from './sections/soak.js';
import { describeStop, measureStop } from './sections/stop.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

function flag(args: string[], name: string, fallback: number): number {
  const arg = args.find((a) => a.startsWith(`--${name}=`));
  const value = arg ? Number(arg.slice(name.length + 3).replace(/_/g, '')) : fallback;
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`--${name} must be a whole number above 0`);
  return value;
}

/** --database=pglite or --database=postgres: that one alone */
function onlyDatabase(args: string[]): string | undefined {
  return args.find((a) => a.startsWith('--database='))?.slice('--database='.length);
}

/** One line per database: PGlite, and PostgreSQL when DATABASE_URL names a server. */
async function perDatabase(args: string[], run: (pgUrl: string) => Promise<string>): Promise<string[]> {
  const lines: string[] = [];
  const only = onlyDatabase(args);
  const urls = ['', ...(process.env.DATABASE_URL ? [process.env.DATABASE_URL] : [])].filter((url) => !only || (url ? only === 'postgres' : only === 'pglite'));
  for (const url of urls) {
    try {
      lines.push(await run(url));
    } catch (error) {
      lines.push(`${url ? 'Postgres' : 'PGlite'}: FAILED: ${error instanceof Error ? error.message.split('\n').slice(0, 6).join(' ') : String(error)}`);
    }
    process.stdout.write(`${lines.at(-1)}\n`);
  }
  return lines;
}

const SECTIONS: Record<string, (args: string[]) => Promise<string[]>> = {
  stop: (args) => perDatabase(args, async (pgUrl) => describeStop(await measureStop({ pgUrl, peers: flag(args, 'peers', 1_000_000) }))),
  // the embedded database is what the soak is about
  soak: async (args) => [describeSoak(await measureSoak({ announces: flag(args, 'announces', 300_000), peers: flag(args, 'peers', 100_000), stopAtOnce: args.includes('--stop-at-once') }))],
  // the shared mode needs PostgreSQL (DATABASE_URL): one database, three setups
  shared: async (args) => describeShared(await measureShared({ pgUrl: process.env.DATABASE_URL ?? '', peers: flag(args, 'peers', 20_000), rounds: flag(args, 'rounds', 3) })),
  'shared-cost': async (args) => describeSharedCost(await measureSharedCost({
    pgUrl: process.env.DATABASE_URL ?? '', peers: flag(args, 'peers', 20_000), swarms: flag(args, 'swarms', 200), rounds: flag(args, 'rounds', 3),
  })),
  memory: async (args) => describeMemory(flag(args, 'peers', 1_000_000)),
  'metrics-cost': async (args) => describeMetricsCost(flag(args, 'rounds', 8)),
  scale: (args) => perDatabase(args, async (pgUrl) => describeScale(await measureScale({ pgUrl, releases: flag(args, 'releases', 1_000_000), members: flag(args, 'members', 100_000) }))),
};

export function isLongSection(name: string): boolean {
  return Object.hasOwn(SECTIONS, name);
}

export async function runLongSections(names: string[], args: string[], root: string): Promise<void> {
  buildSeedkeep(root);
  for (const name of names) {
    process.stdout.write(`\n== ${name}\n`);
    const started = Date.now();
    const lines = await SECTIONS[name](args);
    const m = describeMachine();
    const machine = `${m.nproc} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, load average ${m.loadBefore} at the end`;
    const text = [`# bench: ${name}`, '', `${m.date}; ${machine}; args ${args.join(' ') || '(defaults)'}; ` +
      `took ${Math.round((Date.now() - started) / 1000)} s.`, '', ...lines.map((l) => `- ${l}`), ''].join('\n');
    mkdirSync(path.join(HERE, 'results'), { recursive: true });
    const only = onlyDatabase(args);
    writeFileSync(path.join(HERE, 'results', `${name}${only ? `-${only}` : ''}.md`), text);
  }
}
