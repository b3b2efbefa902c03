// The announce fast path (src/tracker/http-fast-path.ts) at the socket: a tracker GET is
// answered before Node's HTTP parser; anything else, and everything after the first request
// of a kept-alive connection, reaches Node's server intact. First against a bare node:http
// server and a stub core, then in the real app, where its replies must match the Fastify
// route's (app.inject) for the same requests.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect, Socket, type AddressInfo } from 'node:net';
import { FakeClock } from '../../src/clock.js';
import { decodeBencode } from '../../src/tracker/bencode.js';
import { installFastPath, type FastPath } from '../../src/tracker/http-fast-path.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { pct, seedRelease, seedUser, userTotals, type SeededRelease, type SeededUser } from './fixtures/seed.js';
import { PASSKEY } from './udp-client.js';
import { StubCore } from './udp-stub-core.js';

type Dict = Record<string, unknown>;
const HASH = Buffer.alloc(20, 0xab);
const PEER = Buffer.from('-qB4520-fastpath0000', 'latin1');
const QUERY = `info_hash=${pct(HASH)}&peer_id=${pct(PEER)}&port=6881&uploaded=0&downloaded=0&left=10&compact=1`;

interface RawReply {
  /** every response on the connection, as text (head and body) */
  text: string;
  /** the connection was closed by the server */
  closed: boolean;
}

/** Writes raw bytes (in pieces, with pauses between), reads until close or `waitMs` of quiet. */
function raw(port: number, pieces: (string | Buffer)[], options: { gapMs?: number; waitMs?: number } = {}): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let quiet: NodeJS.Timeout | undefined;
    const finish = (closed: boolean): void => {
      clearTimeout(quiet);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('latin1'), closed });
    };
    const armQuiet = (): void => {
      clearTimeout(quiet);
      quiet = setTimeout(() => finish(false), options.waitMs ?? 1500);
    };
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      armQuiet();
    });
    socket.on('close', () => finish(true));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? finish(true) : reject(error)));
    socket.on('connect', async () => {
      for (const piece of pieces) {
        socket.write(piece);
        if (options.gapMs) await new Promise((r) => setTimeout(r, options.gapMs));
      }
      armQuiet();
    });
  });
}

function bodies(text: string): string[] {
  return text.split(/HTTP\/1\.1 /).filter(Boolean).map((response) => response.slice(response.indexOf('\r\n\r\n') + 4));
}

function statuses(text: string): number[] {
  return [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
}

const get = (path: string, headers = 'Connection: close\r\n'): string => `GET ${path} HTTP/1.1\r\nHost: t\r\nUser-Agent: qBittorrent/4.5.2\r\n${headers}\r\n`;

describe('fast path on a bare node:http server', () => {
  let server: Server;
  let port: number;
  let fast: FastPath;
  const core = new StubCore();
  /** what Node's own handler saw */
  const seenByNode: string[] = [];

  before(async () => {
    server = createServer((request, response) => {
      seenByNode.push(`${request.method} ${request.url}`);
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => response.end(`node:${request.method}:${body.length}`));
    });
    server.headersTimeout = 2000;
    fast = installFastPath(server, { core: () => core, headTimeoutMs: 300 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers an announce with one bencoded reply and closes the connection', async () => {
    const before = fast.answered;
    const reply = await raw(port, [get(`/${PASSKEY}/announce?${QUERY}`)]);
    assert.equal(reply.closed, true);
    assert.deepEqual(statuses(reply.text), [200]);
    assert.match(reply.text, /content-type: text\/plain\r\n/);
    assert.match(reply.text, /cache-control: no-store\r\n/);
    const dict = decodeBencode(Buffer.from(bodies(reply.text)[0], 'latin1')) as Dict;
    assert.equal(dict.complete, 3);
    assert.equal(fast.answered, before + 1);
    assert.equal(core.last.passkey, PASSKEY);
    assert.equal(core.last.userAgent, 'qBittorrent/4.5.2');
    assert.equal(core.last.ip, '127.0.0.1');
    assert.equal(core.last.family, 4);
    assert.deepEqual(core.last.peerId, PEER);
  });

  it('takes every route shape the Fastify routes take, passkey lowercased, one trailing slash ignored', async () => {
    for (const path of [`/${PASSKEY.toUpperCase()}/announce`, `/announce/${PASSKEY}`, `/${PASSKEY}/announce/`]) {
      const reply = await raw(port, [get(`${path}?${QUERY}`)]);
      assert.equal((decodeBencode(Buffer.from(bodies(reply.text)[0], 'latin1')) as Dict)['failure reason'], undefined, path);
      assert.equal(core.last.passkey, PASSKEY);
    }
    core.scrapeEntries = [{ infoHash: HASH, complete: 1, incomplete: 2, downloaded: 3 }];
    const scrape = await raw(port, [get(`/scrape/${PASSKEY}?info_hash=${pct(HASH)}`)]);
    const files = (decodeBencode(Buffer.from(bodies(scrape.text)[0], 'latin1')) as Dict).files as Map<Buffer, Dict> | Dict;
    assert.ok(files, 'a files dict');
    const missing = await raw(port, [get(`/announce?${QUERY}`)]);
    assert.match(bodies(missing.text)[0], /Missing passkey/);
  });

  it('reads a request head that arrives in pieces', async () => {
    const request = get(`/${PASSKEY}/announce?${QUERY}`);
    const reply = await raw(port, [request.slice(0, 3), request.slice(3, 40), request.slice(40)], { gapMs: 30 });
    assert.deepEqual(statuses(reply.text), [200]);
    assert.equal(core.last.passkey, PASSKEY);
  });

  it('hands pages, other methods, bodies and odd targets to Node untouched', async () => {
    const cases: [string, string][] = [
      [get('/releases?q=a'), 'GET /releases?q=a'],
      [`POST /${PASSKEY}/announce HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello`, `POST /${PASSKEY}/announce`],
      [get(`/${PASSKEY}/announce?${QUERY}`, 'Content-Length: 3\r\nConnection: close\r\n') + 'abc', `GET /${PASSKEY}/announce?${QUERY}`],
      [get('/scrape/announce'), 'GET /scrape/announce'],
      [get('/a%2Fb/announce'), 'GET /a%2Fb/announce'],
      [get('/x/y/announce'), 'GET /x/y/announce'],
      [`HEAD /announce HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n`, 'HEAD /announce'],
    ];
    for (const [request, expected] of cases) {
      const reply = await raw(port, [request]);
      assert.equal(seenByNode.at(-1), expected, request.slice(0, 40));
      assert.deepEqual(statuses(reply.text), [200], request.slice(0, 40));
    }
    const body = await raw(port, [cases[1][0]]);
    assert.equal(bodies(body.text)[0], 'node:POST:5', 'the body reached Node whole');
  });

  it('answers the first request of a kept-alive connection and gives the rest to Node', async () => {
    const answered = fast.answered;
    const keep = 'Connection: keep-alive\r\n';
    const reply = await raw(port, [get(`/${PASSKEY}/announce?${QUERY}`, keep) + get(`/${PASSKEY}/announce?${QUERY}`, keep) + get('/healthz')]);
    assert.deepEqual(statuses(reply.text), [200, 200, 200]);
    const [first, second, third] = bodies(reply.text);
    assert.match(first, /^d8:complete/);
    assert.equal(second, 'node:GET:0', 'pipelined second request went to Node');
    assert.match(third, /^node:GET:0/);
    assert.equal(fast.answered, answered + 1);
    assert.equal(reply.closed, true, 'Node closes after the Connection: close request');
  });

  it('leaves Nagle on for its one-write replies and gives the sockets Node takes TCP_NODELAY back', async () => {
    assert.equal((server as Server & { noDelay?: boolean }).noDelay, false, 'no setsockopt per announce');
    const handedOver: boolean[] = [];
    const original = Socket.prototype.setNoDelay;
    Socket.prototype.setNoDelay = function (this: Socket, noDelay?: boolean) {
      handedOver.push(noDelay !== false);
      return original.call(this, noDelay);
    };
    try {
      await raw(port, [get(`/${PASSKEY}/announce?${QUERY}`)]);
      assert.deepEqual(handedOver, [], 'an announce answered at the socket');
      await raw(port, [get('/releases')]);
      assert.deepEqual(handedOver, [true], 'a page: Node gets the socket with TCP_NODELAY, as its server would set it');
    } finally {
      Socket.prototype.setNoDelay = original;
    }
  });

  it('sends an oversized head to Node, which refuses it with 431', async () => {
    const reply = await raw(port, [get(`/${PASSKEY}/announce?${QUERY}&pad=${'x'.repeat(20_000)}`)]);
    assert.deepEqual(statuses(reply.text), [431]);
  });

  it('sends garbage to Node, which answers 400 and closes', async () => {
    for (const junk of ['\x00\x01\x02\r\n\r\n', 'GET /announce HTTP/9.9\r\n\r\n', 'GET /announce?x HTTP/1.1\r\nno colon here\r\n\r\n', 'GET  HTTP/1.1\r\n\r\n']) {
      const reply = await raw(port, [junk]);
      assert.equal(reply.closed, true, JSON.stringify(junk));
      assert.ok(statuses(reply.text).every((s) => s === 400), JSON.stringify(junk) + reply.text.slice(0, 80));
    }
  });

  it('hands heads with bare LF line ends to Node, which answers 400 at once', async () => {
    const heads = [
      `GET /${PASSKEY}/announce?${QUERY} HTTP/1.1\nHost: t\n\n`,
      `GET /announce/${PASSKEY}?${QUERY} HTTP/1.1\r\nHost: t\n\n`,
      `GET /announce/${PASSKEY}?${QUERY} HTTP/1.1\r\nHost: t\nUser-Agent: qBittorrent/4.5.2\r\nConnection: close\r\n\r\n`,
      `GET /${PASSKEY}/scrape?info_hash=${pct(HASH)} HTTP/1.0\n\n`,
    ];
    const before = fast.answered;
    for (const head of heads) {
      // in pieces too: the bare LF may arrive before the rest of the head
      for (const pieces of [[head], [head.slice(0, head.indexOf('\n') + 1), head.slice(head.indexOf('\n') + 1)]]) {
        const reply = await raw(port, pieces, { gapMs: 50 });
        assert.equal(reply.closed, true, JSON.stringify(head));
        assert.deepEqual(statuses(reply.text), [400], JSON.stringify(head) + reply.text.slice(0, 80));
      }
    }
    assert.equal(fast.answered, before, 'none answered on the fast path');
  });

  it('drops a connection that never finishes its request head (slowloris)', async () => {
    // head timeout 300 ms here; raw() reports closed: false if it waits 5 s in silence
    const reply = await raw(port, ['GET /announce?info_hash='], { waitMs: 5000 });
    assert.equal(reply.closed, true);
    assert.equal(reply.text, '');
  });

  it('lets go at once of a client that half-closes before its request head is complete', async () => {
    // a server of its own with a long head timeout: only the client's FIN can end this
    const patient = createServer((_request, response) => response.end('node'));
    installFastPath(patient, { core: () => core, headTimeoutMs: 60_000 });
    await new Promise<void>((resolve) => patient.listen(0, '127.0.0.1', resolve));
    try {
      const socket = connect((patient.address() as AddressInfo).port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.end('GET /announce?info_hash=');
      const outcome = await Promise.race([
        new Promise((resolve) => socket.once('close', () => resolve('closed by the server'))),
        new Promise((resolve) => setTimeout(resolve, 10_000, 'still open')),
      ]);
      socket.destroy();
      assert.equal(outcome, 'closed by the server');
      const open = await new Promise<number>((resolve) => patient.getConnections((_e, n) => resolve(n)));
      assert.equal(open, 0);
    } finally {
      await new Promise((resolve) => patient.close(resolve));
    }
  });

  it('survives clients that reset the connection right after asking', async () => {
    for (let i = 0; i < 50; i++) {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => {});
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(get(`/${PASSKEY}/announce?${QUERY}`));
      socket.resetAndDestroy();
    }
    const reply = await raw(port, [get(`/${PASSKEY}/announce?${QUERY}`)]);
    assert.deepEqual(statuses(reply.text), [200]);
  });

  it('survives random bytes and random heads, and still answers afterwards', async () => {
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const pieces = ['GET ', '/', PASSKEY, '/announce', '?', QUERY, ' HTTP/1.1', '\r\n', ':', 'Connection: close', '\x00', '%', ' ', '\n', 'é'];
    const sends: Promise<RawReply>[] = [];
    for (let i = 0; i < 200; i++) {
      const n = 1 + Math.floor(random() * 12);
      let text = '';
      for (let j = 0; j < n; j++) text += pieces[Math.floor(random() * pieces.length)];
      sends.push(raw(port, [Buffer.from(text + (random() < 0.5 ? '\r\n\r\n' : ''), 'latin1')], { waitMs: 700 }));
    }
    await Promise.all(sends);
    const reply = await raw(port, [get(`/${PASSKEY}/announce?${QUERY}`)]);
    assert.deepEqual(statuses(reply.text), [200]);
  });

  it('turns a core that throws into a bencoded failure, not a dropped connection', async () => {
    core.failure = new Error('boom');
    try {
      const reply = await raw(port, [get(`/${PASSKEY}/announce?${QUERY}`)]);
      assert.deepEqual(statuses(reply.text), [200]);
      assert.match(bodies(reply.text)[0], /Internal tracker error/);
    } finally {
      core.failure = null;
    }
  });
});

describe('fast path in the app', () => {
  let t: TestApp;
  let port: number;
  let alice: SeededUser;
  let release: SeededRelease;
  const clock = new FakeClock();

  before(async () => {
    t = await buildTestApp({ clock });
    alice = await seedUser(t.db.sql, t.app.tracker.catalog);
    release = await seedRelease(t.db.sql, t.app.tracker.catalog);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  after(async () => t.close());

  const announceQuery = (peer: string, left: number, extra = ''): string =>
    `info_hash=${pct(release.v1!)}&peer_id=${pct(Buffer.from(peer.padEnd(20, '_'), 'latin1'))}&port=6881&uploaded=0&downloaded=0&left=${left}&compact=1${extra}`;

  it('gives the same answers as the Fastify route for the same requests', async () => {
    // each pair: one through the socket (fast path), the same through app.inject (Fastify)
    const cases = [
      `/${alice.passkey}/announce?${announceQuery('-qB4520-A', 10, '&event=started')}`,
      `/${alice.passkey}/announce?${announceQuery('-qB4520-B', 0, '&event=started')}`,
      `/${'0'.repeat(32)}/announce?${announceQuery('-qB4520-C', 10)}`,
      `/${alice.passkey}/announce?info_hash=short`,
      `/announce?${announceQuery('-qB4520-D', 10)}`,
      `/${alice.passkey}/scrape?info_hash=${pct(release.v1!)}`,
      `/${alice.passkey}/scrape`,
    ];
    for (const path of cases) {
      const before = t.app.trackerFastPath!.answered;
      const viaSocket = await raw(port, [get(path)]);
      assert.equal(t.app.trackerFastPath!.answered, before + 1, path);
      const viaFastify = await t.app.inject({ method: 'GET', url: path, remoteAddress: '127.0.0.1', headers: { 'user-agent': 'qBittorrent/4.5.2' } });
      const fastDict = decodeBencode(Buffer.from(bodies(viaSocket.text)[0], 'latin1')) as Dict;
      const routeDict = decodeBencode(viaFastify.rawPayload) as Dict;
      // the second announce of a peer is a re-announce: compare shapes and failures, not counts
      assert.deepEqual(Object.keys(fastDict).sort(), Object.keys(routeDict).sort(), path);
      assert.deepEqual(fastDict['failure reason'], routeDict['failure reason'], path);
      assert.equal(viaFastify.headers['content-type'], 'text/plain');
      assert.match(viaSocket.text, /content-type: text\/plain\r\n/);
    }
  });

  it('credits an announce over the socket like one through Fastify', async () => {
    const q = (up: number, event = ''): string => `/${alice.passkey}/announce?${announceQuery('-qB4520-E', 0, event).replace('uploaded=0', `uploaded=${up}`)}`;
    const before = await userTotals(t.db.sql, alice.id);
    await raw(port, [get(q(0, '&event=started'))]);
    clock.advance(31 * 60_000);
    await raw(port, [get(q(5000))]);
    await t.app.tracker.flush();
    const totals = await userTotals(t.db.sql, alice.id);
    assert.equal(totals.uploaded - before.uploaded, 5000n);
  });

  it('serves pages on the same port', async () => {
    const reply = await raw(port, [get('/healthz')]);
    assert.deepEqual(statuses(reply.text), [200]);
    assert.match(reply.text, /"status":"ok"/);
  });

  it('does not hold up a graceful close with an idle connection', async () => {
    const idle = connect(port, '127.0.0.1');
    await new Promise((resolve) => idle.once('connect', resolve));
    const closed = t.close().then(() => 'closed');
    const stuck = new Promise((resolve) => setTimeout(resolve, 8000, 'still open')).then((v) => v);
    assert.equal(await Promise.race([closed, stuck]), 'closed');
    idle.destroy();
    t = { ...t, close: async () => {} };
  });
});
