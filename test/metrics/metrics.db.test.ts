// /metrics through the real app: read with a Prometheus text-format parser, after real
// announces and scrapes over HTTP (app.inject) and UDP (a real socket), and a real flush.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { once } from 'node:events';
// @ts-ignore -- ships no type declarations
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { startMetricsServer } from '../../src/metrics/index.js';
import { startUdpTracker, type UdpTracker } from '../../src/tracker/udp/socket.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { pct, seedRelease, seedUser, type SeededRelease, type SeededUser } from '../tracker/fixtures/seed.js';

interface Family {
  name: string;
  type: string;
  metrics: Array<{ value?: string; labels?: Record<string, string>; buckets?: Record<string, string>; count?: string; sum?: string }>;
}

const TOKEN = 'm'.repeat(40);
const parse = (text: string): Map<string, Family> => new Map((parsePrometheusTextFormat(text) as Family[]).map((f) => [f.name, f]));
/**
 * One series of a labelled histogram. The parser merges every series of a histogram family
 * into one, so the series is cut out of the text (its label dropped) and parsed alone.
 */
function histogram(text: string, name: string, label: string, value: string): { buckets: Record<string, string>; count: number; sum: number } {
  const pair = `${label}="${value}"`;
  const lines = text.split('\n').filter((line) => line.startsWith(`# HELP ${name} `) || line.startsWith(`# TYPE ${name} `) || (line.startsWith(`${name}_`) && line.includes(pair)));
  const alone = lines.map((line) => line.replace(new RegExp(`${pair},?`), '').replace(/,}/, '}').replace(/{}/, '')).join('\n');
  const [family] = parsePrometheusTextFormat(`${alone}\n`) as Family[];
  const series = family.metrics[0];
  return { buckets: series.buckets!, count: Number(series.count), sum: Number(series.sum) };
}

/** The label values a family's series carry (read from the text: see histogram()). */
const labelValues = (text: string, name: string, label: string): string[] =>
  [...new Set([...text.matchAll(new RegExp(`^${name}_count\\{[^}]*${label}="([^"]*)"`, 'gm'))].map((m) => m[1]))];

const sample = (families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number => {
  const family = families.get(name);
  assert.ok(family, `no ${name}`);
  const found = family.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  assert.ok(found, `no ${name} ${JSON.stringify(labels)}`);
  return Number(found.value ?? found.count);
};

/** A BEP 15 connect then announce with the passkey as BEP 41 URL data; resolves on the reply. */
async function udpAnnounce(port: number, passkey: string, hash: Buffer): Promise<void> {
  const socket = dgram.createSocket('udp4');
  try {
    const connect = Buffer.alloc(16);
    connect.writeBigUInt64BE(0x41727101980n, 0);
    connect.writeUInt32BE(0, 8);
    connect.writeUInt32BE(1, 12);
    socket.send(connect, port, '127.0.0.1');
    const [connected] = (await once(socket, 'message')) as [Buffer];
    const announce = Buffer.alloc(98);
    connected.copy(announce, 0, 8, 16);
    announce.writeUInt32BE(1, 8);
    announce.writeUInt32BE(2, 12);
    hash.copy(announce, 16);
    Buffer.from('-qB4520-udpudpudpudp', 'latin1').copy(announce, 36);
    announce.writeBigUInt64BE(1000n, 64);
    announce.writeInt32BE(-1, 92);
    announce.writeUInt16BE(6881, 96);
    const path = Buffer.from(`/${passkey}/announce`);
    socket.send(Buffer.concat([announce, Buffer.from([2, path.length]), path, Buffer.from([0])]), port, '127.0.0.1');
    await once(socket, 'message');
  } finally {
    socket.close();
  }
}

describe('metrics', () => {
  let t: TestApp;
  let user: SeededUser;
  let release: SeededRelease;
  let udp: UdpTracker;
  const scrapeMetrics = async (authorization = `Bearer ${TOKEN}`) => t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization } });
  const announce = (passkey: string, left = '1000') =>
    t.app.inject({ method: 'GET', url: `/announce/${passkey}?info_hash=${pct(release.v1!)}&peer_id=-qB4520-aaaaaaaaaaaa&port=6881&uploaded=0&downloaded=0&left=${left}`, remoteAddress: '10.0.0.1' });

  before(async () => {
    t = await buildTestApp({ config: { metricsToken: TOKEN } });
    user = await seedUser(t.app.db.sql, t.app.tracker.catalog);
    release = await seedRelease(t.app.db.sql, t.app.tracker.catalog);
    udp = await startUdpTracker(t.app.metrics!.core('udp'), { port: 0, host: '127.0.0.1', secret: t.config.trackerSecret, ipv6: false });
  });
  after(async () => {
    await udp.close();
    await t.close();
  });

  it('refuses /metrics without the bearer token', async () => {
    assert.equal((await scrapeMetrics('')).statusCode, 401);
    assert.equal((await scrapeMetrics(`Bearer ${'x'.repeat(40)}`)).statusCode, 401);
    assert.equal((await scrapeMetrics(`Bearer ${TOKEN}`)).statusCode, 200);
  });

  it('counts announces and scrapes by transport and outcome, and times the core', async () => {
    assert.equal((await announce(user.passkey)).statusCode, 200);
    await announce(user.passkey); // too soon: answered with a warning
    await announce('0'.repeat(32));
    await t.app.inject({ method: 'GET', url: `/scrape/${user.passkey}?info_hash=${pct(release.v1!)}` });
    await udpAnnounce(udp.ports.udp4, user.passkey, release.v1!);
    const res = await scrapeMetrics();
    assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    const m = parse(res.body);
    assert.equal(m.get('seedkeep_tracker_announces_total')!.type, 'COUNTER');
    assert.equal(sample(m, 'seedkeep_tracker_announces_total', { transport: 'http', outcome: 'ok' }), 1);
    assert.equal(sample(m, 'seedkeep_tracker_announces_total', { transport: 'http', outcome: 'warned' }), 1);
    assert.equal(sample(m, 'seedkeep_tracker_announces_total', { transport: 'http', outcome: 'passkey' }), 1);
    assert.equal(sample(m, 'seedkeep_tracker_announces_total', { transport: 'udp', outcome: 'ok' }), 1);
    assert.equal(sample(m, 'seedkeep_tracker_scrapes_total', { transport: 'http', outcome: 'ok' }), 1);
    assert.equal(m.get('seedkeep_tracker_announce_duration_seconds')!.type, 'HISTOGRAM');
    const http = histogram(res.body, 'seedkeep_tracker_announce_duration_seconds', 'transport', 'http');
    assert.equal(http.count, 3);
    assert.equal(Number(http.buckets['+Inf']), 3);
    assert.ok(http.sum > 0);
    assert.equal(histogram(res.body, 'seedkeep_tracker_announce_duration_seconds', 'transport', 'udp').count, 1);
    assert.equal(sample(m, 'seedkeep_tracker_peers', { state: 'leecher' }), 2);
    assert.equal(sample(m, 'seedkeep_tracker_swarms'), 1);
    // session-boundary announces flush before their reply, so what is pending here may be nothing
    assert.ok(sample(m, 'seedkeep_tracker_ledger_pending_entries') >= 0);
  });

  it('reports the flush, process, GC and event-loop metrics', async () => {
    await t.app.tracker.flush();
    const text = (await scrapeMetrics()).body;
    const m = parse(text);
    assert.ok(histogram(text, 'seedkeep_tracker_flush_duration_seconds', 'outcome', 'ok').count >= 1);
    assert.equal(sample(m, 'seedkeep_tracker_flush_failures_total'), 0);
    assert.equal(sample(m, 'seedkeep_tracker_ledger_pending_entries'), 0);
    assert.equal(sample(m, 'seedkeep_tracker_flush_lag_seconds'), 0);
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes', 'nodejs_gc_duration_seconds']) {
      assert.ok(m.has(name), `no ${name}`);
    }
  });

  it('labels web requests by route pattern, never by URL: no passkey or token in any label', async () => {
    await t.app.inject({ method: 'GET', url: '/login' });
    await t.app.inject({ method: 'GET', url: `/api/torznab?t=search&apikey=sk_${'Q'.repeat(32)}` });
    await t.app.inject({ method: 'GET', url: `/no/such/${user.passkey}/page` });
    const text = (await scrapeMetrics()).body;
    assert.ok(!text.includes(user.passkey), 'a passkey leaked into the metrics');
    assert.ok(!text.includes('QQQQ'), 'a token leaked into the metrics');
    assert.equal(parse(text).get('seedkeep_http_request_duration_seconds')!.type, 'HISTOGRAM');
    const routes = labelValues(text, 'seedkeep_http_request_duration_seconds', 'route');
    for (const route of ['/login', '/announce/:passkey', '/scrape/:passkey', '/api/torznab', 'unmatched']) assert.ok(routes.includes(route), `no route ${route} in ${[...new Set(routes)]}`);
  });

  it('serves METRICS_PORT on a listener of its own', async () => {
    const server = await startMetricsServer(t.app.metrics!, { port: 0, host: '127.0.0.1' });
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      assert.equal(res.status, 200);
      assert.ok(parse(await res.text()).has('seedkeep_tracker_announces_total'));
      assert.equal((await fetch(`http://127.0.0.1:${server.port}/`)).status, 404);
    } finally {
      await server.close();
    }
  });
});

describe('metrics when not configured', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(async () => t.close());

  it('are off: no /metrics, the tracker core unwrapped', async () => {
    assert.equal(t.app.metrics, null);
    assert.equal(t.app.tracker.core, t.app.tracker.engine);
    assert.equal((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode, 404);
  });
});
