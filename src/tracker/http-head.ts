// Reading the head of an HTTP/1.x request for the announce fast path (http-fast-path.ts):
// the request line of a tracker route (the same six shapes as the Fastify routes in http.ts)
// and the few headers that decide whether it may be answered here. Anything else returns
// null, and the request goes to Node's HTTP server.

/** Fastify's default maxParamLength: a longer passkey segment is a 404 there, so not ours. */
const MAX_PARAM_LENGTH = 100;

type Kind = 'announce' | 'scrape';
interface TrackerTarget {
  kind: Kind;
  passkey: string;
  query: string;
}

/** The parts of a request head the tracker needs; null: not ours, hand it over. */
export interface TrackerRequest extends TrackerTarget {
  userAgent: string | undefined;
  keepAlive: boolean;
}

const CR = 13;
const LF = 10;

/**
 * Until the request line is complete, keep reading only if it may still be a tracker GET.
 * A line ended by a bare LF never completes a head here (we wait for CRLF CRLF): such a
 * request goes to Node's parser at once, which answers it (400), instead of waiting out the
 * head timeout.
 */
export function couldBeTracker(head: Buffer): boolean {
  if (hasBareLf(head, 0)) return false;
  const lineEnd = head.indexOf(CR);
  const line = head.toString('latin1', 0, lineEnd < 0 ? Math.min(head.length, 64) : lineEnd);
  if (!'GET /'.startsWith(line.slice(0, 5))) return false;
  if (lineEnd < 0) return true;
  return trackerTarget(line) !== null;
}

/** `GET <target> HTTP/1.x` of a tracker path, or null. */
function trackerTarget(line: string): (TrackerTarget & { http10: boolean }) | null {
  if (!line.startsWith('GET /')) return null;
  const space = line.indexOf(' ', 4);
  if (space < 0) return null;
  const version = line.slice(space + 1);
  if (version !== 'HTTP/1.1' && version !== 'HTTP/1.0') return null;
  const target = line.slice(4, space);
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  const route = matchRoute(path);
  if (route === null) return null;
  // Fields copied by name: `{ ...route, query }` (a spread followed by more properties) takes
  // V8's slow path, and this runs once per announce.
  return { kind: route.kind, passkey: route.passkey, query: q < 0 ? '' : target.slice(q + 1), http10: version === 'HTTP/1.0' };
}

/**
 * The Fastify routes of http.ts: /:passkey/announce, /announce/:passkey, the same for scrape,
 * and bare /announce and /scrape (answered "missing passkey"); one trailing slash ignored.
 */
function matchRoute(path: string): { kind: Kind; passkey: string } | null {
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  const parts = path.split('/'); // ['', a] or ['', a, b]
  if (parts.length === 2) return isKind(parts[1]) ? { kind: parts[1], passkey: '' } : null;
  if (parts.length !== 3) return null;
  const [, first, second] = parts;
  if (isKind(second) && !isKind(first)) return passkeyRoute(second, first);
  if (isKind(first) && !isKind(second)) return passkeyRoute(first, second);
  return null; // /announce/announce and the like: let the router decide
}

function isKind(segment: string): segment is Kind {
  return segment === 'announce' || segment === 'scrape';
}

function passkeyRoute(kind: Kind, segment: string): { kind: Kind; passkey: string } | null {
  if (segment === '' || segment.length > MAX_PARAM_LENGTH) return null;
  if (segment.includes('%')) return null; // decoding rules are the router's; passkeys are hex
  return { kind, passkey: segment.toLowerCase() };
}

/** Whether an LF from `from` on is not preceded by a CR. */
function hasBareLf(head: Buffer, from: number): boolean {
  for (let lf = head.indexOf(LF, from); lf >= 0; lf = head.indexOf(LF, lf + 1)) {
    if (lf === 0 || head[lf - 1] !== CR) return true;
  }
  return false;
}

const CRLF = Buffer.from('\r\n', 'latin1');
const COLON = 0x3a;

/**
 * The request line and the headers that matter, read from the bytes (no string per header
 * line: this runs once per announce); null hands the request over.
 */
export function parseHead(head: Buffer, end: number): TrackerRequest | null {
  const lineEnd = head.indexOf(CRLF);
  // every line must end in CRLF, as Node's parser requires: a bare LF inside is its 400
  if (head.indexOf(LF) !== lineEnd + 1) return null;
  const target = trackerTarget(head.toString('latin1', 0, lineEnd));
  if (target === null) return null;
  let userAgent: string | undefined;
  let connection = '';
  for (let pos = lineEnd + 2; pos < end; ) {
    let next = head.indexOf(CRLF, pos);
    if (next < 0 || next > end) next = end;
    const colon = head.indexOf(COLON, pos);
    if (colon <= pos || colon >= next) return null; // malformed: Node's parser answers 400
    if (head.indexOf(LF, pos) !== next + 1) return null; // a bare LF in the line: the same
    if (nameIs(head, pos, colon, 'user-agent')) userAgent = head.toString('latin1', colon + 1, next).trim();
    else if (nameIs(head, pos, colon, 'connection')) connection = head.toString('latin1', colon + 1, next).trim().toLowerCase();
    // a body, an upgrade or a continue handshake: Node's server knows how to handle those
    else if (handedOverHeader(head, pos, colon)) return null;
    pos = next + 2;
  }
  const keepAlive = target.http10 ? connection.includes('keep-alive') : !connection.includes('close');
  return { kind: target.kind, passkey: target.passkey, query: target.query, userAgent, keepAlive };
}

const HANDED_OVER = ['content-length', 'transfer-encoding', 'expect', 'upgrade'];

function handedOverHeader(head: Buffer, from: number, to: number): boolean {
  for (const name of HANDED_OVER) if (nameIs(head, from, to, name)) return true;
  return false;
}

/** Whether head[from, to) is the header name `lower`, in any letter case. */
function nameIs(head: Buffer, from: number, to: number, lower: string): boolean {
  if (to - from !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    const code = head[from + i];
    const want = lower.charCodeAt(i);
    if (code !== want && !(want >= 0x61 && want <= 0x7a && code === want - 0x20)) return false;
  }
  return true;
}
