// BEP 15 (UDP tracker protocol) packets -> TrackerCore -> reply packets, as one pure function
// `handlePacket(packet, rinfo) -> reply | null` that the socket code (udp.ts) and the fuzz
// test share. BEP 41 options carry the passkey (udp-options.ts); connection ids are stateless
// HMACs (udp-connection-id.ts). No amplification: a packet without a valid connection id gets
// at most a reply no larger than itself (connect replies are 16 bytes, BEP 15); bigger
// replies go only to addresses that proved they receive our packets.
import type { Clock } from '../../clock.js';
import { afterDurable } from '../core/reply.js';
import { ConnectionIds } from './connection-id.js';
import { passkeyFromUrl, readUrlData } from './options.js';
import { TrackerError, type AnnounceEvent, type AnnounceRequest, type AnnounceResult, type TrackerCore } from '../core/types.js';

export const PROTOCOL_ID = 0x41727101980n;
export const ACTION_CONNECT = 0;
export const ACTION_ANNOUNCE = 1;
export const ACTION_SCRAPE = 2;
export const ACTION_ERROR = 3;
/** BEP 15: connection_id, action, transaction_id, info_hash, peer_id, 3x int64, 4x int32, port */
export const ANNOUNCE_SIZE = 98;
/** BEP 15: "up to about 74 torrents can be scraped at once" (one Ethernet frame) */
export const MAX_SCRAPE_HASHES = 74;
// A reply must fit one datagram on a 1500-byte link without fragmenting: 1500 - 40 (IPv6)
// - 8 (UDP) = 1452 bytes, minus the 20-byte announce header.
const MAX_PEER_BYTES = 1452 - 20;
const MAX_ERROR_TEXT = 1024;

const EVENTS: readonly AnnounceEvent[] = ['', 'completed', 'started', 'stopped'];

export const MESSAGES = {
  badConnectionId: 'Connection ID expired; reconnect',
  noUrlData:
    'This client does not send the passkey over UDP (BEP 41): use the HTTP announce URL from your .torrent',
  noPasskey: 'No passkey in the announce URL: use the announce URL from your .torrent',
  scrapePasskey: 'UDP scrape needs the passkey (BEP 41 URL data): use the HTTP scrape URL',
  badEvent: 'Invalid event',
  badPort: 'Invalid port',
  badCounters: 'Invalid uploaded/downloaded/left',
  shortAnnounce: 'Malformed announce packet',
  noHashes: 'Scrape without info_hash',
  internal: 'Internal tracker error, try again later',
} as const;

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
        const result = core.announce(parseAnnounce(packet, source, rinfo.family === 'IPv6'));
        boundary = result.boundary === true;
        reply = encodeAnnounce(packet, result, rinfo.family === 'IPv6', source.family === 4);
      } else {
        reply = scrapeReply(core, packet);
      }
    } catch (error) {
      if (error instanceof TrackerError) {
        boundary = error.boundary;
        reply = errorPacket(packet, core.reasonText ? core.reasonText(error) : error.message);
      } else {
        onError(error);
        reply = errorPacket(packet, MESSAGES.internal);
      }
    }
    if (!boundary || later === undefined || core.durable === undefined) return reply;
    later(afterDurable(core.durable(), reply), rinfo);
    return null;
  };
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

interface Source {
  ip: string;
  family: 4 | 6;
}

/** `::ffff:a.b.c.d` (an IPv4 client on a dual-stack socket) is that IPv4 client (BEP 7). */
export function normaliseAddress(address: string): Source {
  if (address.includes(':')) {
    if (address.startsWith('::ffff:') && address.includes('.')) return { ip: address.slice(7), family: 4 };
    return { ip: address, family: 6 };
  }
  return { ip: address, family: 4 };
}

/** Parses the 98-byte announce and its BEP 41 options; throws TrackerError on bad fields. */
export function parseAnnounce(packet: Buffer, source: Source, onIPv6: boolean): AnnounceRequest {
  if (packet.length < ANNOUNCE_SIZE) throw new TrackerError(MESSAGES.shortAnnounce);
  const url = readUrlData(packet, ANNOUNCE_SIZE);
  if (url === null) throw new TrackerError(MESSAGES.noUrlData);
  const passkey = passkeyFromUrl(url);
  if (passkey === null) throw new TrackerError(MESSAGES.noPasskey);
  const downloaded = packet.readBigInt64BE(56);
  const left = packet.readBigInt64BE(64);
  const uploaded = packet.readBigInt64BE(72);
  if (downloaded < 0n || left < 0n || uploaded < 0n) throw new TrackerError(MESSAGES.badCounters);
  const event = EVENTS[packet.readUInt32BE(80)];
  if (event === undefined) throw new TrackerError(MESSAGES.badEvent);
  // bytes 84-87: the client's IP field, ignored (BEP 15 allows it; trusting it lets anyone
  // place someone else's address in a swarm)
  const port = packet.readUInt16BE(96);
  if (port === 0) throw new TrackerError(MESSAGES.badPort);
  return {
    passkey,
    infoHash: packet.subarray(16, 36),
    peerId: packet.subarray(36, 56),
    port,
    uploaded,
    downloaded,
    left,
    event,
    numwant: numwantOf(packet.readInt32BE(92), onIPv6),
    key: packet.toString('hex', 88, 92).toUpperCase(),
    ip: source.ip,
    family: source.family,
    transport: 'udp',
    // an IPv4 client on the dual-stack IPv6 socket gets both (IPv4 ones mapped): see peerBytes
    peerFamily: !onIPv6 ? 4 : source.family === 6 ? 6 : undefined,
  };
}

/** -1 (any negative) means the default; capped so the reply fits one datagram. */
function numwantOf(wanted: number, onIPv6: boolean): number | null {
  if (wanted < 0) return null;
  return Math.min(wanted, Math.floor(MAX_PEER_BYTES / (onIPv6 ? 18 : 6)));
}

/** action 1, transaction id, interval, leechers, seeders, then 6-byte (udp4) or 18-byte (udp6) peers. */
function encodeAnnounce(packet: Buffer, result: AnnounceResult, onIPv6: boolean, v4Client: boolean): Buffer {
  const peers = peerBytes(result, onIPv6, v4Client);
  const stride = onIPv6 ? 18 : 6;
  const count = Math.min(peers.length, Math.floor(MAX_PEER_BYTES / stride) * stride);
  const reply = Buffer.allocUnsafe(20 + count);
  reply.writeUInt32BE(ACTION_ANNOUNCE, 0);
  packet.copy(reply, 4, 12, 16);
  reply.writeUInt32BE(clampU32(result.interval), 8);
  reply.writeUInt32BE(clampU32(result.incomplete), 12);
  reply.writeUInt32BE(clampU32(result.complete), 16);
  peers.copy(reply, 20, 0, count);
  return reply;
}

/** The compact peer list for the socket's family; built from peers4/peers6 when the core gives no compact form. */
function peerBytes(result: AnnounceResult, onIPv6: boolean, v4Client: boolean): Buffer {
  if (!onIPv6) return peers4Of(result);
  const peers6 = result.compact6 ?? encodePeers6(result.peers6);
  // an IPv4 client reached us through a dual-stack socket: it can only use IPv4 peers, which
  // must be 18-byte entries on this socket, so send them IPv4-mapped
  return v4Client ? Buffer.concat([mapIPv4(peers4Of(result)), peers6]) : peers6;
}

function peers4Of(result: AnnounceResult): Buffer {
  return result.compact4 ?? encodePeers4(result.peers4);
}

function scrapeReply(core: TrackerCore, packet: Buffer): Buffer {
  const { hashes, passkey } = parseScrape(packet);
  if (hashes.length === 0) throw new TrackerError(MESSAGES.noHashes);
  if (passkey === null) throw new TrackerError(MESSAGES.scrapePasskey);
  const entries = core.scrape(passkey, hashes);
  const byHash = new Map(entries.map((entry) => [entry.infoHash.toString('latin1'), entry]));
  const reply = Buffer.alloc(8 + 12 * hashes.length); // zeros: an unknown hash
  reply.writeUInt32BE(ACTION_SCRAPE, 0);
  packet.copy(reply, 4, 12, 16);
  hashes.forEach((hash, i) => {
    const entry = byHash.get(hash.toString('latin1'));
    if (!entry) return;
    reply.writeUInt32BE(clampU32(entry.complete), 8 + 12 * i);
    reply.writeUInt32BE(clampU32(entry.downloaded), 12 + 12 * i);
    reply.writeUInt32BE(clampU32(entry.incomplete), 16 + 12 * i);
  });
  return reply;
}

/**
 * BEP 15 scrape: 16-byte header then 20-byte hashes (at most 74 answered, in request order,
 * duplicates repeated). No client sends BEP 41 options with a scrape (libtorrent's scrape
 * packet is exactly 36 bytes), so seedkeep accepts one form for clients that want to: right
 * after the last hash, a single URLData chunk holding the whole passkey path. Any bytes after
 * that chunk are ignored. A hash cannot be mistaken for it: the chunk's text must be a
 * passkey path from its first byte.
 */
export function parseScrape(packet: Buffer): { hashes: Buffer[]; passkey: string | null } {
  let passkey: string | null = null;
  let count = 0;
  for (let offset = 16; offset < packet.length; offset += 20, count++) {
    passkey = scrapePasskeyAt(packet, offset);
    if (passkey !== null || offset + 20 > packet.length) break;
  }
  const hashes: Buffer[] = [];
  for (let i = 0; i < Math.min(count, MAX_SCRAPE_HASHES); i++) hashes.push(packet.subarray(16 + 20 * i, 36 + 20 * i));
  return { hashes, passkey };
}

function scrapePasskeyAt(packet: Buffer, offset: number): string | null {
  if (packet[offset] !== 0x02 || offset + 1 >= packet.length) return null;
  const end = offset + 2 + packet[offset + 1];
  if (end > packet.length || packet[offset + 2] !== 0x2f) return null; // must start with '/'
  return passkeyFromUrl(packet.toString('latin1', offset + 2, end));
}

/** BEP 15 error: action 3, transaction id, message text. */
export function errorPacket(packet: Buffer, message: string): Buffer {
  const reply = Buffer.allocUnsafe(8 + Math.min(Buffer.byteLength(message), MAX_ERROR_TEXT));
  reply.writeUInt32BE(ACTION_ERROR, 0);
  packet.copy(reply, 4, 12, 16);
  // a long deletion reason is cut to one datagram; write() never splits a UTF-8 character,
  // so send only what it wrote (the rest of allocUnsafe's memory must not leave)
  const written = reply.write(message, 8, reply.length - 8);
  return reply.subarray(0, 8 + written);
}

/** An error to an address that has not proved itself: only when no larger than its packet. */
function boundedError(packet: Buffer, message: string): Buffer | null {
  return 8 + message.length <= packet.length ? errorPacket(packet, message) : null;
}

function clampU32(n: number): number {
  return Number.isFinite(n) ? Math.min(Math.max(Math.trunc(n), 0), 0xffffffff) : 0;
}

function encodePeers4(peers: AnnounceResult['peers4']): Buffer {
  const out = Buffer.allocUnsafe(6 * peers.length);
  let offset = 0;
  for (const peer of peers) {
    const parts = peer.ip.split('.');
    if (parts.length !== 4) continue;
    for (const part of parts) out[offset++] = Number(part) & 0xff;
    out.writeUInt16BE(peer.port, offset);
    offset += 2;
  }
  return out.subarray(0, offset);
}

function encodePeers6(peers: AnnounceResult['peers6']): Buffer {
  const out = Buffer.alloc(18 * peers.length);
  let offset = 0;
  for (const peer of peers) {
    if (!writeIPv6(peer.ip, out, offset)) continue;
    out.writeUInt16BE(peer.port, offset + 16);
    offset += 18;
  }
  return out.subarray(0, offset);
}

/** IPv6 text -> 16 bytes at `offset`; false when it is not an IPv6 address. */
export function writeIPv6(ip: string, out: Buffer, offset: number): boolean {
  const zone = ip.indexOf('%');
  const text = zone === -1 ? ip : ip.slice(0, zone);
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = (half: string): string[] => (half === '' ? [] : half.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const last = tail.length > 0 ? tail : head;
  if (last.length > 0 && last[last.length - 1].includes('.')) {
    const v4 = last.pop()!.split('.').map(Number);
    if (v4.length !== 4 || v4.some((n) => !(n >= 0 && n <= 255))) return false;
    last.push(((v4[0] << 8) | v4[1]).toString(16), ((v4[2] << 8) | v4[3]).toString(16));
  }
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return false;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  for (let i = 0; i < 8; i++) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(all[i])) return false;
    out.writeUInt16BE(parseInt(all[i], 16), offset + 2 * i);
  }
  return true;
}

function mapIPv4(compact4: Buffer): Buffer {
  const count = Math.floor(compact4.length / 6);
  const out = Buffer.alloc(18 * count);
  for (let i = 0; i < count; i++) {
    out.writeUInt16BE(0xffff, 18 * i + 10);
    compact4.copy(out, 18 * i + 12, 6 * i, 6 * i + 6);
  }
  return out;
}
