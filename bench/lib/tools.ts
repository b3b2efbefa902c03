// The bench's Debian tools. Installed with apt-get when missing and running as root (a fresh
// clone must run the bench after npm install alone); otherwise named, and their rows skipped.
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';

export interface Tools {
  wrk: boolean;
  opentracker: boolean;
  taskset: boolean;
  missing: string[];
}

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function aptInstall(packages: string[]): void {
  process.stdout.write(`installing ${packages.join(' ')} with apt-get...\n`);
  try {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { stdio: 'ignore', timeout: 180_000 });
  } catch {
    // the package lists may be stale on a fresh machine
    try {
      execFileSync('apt-get', ['update'], { stdio: 'ignore', timeout: 180_000 });
      execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { stdio: 'ignore', timeout: 180_000 });
    } catch (error) {
      process.stdout.write(`apt-get failed: ${(error as Error).message.split('\n')[0]}\n`);
    }
  }
}

export function ensureTools(): Tools {
  const wanted: [string, string][] = [['wrk', 'wrk'], ['opentracker', 'opentracker'], ['taskset', 'util-linux']];
  const absent = wanted.filter(([command]) => !has(command)).map(([, pkg]) => pkg);
  if (absent.length > 0 && process.getuid?.() === 0) aptInstall(absent);
  const tools = { wrk: has('wrk'), opentracker: has('opentracker'), taskset: has('taskset'), missing: [] as string[] };
  for (const [command, pkg] of wanted) if (!has(command)) tools.missing.push(`${command} (Debian package ${pkg})`);
  return tools;
}

/**
 * Compiles src/ to dist/ (`npm run build`), which the bench's seedkeep runs: the code the
 * Docker image runs (`node dist/server.js`), not the sources through tsx (`npm start`; the
 * two measured alike within this machine's noise). Built every run so a stale dist/ is never
 * measured.
 */
export function buildSeedkeep(root: string): void {
  process.stdout.write('compiling seedkeep (npm run build)...\n');
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit', timeout: 300_000 });
}
