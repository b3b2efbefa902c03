// BEP 15 (UDP tracker protocol) packets -> TrackerCore -> reply packets, as one pure function
// `handlePacket(packet, rinfo) -> reply | null` that the socket code (socket.ts) and the fuzz
// test share: requests are parsed in parse-request.ts, replies encoded in encode-reply.ts.
// BEP 41 options carry the passkey (options.ts); connection ids are stateless HMACs
// (connection-id.ts). No amplification: a packet without a valid connection id gets
// at most a reply no larger than itself (connect replies are 16 bytes, BEP 15); bigger
// replies go only to addresses that proved they receive our packets.
import type { Clock } from '../../clock.js';
import { afterDurable } from '../core/reply.js';
import { ConnectionIds } from './connection-id.js';
import { ACTION_ANNOUNCE, ACTION_CONNECT, ACTION_SCRAPE, encodeAnnounce, encodeScrape, errorPacket } from './encode-reply.js';
import { MESSAGES, normaliseAddress, parseAnnounce, parseScrape } from './parse-request.js';
import { TrackerError, type TrackerCore } from '../core/types.js';

export { MESSAGES, parseScrape } from './parse-request.js';

export const PROTOCOL_ID = 0x41727101980n;

export interface RemoteInfo {
  address: string;
  port: number;
  /** the family of the socket the packet arrived on */
  family: string; // 'IPv4' | 'IPv6', as dgram reports it
}

export interface PacketHandlerOptions {
  secret: string;
  clock: Clock;
  /** unexpected (non-TrackerError) failures of the core; TrackerErrors go to the client */
  onError?: (error: unknown) => void;
}

/**
 * Returns the reply to send now, or null. A session boundary's announce reply is sent only
 * once the core says it is durable: it goes to `later` (the socket that received the packet
 * sends it then) and null is returned. Without `later` it is returned at once.
 */
export type PacketHandler = (packet: Buffer, rinfo: RemoteInfo, later?: LaterReply) => Buffer | null;
export type LaterReply = (reply: Promise<Buffer>, rinfo: RemoteInfo) => void;

export function createPacketHandler(core: TrackerCore, options: PacketHandlerOptions): PacketHandler {
  const ids = new ConnectionIds(options.secret, options.clock);
  const onError = options.onError ?? (() => {});

  return function handlePacket(packet, rinfo, later) {
    if (packet.length < 16) return null;
    const action = packet.readUInt32BE(8);
    if (action === ACTION_CONNECT) return connectReply(packet, rinfo, ids);
    if (action !== ACTION_ANNOUNCE && action !== ACTION_SCRAPE) return null;
    const source = normaliseAddress(rinfo.address);
    if (!ids.verify(packet, source.ip)) return boundedError(packet, MESSAGES.badConnectionId);
    let reply: Buffer;
    let boundary = false;
    try {
      if (action === ACTION_ANNOUNCE) {
        const ipv6 = rinfo.family === 'IPv6';
        const result = core.announce(parseAnnounce(packet, source, ipv6));
        // a core over a shared peer store answers later: the socket sends it then
        if (result instanceof Promise) return deferred(result.then((answered) => encodeAnnounce(packet, answered, ipv6, source.family === 4)), core, packet, onError, rinfo, later);
        boundary = result.boundary === true;
        reply = encodeAnnounce(packet, result, ipv6, source.family === 4);
      } else {
        const scraped = scrapeReply(core, packet);
        if (scraped instanceof Promise) return deferred(scraped, core, packet, onError, rinfo, later);
        reply = scraped;
      }
    } catch (error) {
      if (error instanceof TrackerError) boundary = error.boundary;
      reply = errorReply(core, packet, error, onError);
    }
    if (!boundary || later === undefined || core.durable === undefined) return reply;
    later(afterDurable(core.durable(), reply), rinfo);
    return null;
  };
}

function errorReply(core: TrackerCore, packet: Buffer, error: unknown, onError: (error: unknown) => void): Buffer {
  if (error instanceof TrackerError) return errorPacket(packet, core.reasonText ? core.reasonText(error) : error.message);
  onError(error);
  return errorPacket(packet, MESSAGES.internal);
}

/** A reply the core gives as a promise: to `later` (never rejecting); without `later`, none. */
function deferred(reply: Promise<Buffer>, core: TrackerCore, packet: Buffer, onError: (error: unknown) => void, rinfo: RemoteInfo, later: LaterReply | undefined): null {
  const settled = reply.catch((error: unknown) => errorReply(core, packet, error, onError));
  if (later) later(settled, rinfo);
  return null;
}

/** BEP 15 connect: 16 bytes in (protocol id, action 0, transaction id), 16 bytes out. */
function connectReply(packet: Buffer, rinfo: RemoteInfo, ids: ConnectionIds): Buffer | null {
  // 0x41727101980 as two 32-bit halves: no BigInt per packet
  if (packet.readUInt32BE(0) !== 0x417 || packet.readUInt32BE(4) !== 0x27101980) return null;
  const reply = Buffer.allocUnsafe(16);
  reply.writeUInt32BE(ACTION_CONNECT, 0);
  packet.copy(reply, 4, 12, 16);
  ids.write(normaliseAddress(rinfo.address).ip, reply, 8);
  return reply;
}

function scrapeReply(core: TrackerCore, packet: Buffer): Buffer | Promise<Buffer> {
  const { hashes, passkey } = parseScrape(packet);
  if (hashes.length === 0) throw new TrackerError(MESSAGES.noHashes);
  if (passkey === null) throw new TrackerError(MESSAGES.scrapePasskey);
  const entries = core.scrape(passkey, hashes);
  if (entries instanceof Promise) return entries.then((scraped) => encodeScrape(packet, hashes, scraped));
  return encodeScrape(packet, hashes, entries);
}

/** An error to an address that has not proved itself: only when no larger than its packet. */
function boundedError(packet: Buffer, message: string): Buffer | null {
  return 8 + message.length <= packet.length ? errorPacket(packet, message) : null;
}

