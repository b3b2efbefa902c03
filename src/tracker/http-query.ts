// Binary-safe parsing of announce and scrape query strings (BEP 3; docs/protocol.md,
// "Announce requests"). `info_hash` and `peer_id` are raw bytes, %-encoded: Fastify's parser would
// decode them as UTF-8 and corrupt them, so the raw query string is parsed here.
import { INT64_MAX } from '../int64.js';
import { TrackerError, type AnnounceEvent, type AnnounceRequest } from './types.js';

/** The announce fields of the query string, and how the HTTP reply lists peers (BEP 3, BEP 23). */
export interface AnnounceQuery
  extends Pick<AnnounceRequest, 'infoHash' | 'peerId' | 'port' | 'uploaded' | 'downloaded' | 'left' | 'event' | 'numwant' | 'key'> {
  compact: boolean;
  noPeerId: boolean;
}

const EVENTS = new Set<string>(['started', 'completed', 'stopped', 'paused', 'empty', '']);
/** a scrape asks for at most this many hashes (longer lists are truncated) */
export const MAX_SCRAPE_HASHES = 100;

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/** %XX and '+' (a space, as in form encoding) to bytes; null on a broken escape. */
export function percentDecode(text: string): Buffer | null {
  const out = Buffer.allocUnsafe(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 37) {
      const hi = hexValue(text.charCodeAt(i + 1));
      const lo = hexValue(text.charCodeAt(i + 2));
      if (hi < 0 || lo < 0) return null;
      out[n++] = (hi << 4) | lo;
      i += 2;
    } else if (code === 43) {
      out[n++] = 0x20;
    } else if (code > 0x7f) {
      return null; // raw non-ASCII is not a valid URL query byte
    } else {
      out[n++] = code;
    }
  }
  return out.subarray(0, n);
}

/** Splits `a=1&b=2` into raw (still %-encoded) pairs; repeated keys keep every value. */
export function splitQuery(query: string): Map<string, string[]> {
  const params = new Map<string, string[]>();
  if (query.length > 8192) throw new TrackerError('Query string too long');
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    const list = params.get(name);
    if (list) list.push(value);
    else params.set(name, [value]);
  }
  return params;
}

/** The announce parameters this tracker reads; the first value of each counts. */
const ANNOUNCE_NAMES = ['info_hash', 'peer_id', 'port', 'uploaded', 'downloaded', 'left', 'event', 'numwant', 'key', 'compact', 'no_peer_id'] as const;
type AnnounceName = (typeof ANNOUNCE_NAMES)[number];
type RawAnnounce = Partial<Record<AnnounceName, string>>;

/**
 * One pass over `a=1&b=2` keeping the first raw (still %-encoded) value of each announce
 * parameter: no Map, no array per name (this runs once per announce). Names are compared
 * raw, as splitQuery does.
 */
function announceParams(query: string): RawAnnounce {
  if (query.length > 8192) throw new TrackerError('Query string too long');
  const params: RawAnnounce = {};
  for (let start = 0; start < query.length; ) {
    let end = query.indexOf('&', start);
    if (end < 0) end = query.length;
    let nameEnd = start; // the '=' of this part, or its end (a scan bounded by the part)
    while (nameEnd < end && query.charCodeAt(nameEnd) !== 61) nameEnd++;
    for (const name of ANNOUNCE_NAMES) {
      if (nameEnd - start === name.length && query.startsWith(name, start)) {
        if (params[name] === undefined) params[name] = nameEnd === end ? '' : query.slice(nameEnd + 1, end);
        break;
      }
    }
    start = end + 1;
  }
  return params;
}

function twentyBytes(raw: string | undefined, name: string): Buffer {
  if (raw === undefined) throw new TrackerError(`Missing ${name}`);
  const bytes = percentDecode(raw);
  if (bytes === null || bytes.length !== 20) throw new TrackerError(`Invalid ${name}: must be 20 bytes`);
  return bytes;
}

/** Base-10 counter 0..2^63-1 (BEP 3): BigInt, since 2^53 is reached by real seedboxes. */
function counter(raw: string | undefined, name: string): bigint {
  if (raw === undefined) throw new TrackerError(`Missing ${name}`);
  if (!/^\d{1,19}$/.test(raw)) throw new TrackerError(`Invalid ${name}: must be a whole number`);
  const value = BigInt(raw);
  if (value > INT64_MAX) throw new TrackerError(`Invalid ${name}: too large`);
  return value;
}

function port(raw: string | undefined): number {
  if (raw === undefined) throw new TrackerError('Missing port');
  if (!/^\d{1,5}$/.test(raw)) throw new TrackerError('Invalid port');
  const value = Number(raw);
  if (value < 1 || value > 65535) throw new TrackerError('Invalid port');
  return value;
}

function event(raw = ''): AnnounceEvent {
  if (!EVENTS.has(raw)) throw new TrackerError('Invalid event');
  return raw === 'empty' ? '' : (raw as AnnounceEvent);
}

/** Absent, malformed or negative: the default (null); the core applies the cap. */
function numwant(raw: string | undefined): number | null {
  if (raw === undefined || !/^\d{1,6}$/.test(raw)) return null;
  return Number(raw);
}

/** `key` is opaque (BEP 7); kept printable and short for the peers.key column. */
function key(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  const bytes = percentDecode(raw);
  if (bytes === null) return null;
  return bytes.toString('latin1').replace(/[^\x20-\x7e]/g, '?').slice(0, 64);
}

/** Client-supplied ip/ipv4/ipv6 are ignored on purpose (BEP 7): the source address is used. */
export function parseAnnounceQuery(query: string): AnnounceQuery {
  const params = announceParams(query);
  return {
    infoHash: twentyBytes(params.info_hash, 'info_hash'),
    peerId: twentyBytes(params.peer_id, 'peer_id'),
    port: port(params.port),
    uploaded: counter(params.uploaded, 'uploaded'),
    downloaded: counter(params.downloaded, 'downloaded'),
    left: counter(params.left, 'left'),
    event: event(params.event),
    numwant: numwant(params.numwant),
    key: key(params.key),
    compact: params.compact !== '0',
    noPeerId: params.no_peer_id === '1',
  };
}

/** Every `info_hash` of a scrape (BEP 48); none means a full scrape, which is refused. */
export function parseScrapeQuery(query: string): Buffer[] {
  const values = splitQuery(query).get('info_hash');
  if (!values || values.length === 0) throw new TrackerError('Full scrape is not allowed: give one or more info_hash');
  const hashes: Buffer[] = [];
  for (const raw of values.slice(0, MAX_SCRAPE_HASHES)) {
    const bytes = percentDecode(raw);
    if (bytes === null || bytes.length !== 20) throw new TrackerError('Invalid info_hash: must be 20 bytes');
    hashes.push(bytes);
  }
  return hashes;
}

/** The query part of a raw request URL ('' when there is none). */
export function rawQueryOf(url: string | undefined): string {
  if (!url) return '';
  const q = url.indexOf('?');
  return q < 0 ? '' : url.slice(q + 1);
}
