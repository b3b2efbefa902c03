// BEP 15 request packets -> AnnounceRequest, and the scrape's hashes and passkey. The passkey
// comes from the BEP 41 URL data (options.ts). Bad fields throw a TrackerError whose message
// the client shows (MESSAGES).
import { MAX_PEER_BYTES } from './encode-reply.js';
import { passkeyFromUrl, readUrlData } from './options.js';
import { TrackerError, type AnnounceEvent, type AnnounceRequest } from '../core/types.js';

/** BEP 15: connection_id, action, transaction_id, info_hash, peer_id, 3x int64, 4x int32, port */
export const ANNOUNCE_SIZE = 98;
/** BEP 15: "up to about 74 torrents can be scraped at once" (one Ethernet frame) */
export const MAX_SCRAPE_HASHES = 74;

const EVENTS: readonly AnnounceEvent[] = ['', 'completed', 'started', 'stopped'];

/** What the client shows for a refused packet (the handler's own two included). */
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

export interface Source {
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
