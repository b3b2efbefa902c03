// Starts `src/server.ts` as a real child process (the way `npm start` does) and waits for its
// "seedkeep is ready" log line; used by the boot and crash tests. Every process started here
// is remembered until it exits, so a spec's after hook can kill whatever is still running
// (killServerProcesses) even when an assertion or a timeout cut the spec short.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { RUN_TS } from './ts-run.js';

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  udpPort: number;
  output: () => string;
  /** resolves with the exit code */
  exited: Promise<number | null>;
}

const running = new Set<{ child: ChildProcess; exited: Promise<unknown> }>();

/** SIGKILLs every server process this file started that has not exited, and waits for them. */
export async function killServerProcesses(): Promise<void> {
  const alive = [...running];
  for (const { child } of alive) child.kill('SIGKILL');
  await Promise.all(alive.map(({ exited }) => exited));
}

/** The deadline is generous: on a loaded machine compiling and booting the server takes long, and a deadline costs nothing when it is quick. */
export async function startServerProcess(env: Record<string, string>, timeoutMs = 180_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...RUN_TS, 'src/server.ts'], {
    env: { ...process.env, LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: '0', UDP_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const entry = { child, exited };
  running.add(entry);
  void exited.then(() => running.delete(entry));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ready = output.split('\n').find((line) => line.includes('seedkeep is ready'));
    if (ready) {
      const listening = output.match(/Server listening at http:\/\/127\.0\.0\.1:(\d+)/);
      const udp = output.match(/"udp4":(\d+)/);
      return { child, port: Number(listening?.[1]), udpPort: Number(udp?.[1] ?? 0), output: () => output, exited };
    }
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited early (${child.exitCode ?? child.signalCode}):\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not become ready in ${timeoutMs} ms:\n${output}`);
}
