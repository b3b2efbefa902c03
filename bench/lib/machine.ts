// What the results were measured on: cores, CPU model, memory, tool versions, date, load.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';

export interface Machine {
  date: string;
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  wrk: string;
  opentracker: string;
  postgres: string;
  loadBefore: string;
}

function quiet(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    const out = (error as { stdout?: string }).stdout;
    return typeof out === 'string' ? out.trim() : '';
  }
}

function debVersion(pkg: string): string {
  return quiet('dpkg-query', ['-W', '-f=${Version}', pkg]) || 'not installed';
}

export function loadAverage(): string {
  return loadavg().map((n) => n.toFixed(2)).join(' ');
}

export function describeMachine(): Machine {
  return {
    date: new Date().toISOString(),
    nproc: Number(quiet('nproc', [])) || cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    wrk: debVersion('wrk'),
    opentracker: debVersion('opentracker'),
    postgres: '',
    loadBefore: loadAverage(),
  };
}
