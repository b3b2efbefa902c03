// A population of distinct peers announcing over UDP (BEP 15, the passkey as a BEP 41 URLData
// option) from the bench process: each peer is (member, release, peer_id) with counters the
// caller chooses, so a section knows exactly what every client reported and can check the
// books against it. A window of announces is kept in flight; one that gets no reply is sent
// again (the same counters: for the tracker a repeated report, as from a real client).
import { createSocket } from 'node:dgram';
import { passkeyOf, infoHashOf } from './fixture.js';

const PROTOCOL_ID = 0x41727101980n;
const EVENTS = { '': 0, completed: 1, started: 2, stopped: 3 } as const;

export interface PeerReport {
  member: number;
  release: number;
  /** distinct per peer: the peer_id and the key are derived from it */
  peer: number;
  uploaded: bigint;
  downloaded: bigint;
  left: bigint;
  event: keyof typeof EVENTS;
}

export interface SwarmRun {
  answered: number;
  /** error packets, by message */
  errors: Map<string, number>;
  resent: number;
  ms: number;
}

export interface SwarmOptions {
  port: number;
  /** announces in flight */
  window?: number;
  /** an announce with no reply after this long is sent again */
  resendMs?: number;
  numwant?: number;
  /** called about every 100 ms with the announces answered so far */
  onProgress?: (answered: number) => void;
  /** called once for each report the tracker answered with an announce reply (not an error packet) */
  onAnswer?: (report: PeerReport) => void;
}

/** Peer `peer`'s 20-byte id: an Azureus-style prefix (BEP 20) and the number in hex. */
export function peerIdOf(peer: number): string {
  return `-qB4650-${peer.toString(16).padStart(12, '0')}`;
}

const passkeys = new Map<number, Buffer>();
const hashes = new Map<number, Buffer>();
function cached(map: Map<number, Buffer>, key: number, make: () => Buffer): Buffer {
  let value = map.get(key);
  if (!value) {
    value = make();
    if (map.size > 200_000) map.clear();
    map.set(key, value);
  }
  return value;
}

function announcePacket(connectionId: Buffer, tid: number, r: PeerReport, numwant: number): Buffer {
  const url = cached(passkeys, r.member, () => Buffer.from(`/${passkeyOf(r.member)}/announce`));
  const packet = Buffer.alloc(98 + 2 + url.length + 1);
  connectionId.copy(packet, 0);
  packet.writeUInt32BE(1, 8);
  packet.writeUInt32BE(tid, 12);
  cached(hashes, r.release, () => infoHashOf(r.release)).copy(packet, 16);
  packet.write(peerIdOf(r.peer), 36, 'latin1');
  packet.writeBigUInt64BE(r.downloaded, 56);
  packet.writeBigUInt64BE(r.left, 64);
  packet.writeBigUInt64BE(r.uploaded, 72);
  packet.writeUInt32BE(EVENTS[r.event], 80);
  packet.writeUInt32BE(0, 84);
  packet.writeUInt32BE(r.peer >>> 0, 88); // key
  packet.writeInt32BE(numwant, 92);
  packet.writeUInt16BE(1025 + (r.peer % 60_000), 96);
  packet[98] = 0x02;
  packet[99] = url.length;
  url.copy(packet, 100);
  return packet;
}

/**
 * Sends every report (from `reports`, pulled lazily) and resolves once each one got an answer
 * (an announce reply or an error packet). Connection ids are renewed every 50 s (BEP 15 asks
 * trackers to accept one for at least a minute).
 */
export async function announceAll(reports: Iterable<PeerReport>, options: SwarmOptions): Promise<SwarmRun> {
  const window = options.window ?? 256;
  const resendMs = options.resendMs ?? 1500;
  const numwant = options.numwant ?? 0;
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  socket.setSendBufferSize?.(4 * 1024 * 1024);
  socket.setRecvBufferSize?.(8 * 1024 * 1024);
  const started = performance.now();
  const iterator = reports[Symbol.iterator]();
  const inFlight = new Map<number, { report: PeerReport; sentAt: number }>();
  const run: SwarmRun = { answered: 0, errors: new Map(), resent: 0, ms: 0 };
  let connectionId: Buffer | null = null;
  let connectedAt = 0;
  let nextTid = 1;
  let exhausted = false;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));

  const send = (tid: number, report: PeerReport): void => {
    inFlight.set(tid, { report, sentAt: performance.now() });
    socket.send(announcePacket(connectionId!, tid, report, numwant), options.port, '127.0.0.1');
  };
  const fill = (): void => {
    while (!exhausted && inFlight.size < window && connectionId) {
      const next = iterator.next();
      if (next.done) exhausted = true;
      else send(nextTid++ >>> 0, next.value);
    }
    if (exhausted && inFlight.size === 0) done();
  };
  const connect = (): void => {
    const packet = Buffer.alloc(16);
    packet.writeBigUInt64BE(PROTOCOL_ID, 0);
    packet.writeUInt32BE(0, 8);
    packet.writeUInt32BE(0, 12); // tid 0: the connect
    socket.send(packet, options.port, '127.0.0.1');
  };
  socket.on('message', (msg: Buffer) => {
    const action = msg.readUInt32BE(0);
    const tid = msg.readUInt32BE(4);
    if (action === 0 && tid === 0) {
      connectionId = Buffer.from(msg.subarray(8, 16));
      connectedAt = performance.now();
      fill();
      return;
    }
    const entry = inFlight.get(tid);
    if (!entry) return; // a reply to an announce already answered (a resend)
    inFlight.delete(tid);
    run.answered++;
    if (action === 1) options.onAnswer?.(entry.report);
    if (action === 3) {
      const message = msg.subarray(8).toString('utf8');
      run.errors.set(message, (run.errors.get(message) ?? 0) + 1);
    }
    fill();
  });
  const tick = setInterval(() => {
    const now = performance.now();
    if (!connectionId || now - connectedAt > 50_000) connect();
    if (!connectionId) return;
    for (const [tid, entry] of inFlight) {
      if (now - entry.sentAt < resendMs) continue;
      run.resent++;
      send(tid, entry.report);
    }
    options.onProgress?.(run.answered);
  }, 100);
  connect();
  try {
    await finished;
  } finally {
    clearInterval(tick);
    socket.close();
  }
  run.ms = performance.now() - started;
  return run;
}

export function describeErrors(run: SwarmRun): string {
  if (run.errors.size === 0) return 'no error packets';
  return [...run.errors].map(([message, n]) => `${n} × "${message}"`).join(', ');
}
