// Loaded into every spec file's process by `npm test -- --record-costs` (scripts/test.mjs):
// when the process exits it appends the file's wall seconds and CPU seconds (its own threads
// and the child processes it waited for: servers, CLIs, real clients) to the log named by
// SEEDKEEP_TEST_COSTS_LOG, one JSON line per file. Other processes (the runner, servers a
// spec starts) record nothing.
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';

const log = process.env.SEEDKEEP_TEST_COSTS_LOG;
const file = process.argv.length === 2 && process.argv[1]?.endsWith('.test.ts') ? process.argv[1] : undefined;

/** utime + stime + cutime + cstime from /proc/self/stat (proc(5)), in seconds; null off Linux. */
function cpuSeconds() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is the state (the stat's 3rd field), so utime (the 14th) is fields[11]
    return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0) / 100;
  } catch {
    return null;
  }
}

if (log && file) {
  process.on('exit', () => {
    const self = process.cpuUsage();
    const cpu = cpuSeconds() ?? (self.user + self.system) / 1e6;
    const line = { file: path.relative(process.cwd(), file), wall: process.uptime(), cpu };
    appendFileSync(log, `${JSON.stringify(line)}\n`);
  });
}
