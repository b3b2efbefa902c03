// HTTP announce and scrape (BEP 3, 7, 23, 48; docs/protocol.md): parse the raw query ->
// core -> bencode, whichever transport read the request (the Fastify routes in routes.ts, or
// the fast path at the socket). No Fastify here.
import { isIPv4 } from 'node:net';
import { encodeReply } from './bencode.js';
import { afterDurable } from '../core/reply.js';
import { parseAnnounceQuery, parseScrapeQuery, type AnnounceQuery } from './query.js';
import { TrackerError, type AnnounceResult, type ScrapeEntry, type TrackerCore } from '../core/types.js';

/** Where unexpected errors go (Fastify's logger, or the fast path's). */
export interface ErrorLog {
  error(obj: object, msg: string): void;
}

/** BEP 7: the source address as Fastify resolved it (trustProxy: rightmost trusted hop), ::ffff: unmapped. */
export function sourceAddress(ip: string): { ip: string; family: 4 | 6 } {
  if (ip.startsWith('::ffff:') && isIPv4(ip.slice(7))) return { ip: ip.slice(7), family: 4 };
  return { ip, family: isIPv4(ip) ? 4 : 6 };
}

/**
 * One announce, from raw query to bencoded reply; never throws (nor rejects). A session
 * boundary's reply comes as a promise: it is sent once the core says it is durable. A core
 * over a shared peer store answers with a promise: awaited here, and only then.
 */
export function handleAnnounce(core: TrackerCore, passkey: string, query: string, ip: string, userAgent: string | undefined, log?: ErrorLog): Buffer | Promise<Buffer> {
  let parsed: AnnounceQuery;
  let result: AnnounceResult | Promise<AnnounceResult>;
  try {
    parsed = parseAnnounceQuery(query);
    const source = sourceAddress(ip);
    result = core.announce({
      passkey,
      infoHash: parsed.infoHash,
      peerId: parsed.peerId,
      port: parsed.port,
      uploaded: parsed.uploaded,
      downloaded: parsed.downloaded,
      left: parsed.left,
      event: parsed.event,
      numwant: parsed.numwant,
      key: parsed.key,
      ip: source.ip,
      family: source.family,
      transport: 'http',
      userAgent,
      withPeerIds: !parsed.compact && !parsed.noPeerId,
    });
  } catch (error) {
    return failureBody(core, error, log);
  }
  if (result instanceof Promise) {
    const query = parsed;
    return result.then(
      (answered) => announceBody(core, answered, query, log),
      (error: unknown) => failureBody(core, error, log),
    );
  }
  return announceBody(core, result, parsed, log);
}

function announceBody(core: TrackerCore, result: AnnounceResult, parsed: AnnounceQuery, log?: ErrorLog): Buffer | Promise<Buffer> {
  let body: Buffer;
  try {
    body = encodeAnnounce(result, parsed);
  } catch (error) {
    return encodeFailure(error, log, core);
  }
  return result.boundary === true && core.durable ? afterDurable(core.durable(), body) : body;
}

function failureBody(core: TrackerCore, error: unknown, log?: ErrorLog): Buffer | Promise<Buffer> {
  const body = encodeFailure(error, log, core);
  return error instanceof TrackerError && error.boundary && core.durable ? afterDurable(core.durable(), body) : body;
}

/** One scrape (BEP 48): files keyed by the raw 20-byte hash, unknown hashes omitted. */
export function handleScrape(core: TrackerCore, passkey: string, query: string, log?: ErrorLog): Buffer | Promise<Buffer> {
  try {
    const entries = core.scrape(passkey, parseScrapeQuery(query));
    if (entries instanceof Promise) return entries.then(encodeScrape).catch((error: unknown) => encodeFailure(error, log, core));
    return encodeScrape(entries);
  } catch (error) {
    return encodeFailure(error, log, core);
  }
}

function encodeScrape(entries: ScrapeEntry[]): Buffer {
  const files = new Map<Buffer, Record<string, number>>();
  const seen = new Set<string>(); // a repeated hash must not repeat a dict key
  for (const entry of entries) {
    const key = entry.infoHash.toString('latin1');
    if (seen.has(key)) continue;
    seen.add(key);
    files.set(entry.infoHash, { complete: entry.complete, incomplete: entry.incomplete, downloaded: entry.downloaded });
  }
  return encodeReply({ files });
}

/** BEP 3/7/23: interval, min interval, counts, always `peers` (rTorrent needs it), `peers6` when any. */
export function encodeAnnounce(result: AnnounceResult, query: Pick<AnnounceQuery, 'compact' | 'noPeerId'>): Buffer {
  const dict: Record<string, unknown> = {
    interval: result.interval,
    'min interval': result.minInterval,
    complete: result.complete,
    incomplete: result.incomplete,
    downloaded: result.downloaded,
  };
  if (result.warning) dict['warning message'] = result.warning;
  if (query.compact) {
    dict.peers = result.compact4 ?? compactOf(result.peers4, 6);
    const peers6 = result.compact6 ?? compactOf(result.peers6, 18);
    if (peers6.length > 0) dict.peers6 = peers6;
  } else {
    // BEP 3 dictionary model; IPv6 peers go in the same list.
    dict.peers = [...result.peers4, ...result.peers6].map((p) =>
      query.noPeerId ? { ip: p.ip, port: p.port } : { 'peer id': p.peerId, ip: p.ip, port: p.port },
    );
  }
  return encodeReply(dict);
}

function compactOf(peers: { ip: string; port: number }[], stride: number): Buffer {
  const out = Buffer.alloc(peers.length * stride);
  peers.forEach((p, i) => {
    const offset = i * stride;
    if (stride === 6) p.ip.split('.').forEach((part, j) => (out[offset + j] = Number(part)));
    else ipv6Bytes(p.ip).copy(out, offset);
    out.writeUInt16BE(p.port, offset + stride - 2);
  });
  return out;
}

function ipv6Bytes(ip: string): Buffer {
  const out = Buffer.alloc(16);
  const [head, tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  groups.slice(0, 8).forEach((g: string, i: number) => out.writeUInt16BE(parseInt(g, 16) || 0, i * 2));
  return out;
}

/**
 * The member-facing text (in the member's language when the core can tell it), and interval/min
 * interval so clients back off (docs/protocol.md).
 */
export function encodeFailure(error: unknown, log?: ErrorLog, core?: Pick<TrackerCore, 'reasonText'>): Buffer {
  if (error instanceof TrackerError) {
    const dict: Record<string, unknown> = { 'failure reason': core?.reasonText ? core.reasonText(error) : error.message };
    if (error.retryIn !== undefined) {
      dict.interval = error.retryIn;
      dict['min interval'] = error.retryIn;
    }
    return encodeReply(dict);
  }
  log?.error({ err: error }, 'tracker request failed');
  return encodeReply({ 'failure reason': 'Internal tracker error, please retry later', interval: 300, 'min interval': 300 });
}

/** bare /announce and /scrape: the member used a URL without their passkey */
const MISSING_PASSKEY = new TrackerError('Missing passkey: use the announce URL from your .torrent download');

/**
 * One tracker request, whichever transport read it (the Fastify routes, or the fast path at
 * the socket): an empty passkey is a bare /announce or /scrape. Never throws.
 */
export function answerTracker(
  core: TrackerCore,
  kind: 'announce' | 'scrape',
  passkey: string,
  query: string,
  ip: string,
  userAgent: string | undefined,
  log?: ErrorLog,
): Buffer | Promise<Buffer> {
  if (passkey === '') return encodeFailure(MISSING_PASSKEY);
  return kind === 'announce' ? handleAnnounce(core, passkey, query, ip, userAgent, log) : handleScrape(core, passkey, query, log);
}

