// A minimal BEP 15 client for the UDP tracker specs: builds connect/announce/scrape packets
// (with optional BEP 41 option bytes) and sends them from a real socket on 127.0.0.1 or ::1.
import dgram from 'node:dgram';
import { once } from 'node:events';

export const PROTOCOL_ID = 0x41727101980n;

export function connectPacket(tid = 0x01020304): Buffer {
  const packet = Buffer.alloc(16);
  packet.writeBigUInt64BE(PROTOCOL_ID, 0);
  packet.writeUInt32BE(0, 8);
  packet.writeUInt32BE(tid, 12);
  return packet;
}

export interface AnnounceFields {
  connectionId: Buffer;
  tid?: number;
  infoHash?: Buffer;
  peerId?: Buffer;
  downloaded?: bigint;
  left?: bigint;
  uploaded?: bigint;
  event?: number;
  ip?: number;
  key?: number;
  numwant?: number;
  port?: number;
  /** BEP 41 bytes appended after the 98-byte announce */
  options?: Buffer;
}

export const HASH_A = Buffer.alloc(20, 0xaa);
export const HASH_B = Buffer.alloc(20, 0xbb);
export const HASH_C = Buffer.alloc(20, 0xcc);
export const PEER_ID = Buffer.from('-LT2080-abcdefghijkl');
export const PASSKEY = '0123456789abcdef0123456789abcdef';

export function announcePacket(fields: AnnounceFields): Buffer {
  const packet = Buffer.alloc(98);
  fields.connectionId.copy(packet, 0, 0, 8);
  packet.writeUInt32BE(1, 8);
  packet.writeUInt32BE(fields.tid ?? 0x0a0b0c0d, 12);
  (fields.infoHash ?? HASH_A).copy(packet, 16);
  (fields.peerId ?? PEER_ID).copy(packet, 36);
  packet.writeBigInt64BE(fields.downloaded ?? 0n, 56);
  packet.writeBigInt64BE(fields.left ?? 1000n, 64);
  packet.writeBigInt64BE(fields.uploaded ?? 0n, 72);
  packet.writeUInt32BE(fields.event ?? 0, 80);
  packet.writeUInt32BE(fields.ip ?? 0, 84);
  packet.writeUInt32BE(fields.key ?? 0xdeadbeef, 88);
  packet.writeInt32BE(fields.numwant ?? -1, 92);
  packet.writeUInt16BE(fields.port ?? 6881, 96);
  return fields.options ? Buffer.concat([packet, fields.options]) : packet;
}

export function scrapePacket(connectionId: Buffer, hashes: Buffer[], options?: Buffer, tid = 0x11223344): Buffer {
  const head = Buffer.alloc(16);
  connectionId.copy(head, 0, 0, 8);
  head.writeUInt32BE(2, 8);
  head.writeUInt32BE(tid, 12);
  return Buffer.concat([head, ...hashes, ...(options ? [options] : [])]);
}

/** BEP 41 URLData option(s): one type-2 chunk per string. */
export function urlData(...chunks: string[]): Buffer {
  return Buffer.concat(chunks.map((chunk) => Buffer.concat([Buffer.from([2, chunk.length]), Buffer.from(chunk, 'latin1')])));
}

export const passkeyOption = (passkey = PASSKEY): Buffer => urlData(`/${passkey}/announce`);

export class UdpTestClient {
  readonly socket: dgram.Socket;
  private readonly server: { host: string; port: number };

  private constructor(socket: dgram.Socket, server: { host: string; port: number }) {
    this.socket = socket;
    this.server = server;
  }

  static async open(server: { host: string; port: number }, bindHost = server.host): Promise<UdpTestClient> {
    const socket = dgram.createSocket(server.host.includes(':') ? 'udp6' : 'udp4');
    socket.bind(0, bindHost);
    await once(socket, 'listening');
    return new UdpTestClient(socket, server);
  }

  /** Sends one packet; resolves with the reply or null after `timeoutMs` without one. */
  async request(packet: Buffer, timeoutMs = 2000): Promise<Buffer | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.socket.off('message', onMessage);
        resolve(null);
      }, timeoutMs);
      const onMessage = (message: Buffer): void => {
        clearTimeout(timer);
        this.socket.off('message', onMessage);
        resolve(message);
      };
      this.socket.on('message', onMessage);
      this.socket.send(packet, this.server.port, this.server.host);
    });
  }

  async connect(): Promise<Buffer> {
    const reply = await this.request(connectPacket());
    if (!reply || reply.length !== 16) throw new Error('no connect reply');
    return reply.subarray(8, 16);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

/** Decodes an error packet (action 3) to its text, or null if it is not one. */
export function errorText(reply: Buffer | null): string | null {
  if (!reply || reply.length < 8 || reply.readUInt32BE(0) !== 3) return null;
  return reply.toString('utf8', 8);
}
