// UDP announce load (BEP 15 + BEP 41), one worker process; bench/lib/udp.ts starts several
// on the load core and adds up their JSON lines. Each of `inflight` simulated clients loops:
// announce (with the passkey path as a BEP 41 URLData option) -> again, connecting first when
// it has no connection id or its id is a minute old (BEP 15: a client may use one for a
// minute after receiving it); a lost packet is retried after 1 s, from a new connect.
// Two loads, as over HTTP (bench/load/announce.lua):
//  - "passkey" (without `steady`): a random member on a random release each time, the peer id
//    following from the pair: nearly every announce is a new peer (the open trackers ignore
//    the passkey);
//  - "steady": the HTTP steady population continued (the same state file, slots and peer
//    identities; this worker takes the slots s with s % workers === worker): peers re-announce
//    with counters rising with their session's age, a share are new peers taking a slot, a
//    share send `stopped`. Its state is not written back: the UDP run is the population's last.
//   node --import tsx bench/load/udp-load.ts '{"port":...,"fixtureFile":...,"durationSec":...}'
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';

interface SteadyOptions {
  stateFile: string;
  population: number;
  newShare: number;
  sessionShare: number;
  workers: number;
}

interface LoadOptions {
  port: number;
  fixtureFile: string;
  durationSec: number;
  inflight: number;
  worker: number;
  /** paced announces/s for this worker (0: as fast as replies come) */
  rate?: number;
  steady?: SteadyOptions;
}

const PROTOCOL_ID = 0x41727101980n;
const ACTION_CONNECT = 0;
const ACTION_ANNOUNCE = 1;
const ACTION_ERROR = 3;
const RETRY_MS = 1000;
/** BEP 15: a connection id is good for a minute after the client received it */
const CONNECTION_ID_MS = 60_000;
const EVENT = { none: 0, completed: 1, started: 2, stopped: 3 } as const;

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

/** What one announce reports. */
interface Report {
  member: number;
  release: number;
  peerId: string;
  key: number;
  port: number;
  uploaded: bigint;
  downloaded: bigint;
  left: bigint;
  event: number;
}

/** 98 bytes of BEP 15 announce, then BEP 41: 0x02 <len> "/<passkey>/announce", 0x00. */
function announcePacket(connectionId: Buffer, tid: number, r: Report): Buffer {
  const url = Buffer.from(`/${passkeys[r.member]}/announce`);
  const packet = Buffer.alloc(98 + 2 + url.length + 1);
  connectionId.copy(packet, 0);
  packet.writeUInt32BE(ACTION_ANNOUNCE, 8);
  packet.writeUInt32BE(tid, 12);
  hashes[r.release].copy(packet, 16);
  packet.write(r.peerId, 36, 'latin1');
  packet.writeBigUInt64BE(r.downloaded, 56);
  packet.writeBigUInt64BE(r.left, 64);
  packet.writeBigUInt64BE(r.uploaded, 72);
  packet.writeUInt32BE(r.event, 80);
  packet.writeUInt32BE(0, 84); // ip: default
  packet.writeUInt32BE(r.key >>> 0, 88);
  packet.writeInt32BE(50, 92); // num_want
  packet.writeUInt16BE(r.port, 96);
  packet[98] = 0x02;
  packet[99] = url.length;
  url.copy(packet, 100);
  packet[100 + url.length] = 0x00;
  return packet;
}

/** "passkey": the same (member, release) always announces with the same peer id, as over HTTP. */
function passkeyReport(): Report {
  const m = Math.floor(Math.random() * passkeys.length);
  const r = Math.floor(Math.random() * hashes.length);
  const seeder = (m * 31 + r) % 4 === 0;
  const elapsed = BigInt(Math.floor((Date.now() - t0) / 1000));
  return {
    member: m, release: r, peerId: `-qB4650-${m.toString(16).padStart(6, '0')}${r.toString(16).padStart(6, '0')}`, key: m, port: 1025 + (m % 60000),
    uploaded: elapsed * 262144n * BigInt((m % 7) + 1), downloaded: seeder ? 0n : elapsed * 524288n, left: seeder ? 0n : 1073741824n, event: EVENT.none,
  };
}

/** The steady population's slots as announce.lua left them: generation, session start, in a session. */
function loadSlots(steady: SteadyOptions): { gen: Map<number, number>; since: Map<number, number>; active: Map<number, boolean>; mine: number[] } {
  const gen = new Map<number, number>();
  const since = new Map<number, number>();
  const active = new Map<number, boolean>();
  let text = '';
  try {
    text = readFileSync(steady.stateFile, 'utf8');
  } catch {
    // no HTTP run before: every slot starts a session at its first announce
  }
  for (const line of text.split('\n')) {
    const m = /^(\d+) (\d+) (\d+) ([01])$/.exec(line);
    if (!m) continue;
    gen.set(Number(m[1]), Number(m[2]));
    since.set(Number(m[1]), Number(m[3]));
    active.set(Number(m[1]), m[4] === '1');
  }
  const mine: number[] = [];
  for (let s = 1; s <= steady.population; s++) if (s % steady.workers === options.worker) mine.push(s);
  return { gen, since, active, mine };
}

const slots = options.steady ? loadSlots(options.steady) : null;

/** announce.lua's next_event: `started` for a new peer or session, sometimes a new peer, sometimes `stopped`. */
function nextEvent(steady: SteadyOptions, s: number, now: number): number {
  const { gen, since, active } = slots!;
  if (!gen.has(s) || !active.get(s)) {
    if (!gen.has(s)) gen.set(s, 0);
    since.set(s, now);
    active.set(s, true);
    return EVENT.started;
  }
  const x = Math.random();
  if (x < steady.newShare) {
    gen.set(s, gen.get(s)! + 1);
    since.set(s, now);
    return EVENT.started;
  }
  if (x < steady.newShare + steady.sessionShare) {
    active.set(s, false);
    return EVENT.stopped;
  }
  return EVENT.none;
}

/** A random slot of this worker; its identity (member, release, peer id) as announce.lua derives it. */
function steadyReport(steady: SteadyOptions): Report {
  const s = slots!.mine[Math.floor(Math.random() * slots!.mine.length)];
  const now = Date.now();
  const event = nextEvent(steady, s, now);
  const k = s + slots!.gen.get(s)! * steady.population;
  const h = (k * 2654435761) % 4294967296; // exact in a double: k stays far below 2^21
  const seeder = k % 4 === 0;
  const elapsed = now - slots!.since.get(s)!;
  return {
    member: h % passkeys.length, release: Math.floor(h / passkeys.length) % hashes.length, peerId: `-qB4650-${k.toString(16).padStart(12, '0')}`,
    key: k, port: 1025 + (k % 60000), uploaded: BigInt(Math.floor(elapsed * 262.144 * ((k % 7) + 1))),
    downloaded: seeder ? 0n : BigInt(Math.floor(elapsed * 524.288)), left: seeder ? 0n : 1073741824n, event,
  };
}

interface Client {
  tid: number;
  state: 'connect' | 'announce';
  startedAt: number;
  timer: NodeJS.Timeout | null;
  connectionId: Buffer | null;
  connectedAt: number;
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

function newTid(client: Client): void {
  clients.delete(client.tid);
  client.tid = nextTid++ >>> 0;
  clients.set(client.tid, client);
}

function announce(client: Client): void {
  newTid(client);
  client.state = 'announce';
  send(client, announcePacket(client.connectionId!, client.tid, options.steady ? steadyReport(options.steady) : passkeyReport()));
}

function begin(client: Client): void {
  if (!running) return;
  client.startedAt = performance.now();
  if (client.connectionId && Date.now() - client.connectedAt < CONNECTION_ID_MS) return announce(client);
  newTid(client);
  client.state = 'connect';
  send(client, connectPacket(client.tid));
}

function retry(client: Client): void {
  stats.retries++;
  client.connectionId = null;
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
    client.connectionId = Buffer.from(message.subarray(8, 16));
    client.connectedAt = Date.now();
    announce(client);
  } else if (action === ACTION_ANNOUNCE && client.state === 'announce') {
    stats.announces++;
    stats.latencies.push(performance.now() - client.startedAt);
    if (client.timer) clearTimeout(client.timer);
    next(client);
  } else if (action === ACTION_ERROR) {
    stats.errors++;
    if (stats.errors === 1) process.stderr.write(`error packet: ${message.subarray(8).toString()}\n`);
    if (client.timer) clearTimeout(client.timer);
    client.connectionId = null;
    next(client);
  }
});

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

socket.bind(0, '127.0.0.1', () => {
  socket.setRecvBufferSize(4 * 1024 * 1024);
  socket.setSendBufferSize(4 * 1024 * 1024);
  for (let i = 0; i < options.inflight; i++) begin({ tid: 0, state: 'connect', startedAt: 0, timer: null, connectionId: null, connectedAt: 0 });
  setTimeout(() => {
    running = false;
    const seconds = (Date.now() - t0) / 1000;
    const sorted = stats.latencies.sort((a, b) => a - b);
    process.stdout.write(`UDPJSON ${JSON.stringify({ announces: stats.announces, connects: stats.connects, errors: stats.errors,
      retries: stats.retries, seconds, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) })}\n`);
    process.exit(0);
  }, options.durationSec * 1000);
});
