// The announce fast path in the real app: its replies must match the Fastify route's
// (app.inject) for the same requests, and its credit must reach the database.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type AddressInfo } from 'node:net';
import { FakeClock } from '../../src/clock.js';
import { decodeBencode } from '../../src/tracker/http/bencode.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { bodies, get, raw, statuses } from './fixtures/raw-http.js';
import { pct, seedRelease, seedUser, userTotals, type SeededRelease, type SeededUser } from './fixtures/seed.js';

type Dict = Record<string, unknown>;

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
    // unref'd: a timer left pending would keep this file's process alive for 8 s after it passes
    const stuck = new Promise((resolve) => setTimeout(resolve, 8000, 'still open').unref());
    assert.equal(await Promise.race([closed, stuck]), 'closed');
    idle.destroy();
    t = { ...t, close: async () => {} };
  });
});
