// The UDP tracker (BEP 15 + BEP 41) on its own dgram sockets: one IPv4 socket and, when the
// host allows it, one IPv6-only socket on the same port, so that peers handed to an IPv6
// client are 18-byte entries and to an IPv4 client 6-byte ones (BEP 15 picks the stride by
// the address family of the tracker). Packets are handled by udp-packet.ts; this file only
// binds, receives, sends and closes.
import dgram from 'node:dgram';
import dns from 'node:dns';
import { isIP } from 'node:net';
import { once } from 'node:events';
import { systemClock, type Clock } from '../clock.js';
import { createPacketHandler, type LaterReply, type PacketHandler } from './udp-packet.js';
import type { TrackerCore } from './types.js';

export interface UdpTracker {
  /** bound ports, IPv4 then IPv6 (0 when that family is off or failed to bind) */
  readonly ports: { udp4: number; udp6: number };
  close(): Promise<void>;
}

export interface UdpOptions {
  port: number;
  host: string;
  /** key of the connection-id HMAC (config.trackerSecret) */
  secret: string;
  clock?: Clock;
  /** also bind an IPv6 socket (default true); its failure never stops IPv4 */
  ipv6?: boolean;
  /** unexpected failures (a bug in the core, a socket error); default: ignored */
  onError?: (error: unknown) => void;
}

export async function startUdpTracker(core: TrackerCore, options: UdpOptions): Promise<UdpTracker> {
  const onError = options.onError ?? (() => {});
  const handle = createPacketHandler(core, { secret: options.secret, clock: options.clock ?? systemClock, onError });
  const hosts = hostsFor(options.host);
  const sockets: dgram.Socket[] = [];
  let udp4 = 0;
  let udp6 = 0;
  if (hosts.v4 !== null) {
    const socket = await bindSocket('udp4', hosts.v4, options.port, handle, onError);
    sockets.push(socket);
    udp4 = socket.address().port;
  }
  if (hosts.v6 !== null && options.ipv6 !== false) {
    // the same port as IPv4, so one udp:// URL with a host name reaches both
    const port = udp4 || options.port;
    const socket = await bindSocket('udp6', hosts.v6, port, handle, onError).catch((error: unknown) => {
      onError(error);
      return null;
    });
    if (socket) {
      sockets.push(socket);
      udp6 = socket.address().port;
    }
  }
  if (sockets.length === 0) throw new Error(`no UDP socket could be bound on ${options.host}:${options.port}`);
  return {
    ports: { udp4, udp6 },
    close: () => Promise.all(sockets.map(closeSocket)).then(() => undefined),
  };
}

/** The IPv4 and IPv6 addresses to bind for a configured host. */
export function hostsFor(host: string): { v4: string | null; v6: string | null } {
  if (host === '0.0.0.0' || host === '::' || host === '') return { v4: '0.0.0.0', v6: '::' };
  if (host === '127.0.0.1' || host === 'localhost' || host === '::1') return { v4: '127.0.0.1', v6: '::1' };
  return host.includes(':') ? { v4: null, v6: host } : { v4: host, v6: null };
}

async function bindSocket(
  type: 'udp4' | 'udp6',
  address: string,
  port: number,
  handle: PacketHandler,
  onError: (error: unknown) => void,
): Promise<dgram.Socket> {
  const socket = dgram.createSocket({ type, ipv6Only: type === 'udp6', lookup: literalLookup });
  const bound = once(socket, 'listening');
  const failed = once(socket, 'error').then(([error]) => Promise.reject(error as Error));
  socket.bind(port, address);
  try {
    await Promise.race([bound, failed]);
  } catch (error) {
    socket.close();
    throw error;
  }
  failed.catch(() => {}); // settled by the race; later errors go to the listener below
  socket.removeAllListeners('error');
  socket.on('error', onError);
  // a session boundary's reply, sent from this socket once its flush committed
  const later = (reply: Promise<Buffer>, rinfo: dgram.RemoteInfo): void => {
    void reply.then((ready) => {
      try {
        socket.send(ready, rinfo.port, rinfo.address);
      } catch {
        // closed meanwhile (shutdown): a lost datagram, which BEP 15 clients retry
      }
    });
  };
  socket.on('message', (packet, rinfo) => {
    let reply: Buffer | null;
    try {
      reply = handle(packet, rinfo, later as LaterReply);
    } catch (error) {
      onError(error); // handlePacket does not throw; a bug here must not kill the process
      return;
    }
    // No callback: Node then tries the send at once (uv_udp_try_send) instead of queueing a
    // request whose completion calls back into JavaScript for every packet. A reply the
    // kernel refuses (buffer full) is a lost datagram, which BEP 15 clients retry anyway.
    if (reply) socket.send(reply, rinfo.port, rinfo.address);
  });
  return socket;
}

/**
 * Every reply goes to rinfo.address, an IP literal: answer it at once instead of through
 * dns.lookup (its checks and a process.nextTick per packet). Names (a configured HOST) still
 * resolve through dns.lookup.
 */
export function literalLookup(address: string, family: unknown, callback: (error: Error | null, address: string, family: number) => void): void {
  const literal = isIP(address);
  if (literal !== 0) callback(null, address, literal);
  else dns.lookup(address, family as number, callback as never);
}

function closeSocket(socket: dgram.Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // already closed
    }
  });
}
