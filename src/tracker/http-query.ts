// Binary-safe parsing of announce and scrape query strings (BEP 3, H2-H4, H10 of
// PROTOCOL.md). `info_hash` and `peer_id` are raw bytes, %-encoded: Fastify's parser would
// decode them as UTF-8 and corrupt them, so the raw query string is parsed here.
import { TrackerError, type AnnounceEvent } from './types.js';

export interface AnnounceQuery {
  infoHash: Buffer;
  peerId: Buffer;
  port: number;
  uploaded: bigint;
  downloaded: bigint;
  left: bigint;
  event: AnnounceEvent;
  numwant: number | null;
  key: string | null;
  compact: boolean;
  noPeerId: boolean;
}

const MAX_COUNTER = (1n << 63n) - 1n;
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

function single(params: Map<string, string[]>, name: string): string | undefined {
  return params.get(name)?.[0];
}

function twentyBytes(params: Map<string, string[]>, name: string): Buffer {
  const raw = single(params, name);
  if (raw === undefined) throw new TrackerError(`Missing ${name}`);
  const bytes = percentDecode(raw);
  if (bytes === null || bytes.length !== 20) throw new TrackerError(`Invalid ${name}: must be 20 bytes`);
  return bytes;
}

/** Base-10 counter 0..2^63-1 (H3): BigInt, since 2^53 is reached by real seedboxes. */
function counter(params: Map<string, string[]>, name: string): bigint {
  const raw = single(params, name);
  if (raw === undefined) throw new TrackerError(`Missing ${name}`);
  if (!/^\d{1,19}$/.test(raw)) throw new TrackerError(`Invalid ${name}: must be a whole number`);
  const value = BigInt(raw);
  if (value > MAX_COUNTER) throw new TrackerError(`Invalid ${name}: too large`);
  return value;
}

function port(params: Map<string, string[]>): number {
  const raw = single(params, 'port');
  if (raw === undefined) throw new TrackerError('Missing port');
  if (!/^\d{1,5}$/.test(raw)) throw new TrackerError('Invalid port');
  const value = Number(raw);
  if (value < 1 || value > 65535) throw new TrackerError('Invalid port');
  return value;
}

function event(params: Map<string, string[]>): AnnounceEvent {
  const raw = single(params, 'event') ?? '';
  if (!EVENTS.has(raw)) throw new TrackerError('Invalid event');
  return raw === 'empty' ? '' : (raw as AnnounceEvent);
}

/** Absent, malformed or negative: the default (null); the core applies the cap (H10). */
function numwant(params: Map<string, string[]>): number | null {
  const raw = single(params, 'numwant');
  if (raw === undefined || !/^\d{1,6}$/.test(raw)) return null;
  return Number(raw);
}

/** `key` is opaque (H15); kept printable and short for the peers.key column. */
function key(params: Map<string, string[]>): string | null {
  const raw = single(params, 'key');
  if (raw === undefined || raw === '') return null;
  const bytes = percentDecode(raw);
  if (bytes === null) return null;
  return bytes.toString('latin1').replace(/[^\x20-\x7e]/g, '?').slice(0, 64);
}

/** Client-supplied ip/ipv4/ipv6 are ignored on purpose (H9): the source address is used. */
export function parseAnnounceQuery(query: string): AnnounceQuery {
  const params = splitQuery(query);
  return {
    infoHash: twentyBytes(params, 'info_hash'),
    peerId: twentyBytes(params, 'peer_id'),
    port: port(params),
    uploaded: counter(params, 'uploaded'),
    downloaded: counter(params, 'downloaded'),
    left: counter(params, 'left'),
    event: event(params),
    numwant: numwant(params),
    key: key(params),
    compact: single(params, 'compact') !== '0',
    noPeerId: single(params, 'no_peer_id') === '1',
  };
}

/** Every `info_hash` of a scrape (H17); none means a full scrape, which is refused. */
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
