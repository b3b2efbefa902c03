// AnnounceResult and scrape entries -> BEP 15 reply packets: 6-byte peers on the IPv4 socket,
// 18-byte ones on the IPv6 socket (IPv4 peers mapped for a dual-stack client, BEP 7), each
// reply small enough for one datagram; and the error packet.
import type { AnnounceResult, ScrapeEntry } from '../core/types.js';

export const ACTION_CONNECT = 0;
export const ACTION_ANNOUNCE = 1;
export const ACTION_SCRAPE = 2;
export const ACTION_ERROR = 3;

// A reply must fit one datagram on a 1500-byte link without fragmenting: 1500 - 40 (IPv6)
// - 8 (UDP) = 1452 bytes, minus the 20-byte announce header.
export const MAX_PEER_BYTES = 1452 - 20;
const MAX_ERROR_TEXT = 1024;

/** action 1, transaction id, interval, leechers, seeders, then 6-byte (udp4) or 18-byte (udp6) peers. */
export function encodeAnnounce(packet: Buffer, result: AnnounceResult, onIPv6: boolean, v4Client: boolean): Buffer {
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

/** action 2, transaction id, then (seeders, completed, leechers) per asked hash in order; zeros for an unknown hash. */
export function encodeScrape(packet: Buffer, hashes: Buffer[], entries: ScrapeEntry[]): Buffer {
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
