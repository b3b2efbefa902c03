// The Fastify routes of HTTP announce and scrape (docs/protocol.md): the same answers as the
// fast path (http-answer.ts), for app.inject, kept-alive connections and requests behind a
// proxy. Every reply is HTTP 200 text/plain with a bencoded dict, failures too (libtorrent
// ignores a non-200 body). Registered in its own context: no session, CSRF or body plugins.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { answerTracker } from './answer.js';
import { rawQueryOf } from './query.js';

type PasskeyRequest = FastifyRequest<{ Params: { passkey?: string } }>;

function send(reply: FastifyReply, body: Buffer): FastifyReply {
  // Not cacheable: every answer depends on the swarm at this moment.
  return reply.code(200).header('content-type', 'text/plain').header('cache-control', 'no-store').send(body);
}

export async function trackerHttpRoutes(app: FastifyInstance): Promise<void> {
  const route = (kind: 'announce' | 'scrape') => async (request: PasskeyRequest, reply: FastifyReply) => {
    const passkey = (request.params.passkey ?? '').toLowerCase();
    return send(reply, await answerTracker(app.tracker.core, kind, passkey, rawQueryOf(request.raw.url), request.ip, request.headers['user-agent'], request.log));
  };
  const announce = route('announce');
  const scrape = route('scrape');
  // BEP 48 derives scrape from `/<passkey>/announce`; libtorrent's SSRF rule needs
  // `/announce...` on loopback hosts, hence both forms. Bare paths: "Missing passkey".
  app.get('/:passkey/announce', announce);
  app.get('/announce/:passkey', announce);
  app.get('/:passkey/scrape', scrape);
  app.get('/scrape/:passkey', scrape);
  app.get('/announce', announce);
  app.get('/scrape', scrape);
}
