// Micro-benchmark of the tracker core: 1M TrackerCore.announce calls on a warm swarm set
// (100k peers over 2,000 releases, numwant 50), then the same through the HTTP parse +
// bencode path, then the memory per peer. Run: node --expose-gc --import tsx bench/tracker-core.ts
import { FakeClock } from '../src/clock.js';
import { TrackerEngine } from '../src/tracker/core/engine.js';
import { Catalog } from '../src/tracker/core/catalog.js';
import { handleAnnounce } from '../src/tracker/http/answer.js';
import { defaultPolicy } from '../src/tracker/core/tracker-policy.js';
import type { AnnounceRequest } from '../src/tracker/core/types.js';

const USERS = 5_000;
const RELEASES = 2_000;
const PEERS = 100_000;
const CALLS = Number(process.env.CALLS ?? 1_000_000);

const hashOf = (n: number): Buffer => {
  const b = Buffer.alloc(20);
  b.writeUInt32BE(n + 1, 0);
  return b;
};
const passkeyOf = (n: number): string => n.toString(16).padStart(32, '0');

function setup(peers = PEERS) {
  const clock = new FakeClock();
  const catalog = new Catalog();
  for (let u = 0; u < USERS; u++) catalog.setUser({ id: u + 1, passkey: passkeyOf(u), enabled: true, canLeech: true });
  for (let r = 0; r < RELEASES; r++) catalog.setRelease({ id: r + 1, infoHashV1: hashOf(r), infoHashV2Short: null, freeleech: 'normal', deletedReason: null });
  // each (member, release) pair holds PEERS / lcm(USERS, RELEASES) = 10 peers: past the default peer caps
  const policy = { ...defaultPolicy({ announceInterval: 1800, minInterval: 300 }), maxPeersPerRelease: 1000 };
  const engine = new TrackerEngine({ catalog, clock, policy, maxPendingDeltas: 1e9, retentionMs: 7 * 86_400_000 });
  const requests: AnnounceRequest[] = [];
  for (let p = 0; p < peers; p++) {
    const peerId = Buffer.from(`-qB4520-${String(p).padStart(12, '0')}`);
    requests.push({
      passkey: passkeyOf(p % USERS),
      infoHash: hashOf(p % RELEASES),
      peerId,
      port: 1024 + (p % 60000),
      uploaded: 0n,
      downloaded: 0n,
      left: p % 3 === 0 ? 0n : 1_000_000_000n,
      event: 'started',
      numwant: null,
      key: null,
      ip: `10.${(p >> 16) & 255}.${(p >> 8) & 255}.${p & 255}`,
      family: 4,
      transport: 'http',
    });
  }
  return { engine, clock, requests };
}

/** CPU time (user + system, all threads incl. GC) per call: steadier than wall time on a shared machine. */
function cpuNs(since: NodeJS.CpuUsage, calls: number): string {
  const used = process.cpuUsage(since);
  return (((used.user + used.system) * 1000) / calls).toFixed(0);
}

/** heap and ArrayBuffers: the peers' columns and counters are typed arrays outside the heap */
function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

function benchCore(): void {
  const { engine, clock, requests } = setup();
  for (const r of requests) engine.announce(r);
  for (const r of requests) r.event = '';
  engine.ledger.take((id) => engine.countsOf(id));
  const step = Math.ceil((301_000 * 1) / (PEERS / 1)); // every peer re-announces after > min interval
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) {
    const r = requests[i % PEERS];
    r.uploaded += 16384n;
    clock.advance(step);
    engine.announce(r);
    if (i % 100_000 === 99_999) engine.ledger.take((id) => engine.countsOf(id)); // a flush
  }
  const ns = Number(process.hrtime.bigint() - start) / CALLS;
  console.log(`core.announce: ${ns.toFixed(0)} ns/announce wall, ${cpuNs(cpu, CALLS)} ns CPU (${CALLS} calls, ${PEERS} peers, ${RELEASES} releases, numwant 50)`);
}

function benchHttp(): void {
  const { engine, clock, requests } = setup();
  for (const r of requests) engine.announce(r);
  engine.ledger.take((id) => engine.countsOf(id));
  const pct = (b: Buffer) => [...b].map((x) => '%' + x.toString(16).padStart(2, '0')).join('');
  const queries = requests.slice(0, 10_000).map((r) => ({
    passkey: r.passkey,
    ip: r.ip,
    base: `info_hash=${pct(r.infoHash)}&peer_id=${pct(r.peerId)}&port=${r.port}&downloaded=0&left=${r.left}&compact=1&numwant=50&key=1A2B3C4D&uploaded=`,
    up: 0,
  }));
  const calls = CALLS / 4;
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  for (let i = 0; i < calls; i++) {
    const q = queries[i % queries.length];
    q.up += 16384;
    clock.advance(31);
    handleAnnounce(engine, q.passkey, q.base + q.up, q.ip, 'qBittorrent/4.5.2');
    if (i % 100_000 === 99_999) engine.ledger.take((id) => engine.countsOf(id));
  }
  const ns = Number(process.hrtime.bigint() - start) / calls;
  console.log(`parse + core + bencode: ${ns.toFixed(0)} ns/announce wall, ${cpuNs(cpu, calls)} ns CPU (${calls} calls)`);
}

function benchMemory(): void {
  const before = heapUsed();
  const { engine, requests } = setup(200_000);
  const afterSetup = heapUsed();
  for (const r of requests) engine.announce(r);
  engine.ledger.take((id) => engine.countsOf(id));
  const after = heapUsed();
  void before;
  console.log(`memory: ${((after - afterSetup) / requests.length).toFixed(0)} bytes/peer in swarms (200k peers, ${engine.stats().peers} live)`);
}

benchCore();
benchHttp();
benchMemory();
