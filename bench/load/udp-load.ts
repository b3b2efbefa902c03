// UDP announce load (BEP 15 + BEP 41), one worker process; bench/lib/udp.ts starts several
// on the load core and adds up their JSON lines. Each of `inflight` simulated clients loops:
// connect -> announce (with the passkey path as a BEP 41 URLData option) -> again, like a
// client whose connection id has expired; a lost packet is retried after 1 s.
//   node --import tsx bench/load/udp-load.ts '{"port":...,"fixtureFile":...,"durationSec":...}'
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';

interface LoadOptions {
  port: number;
  fixtureFile: string;
  durationSec: number;
  inflight: number;
  worker: number;
  /** paced announces/s for this worker (0: as fast as replies come) */
  rate?: number;
}

const PROTOCOL_ID = 0x41727101980n;
const ACTION_CONNECT = 0;
const ACTION_ANNOUNCE = 1;
const ACTION_ERROR = 3;
const RETRY_MS = 1000;

const options = JSON.parse(process.argv[2]) as LoadOptions;
const hashes: Buffer[] = [];
const passkeys: string[] = [];
for (const line of readFileSync(options.fixtureFile, 'utf8').split('\n')) {
  if (line.startsWith('H ')) hashes.push(Buffer.from(line.slice(2), 'hex'));
  else if (line.startsWith('P ')) passkeys.push(line.slice(2));
}

const stats = { announces: 0, connects: 0, errors: 0, retries: 0, latencies: [] as number[] };
const t0 = Date.now();

function connectPacket(tid: number): Buffer {
  const packet = Buffer.alloc(16);
  packet.writeBigUInt64BE(PROTOCOL_ID, 0);
  packet.writeUInt32BE(ACTION_CONNECT, 8);
  packet.writeUInt32BE(tid, 12);
  return packet;
}

/** 98 bytes of BEP 15 announce, then BEP 41: 0x02 <len> "/<passkey>/announce", 0x00. */
function announcePacket(connectionId: Buffer, tid: number): Buffer {
  const m = Math.floor(Math.random() * passkeys.length);
  const r = Math.floor(Math.random() * hashes.length);
  const seeder = (m * 31 + r) % 4 === 0;
  const url = Buffer.from(`/${passkeys[m]}/announce`);
  const packet = Buffer.alloc(98 + 2 + url.length + 1);
  connectionId.copy(packet, 0);
  packet.writeUInt32BE(ACTION_ANNOUNCE, 8);
  packet.writeUInt32BE(tid, 12);
  hashes[r].copy(packet, 16);
  // the same (member, release) always announces with the same peer id, as over HTTP
  packet.write(`-qB4650-${m.toString(16).padStart(6, '0')}${r.toString(16).padStart(6, '0')}`, 36, 'latin1');
  const elapsed = BigInt(Math.floor((Date.now() - t0) / 1000));
  packet.writeBigUInt64BE(seeder ? 0n : elapsed * 524288n, 56); // downloaded
  packet.writeBigUInt64BE(seeder ? 0n : 1073741824n, 64); // left
  packet.writeBigUInt64BE(elapsed * 262144n * BigInt((m % 7) + 1), 72); // uploaded
  packet.writeUInt32BE(0, 80); // event: none
  packet.writeUInt32BE(0, 84); // ip: default
  packet.writeUInt32BE(m, 88); // key
  packet.writeInt32BE(50, 92); // num_want
  packet.writeUInt16BE(1025 + (m % 60000), 96);
  packet[98] = 0x02;
  packet[99] = url.length;
  url.copy(packet, 100);
  packet[100 + url.length] = 0x00;
  return packet;
}

interface Client {
  tid: number;
  state: 'connect' | 'announce';
  startedAt: number;
  timer: NodeJS.Timeout | null;
}

const clients = new Map<number, Client>();
let nextTid = (options.worker + 1) << 24;
let running = true;
const socket: Socket = createSocket('udp4');

function send(client: Client, packet: Buffer): void {
  if (client.timer) clearTimeout(client.timer);
  client.timer = setTimeout(() => retry(client), RETRY_MS);
  socket.send(packet, options.port, '127.0.0.1');
}

function begin(client: Client): void {
  if (!running) return;
  clients.delete(client.tid);
  client.tid = nextTid++ >>> 0;
  clients.set(client.tid, client);
  client.state = 'connect';
  client.startedAt = performance.now();
  send(client, connectPacket(client.tid));
}

function retry(client: Client): void {
  stats.retries++;
  begin(client);
}

/** paced mode: each client waits so that all of them together make `rate` announces/s */
function next(client: Client): void {
  if (!options.rate) return begin(client);
  const gap = (options.inflight * 1000) / options.rate;
  setTimeout(() => begin(client), gap * (0.5 + Math.random()));
}

socket.on('message', (message) => {
  if (message.length < 8) return;
  const action = message.readUInt32BE(0);
  const client = clients.get(message.readUInt32BE(4));
  if (!client) return;
  if (action === ACTION_CONNECT && client.state === 'connect' && message.length >= 16) {
    stats.connects++;
    client.state = 'announce';
    send(client, announcePacket(message.subarray(8, 16), client.tid));
  } else if (action === ACTION_ANNOUNCE && client.state === 'announce') {
    stats.announces++;
    stats.latencies.push(performance.now() - client.startedAt);
    if (client.timer) clearTimeout(client.timer);
    next(client);
  } else if (action === ACTION_ERROR) {
    stats.errors++;
    if (stats.errors === 1) process.stderr.write(`error packet: ${message.subarray(8).toString()}\n`);
    if (client.timer) clearTimeout(client.timer);
    next(client);
  }
});

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

socket.bind(0, '127.0.0.1', () => {
  socket.setRecvBufferSize(4 * 1024 * 1024);
  socket.setSendBufferSize(4 * 1024 * 1024);
  for (let i = 0; i < options.inflight; i++) begin({ tid: 0, state: 'connect', startedAt: 0, timer: null });
  setTimeout(() => {
    running = false;
    const seconds = (Date.now() - t0) / 1000;
    const sorted = stats.latencies.sort((a, b) => a - b);
    process.stdout.write(`UDPJSON ${JSON.stringify({ announces: stats.announces, connects: stats.connects, errors: stats.errors,
      retries: stats.retries, seconds, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) })}\n`);
    process.exit(0);
  }, options.durationSec * 1000);
});
