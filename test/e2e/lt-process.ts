// A running lt_client.py (python3-libtorrent, see its docstring) with its JSON lines, and free
// loopback ports for the tracker and the clients: shared by the real-client specs.
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PYTHON = '/usr/bin/python3';
export const DRIVER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lt_client.py');

export interface Line {
  event: string;
  [field: string]: unknown;
}

/** A running lt_client.py with its JSON lines. */
export class LtProcess {
  readonly lines: Line[] = [];
  readonly exited: Promise<number | null>;
  private stderr = '';
  readonly child: ChildProcess;
  readonly name: string;

  private constructor(child: ChildProcess, name: string) {
    this.child = child;
    this.name = name;
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        try {
          this.lines.push(JSON.parse(line) as Line);
        } catch {
          this.stderr += `${line}\n`;
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static start(name: string, args: string[]): LtProcess {
    return new LtProcess(spawn(PYTHON, [DRIVER, ...args], { stdio: ['pipe', 'pipe', 'pipe'] }), name);
  }

  /** Resolves with the first line of `event`; rejects after `timeoutMs` or on exit. */
  async waitFor(event: string, timeoutMs: number): Promise<Line> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const line = this.lines.find((l) => l.event === event);
      if (line) return line;
      if (this.child.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${this.name}: no "${event}" within ${timeoutMs} ms\n${this.log()}`);
  }

  /** Exit code, killing the process when it outlives `timeoutMs`. */
  async finish(timeoutMs: number): Promise<number | null> {
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  log(): string {
    const interesting = this.lines.filter((l) => l.event !== 'status').map((l) => JSON.stringify(l));
    const last = this.lines.filter((l) => l.event === 'status').at(-1);
    return [...interesting, last ? JSON.stringify(last) : '', this.stderr].join('\n');
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const port = socket.address().port;
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

