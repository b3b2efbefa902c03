// Secrets travel in URLs here: the passkey in every announce and scrape path, the RSS token in
// /rss/<token> and ?rss=, invite codes in ?invite=. Log lines must not carry them (anyone who
// reads the logs could announce, download or register as the member), so the logger's
// serializers take them out of request URLs and of error messages and stacks, which may quote
// a URL or a query's arguments.
import { stdSerializers } from 'pino';

const REDACTED = '[redacted]';
/**
 * Every secret the site makes is 32 hex digits (passkeys, RSS tokens, invite codes): any such
 * run, also right after a percent-escape (`next=%2Frss%2F<token>`).
 */
const HEX_SECRET = /(?<=^|[^0-9a-f]|%[0-9a-f]{2})[0-9a-f]{32}(?![0-9a-f])/gi;
/** Query parameters whose value is a credential, whatever it looks like. */
const SECRET_PARAMS = /([?&;](?:passkey|torrent_pass|rss|token|invite|code|reset|api_?key|authkey|secret)=)[^&;#\s]*/gi;
/** Path segments that are credentials: /<passkey>/announce|scrape, /announce|scrape/<passkey>, /rss/<token>. */
const SECRET_SEGMENTS: ReadonlyArray<[RegExp, string]> = [
  [/^\/[^/?#]+\/(announce|scrape)(?=[/?#]|$)/i, `/${REDACTED}/$1`],
  [/^\/(announce|scrape|rss)\/[^/?#]+/i, `/$1/${REDACTED}`],
];

/** A URL (or any text quoting one) without its secrets. */
export function redactSecrets(text: string): string {
  let out = text.replace(SECRET_PARAMS, `$1${REDACTED}`).replace(HEX_SECRET, REDACTED);
  for (const [pattern, replacement] of SECRET_SEGMENTS) out = out.replace(pattern, replacement);
  return out;
}

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  hostname?: string;
  ip?: string;
  socket?: { remoteAddress?: string; remotePort?: number };
}

/** Fastify's request serializer (method, url, host, address), with the URL redacted. */
function serializeRequest(request: LoggedRequest) {
  return {
    method: request.method,
    url: typeof request.url === 'string' ? redactSecrets(request.url) : request.url,
    host: request.host ?? request.hostname,
    remoteAddress: request.ip ?? request.socket?.remoteAddress,
    remotePort: request.socket?.remotePort,
  };
}

type SerializedError = ReturnType<typeof stdSerializers.err>;

/** pino's error serializer, with secrets taken out of every string it keeps. */
function serializeError(error: Error): SerializedError {
  return redactStrings(stdSerializers.err(error)) as SerializedError;
}

function redactStrings(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (typeof value !== 'object' || value === null || depth > 5) return value;
  if (Array.isArray(value)) return value.map((item) => redactStrings(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = redactStrings(item, depth + 1);
  return out;
}

export const logSerializers = { req: serializeRequest, err: serializeError };
