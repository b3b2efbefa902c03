// The announce fast path: tracker requests answered at the socket, before Node's HTTP parser
// and Fastify. Clients announce on a fresh connection each time (`Connection: close`, as
// libtorrent, Transmission and aria2 do), so per-request HTTP machinery is most of what an
// announce costs, and answering at the socket skips it. The request head is read by head.ts.
//
// Only the first request of a connection is looked at, and only a plain `GET` of a tracker
// path (BEP 3 announce, BEP 48 scrape, the same six shapes as the Fastify routes in routes.ts)
// with no body. Everything else, and everything after that first request on a kept-alive
// connection, is handed to Node's HTTP server untouched (the bytes read so far are put back),
// so pages, uploads and odd requests keep Fastify's full handling, and the Fastify routes
// stay the reference the fast path must agree with (test/tracker/http-fast-path.test.ts).
// Behind a reverse proxy (TRUSTED_PROXIES) the client address comes from X-Forwarded-For,
// which only Fastify resolves: the fast path is not installed then.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { couldBeTracker, parseHead } from './head.js';
import { answerTracker, type ErrorLog } from './answer.js';
import type { TrackerCore } from '../core/types.js';

export interface FastPathOptions {
  core: () => TrackerCore;
  /** errors inside the core (never expected: handlers return bencoded failures) */
  log?: ErrorLog;
  /** how long a new connection may take to send its request head (slowloris guard), ms */
  headTimeoutMs?: number;
}

/** A request head bigger than this goes to Node's parser (which answers 431 past its own limit). */
const MAX_HEAD_BYTES = 8192;
const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');

export interface FastPath {
  /** requests answered here */
  answered: number;
  /** connections given to Node's server (pages, odd requests, kept-alive connections) */
  handedOver: number;
  /** drops connections still waiting for their first request (graceful close) */
  dropWaiting(): void;
}

/** What a connection still sending its first request head needs; kept on the socket. */
interface Sniff {
  context: Context;
  head: Buffer | null;
  deadline: number;
}

/** net.Server's `noDelay` (set from http.createServer's option, default true), not in its types */
type NoDelayServer = Server & { noDelay?: boolean };

interface Context {
  server: Server;
  nodeListeners: ((socket: Socket) => void)[];
  /** whether Node's server would have set TCP_NODELAY on its sockets */
  noDelay: boolean;
  options: FastPathOptions;
  stats: FastPath;
  /** connections still sending their first request head */
  waiting: Set<SniffingSocket>;
}

const SNIFF = Symbol('seedkeep.fastPath');
type SniffingSocket = Socket & { [SNIFF]?: Sniff };

/** Puts the fast path in front of `server`'s own connection handling. */
export function installFastPath(server: Server, options: FastPathOptions): FastPath {
  const nodeListeners = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  // Node's server sets TCP_NODELAY on every accepted socket (a native call per announce). A
  // one-shot reply is a single write, which Nagle never delays;
  // connections given to Node's server get the option back in handOver().
  const noDelay = (server as NoDelayServer).noDelay === true;
  (server as NoDelayServer).noDelay = false;
  const headTimeoutMs = options.headTimeoutMs ?? 10_000;
  const waiting = new Set<SniffingSocket>();
  // One sweep instead of a timer per socket, which would be armed and cleared on every announce.
  const sweep = setInterval(() => dropExpired(waiting, Date.now()), Math.min(1000, headTimeoutMs));
  sweep.unref();
  const stats: FastPath = {
    answered: 0,
    handedOver: 0,
    dropWaiting() {
      clearInterval(sweep);
      dropExpired(waiting, Infinity);
    },
  };
  const context: Context = { server, nodeListeners, noDelay, options, stats, waiting };
  server.on('connection', (socket: SniffingSocket) => {
    socket[SNIFF] = { context, head: null, deadline: Date.now() + headTimeoutMs };
    waiting.add(socket);
    // Listeners are module functions called with the socket as `this`: no closures per
    // connection (under tsx every closure made is also named with defineProperty).
    socket.on('data', onSniffData);
    socket.on('error', destroySocket);
    socket.on('end', destroySocket);
    socket.once('close', onSniffClose);
  });
  return stats;
}

function dropExpired(waiting: Set<SniffingSocket>, now: number): void {
  for (const socket of waiting) {
    if ((socket[SNIFF]?.deadline ?? 0) <= now) {
      waiting.delete(socket);
      socket.destroy();
    }
  }
}

/**
 * An error, or the client closing its side before its request head was complete: nothing to
 * answer. (Node's server sockets allow half-open connections, so without the 'end' listener
 * such a socket would linger until the sweep.)
 */
function destroySocket(this: Socket): void {
  this.destroy();
}

function onSniffClose(this: SniffingSocket): void {
  this[SNIFF]?.context.waiting.delete(this);
}

function onSniffData(this: SniffingSocket, chunk: Buffer): void {
  const sniff = this[SNIFF];
  if (sniff === undefined) return;
  const head = sniff.head === null ? chunk : Buffer.concat([sniff.head, chunk]);
  sniff.head = head;
  const end = head.indexOf(HEAD_END);
  if (end < 0 && head.length <= MAX_HEAD_BYTES && couldBeTracker(head)) return; // wait for more
  stopSniffing(this, sniff.context);
  // a head longer than ours may still be fine for Node (its limit is 16 KiB) or get its 431
  const request = end < 0 || end > MAX_HEAD_BYTES ? null : parseHead(head, end);
  if (request === null) return handOver(this, sniff.context, head);
  sniff.context.stats.answered++;
  const { core, log } = sniff.context.options;
  const body = answerTracker(core(), request.kind, request.passkey, request.query, this.remoteAddress ?? '', request.userAgent, log);
  const rest = head.subarray(end + HEAD_END.length);
  if (!(body instanceof Promise)) return reply(this, sniff.context, body, request.keepAlive, rest);
  // a session boundary: sent once its flush committed; what the client sends meanwhile waits
  this.pause();
  void body.then((ready) => {
    if (this.destroyed) return;
    reply(this, sniff.context, ready, request.keepAlive, rest);
    this.resume();
  });
}

function reply(socket: SniffingSocket, context: Context, body: Buffer, keepAlive: boolean, rest: Buffer): void {
  if (!keepAlive) {
    // as Node's server does after a `Connection: close` reply: end, then destroy once written
    socket.write(withHeaders(body, false));
    socket.destroySoon();
    return;
  }
  socket.write(withHeaders(body, true));
  // later requests on this connection: Node's server and Fastify
  handOver(socket, context, rest);
}

/** The error listener stays until Node's server takes the socket: a reset while the reply is
 * being written must not be an unhandled 'error' event. */
function stopSniffing(socket: SniffingSocket, context: Context): void {
  socket.removeListener('data', onSniffData);
  socket.removeListener('end', destroySocket);
  context.waiting.delete(socket);
  socket[SNIFF] = undefined;
}

/** Gives the connection to Node's HTTP server, with the bytes read so far. */
function handOver(socket: SniffingSocket, context: Context, buffered: Buffer): void {
  socket.removeListener('error', destroySocket); // Node's server has its own
  if (context.noDelay) socket.setNoDelay(true);
  context.stats.handedOver++;
  for (const listener of context.nodeListeners) listener.call(context.server, socket);
  // Node's parser reads what arrives from now on; what we already read goes in first.
  if (buffered.length > 0) socket.emit('data', buffered);
}

let dateSecond = 0;
let dateHeader = '';
/** RFC 9110 Date, made once a second (as Node's server does). */
function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateHeader = new Date(now).toUTCString();
  }
  return dateHeader;
}

/** Status line, headers and body in one buffer: one write per reply. */
function withHeaders(body: Buffer, keepAlive: boolean): Buffer {
  // Same headers as the Fastify route: text/plain, not cacheable (every answer depends on
  // the swarm at this moment).
  const head =
    'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncache-control: no-store\r\n' +
    `content-length: ${body.length}\r\nDate: ${httpDate()}\r\nConnection: ${keepAlive ? 'keep-alive' : 'close'}\r\n\r\n`;
  const out = Buffer.allocUnsafe(head.length + body.length);
  out.write(head, 0, 'latin1');
  body.copy(out, head.length);
  return out;
}
