// Starts `src/server.ts` as a real child process (the way `npm start` does) and waits for its
// "seedkeep is ready" log line; used by the boot and crash tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  udpPort: number;
  output: () => string;
  /** resolves with the exit code */
  exited: Promise<number | null>;
}

export async function startServerProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: '0', UDP_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ready = output.split('\n').find((line) => line.includes('seedkeep is ready'));
    if (ready) {
      const listening = output.match(/Server listening at http:\/\/127\.0\.0\.1:(\d+)/);
      const udp = output.match(/"udp4":(\d+)/);
      return { child, port: Number(listening?.[1]), udpPort: Number(udp?.[1] ?? 0), output: () => output, exited };
    }
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}):\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not become ready in ${timeoutMs} ms:\n${output}`);
}
