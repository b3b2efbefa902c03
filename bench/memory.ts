// Memory of the tracker core (the "≤ 300 bytes per peer" target): N active peers over R releases and M members,
// put in by synthetic announces straight into TrackerEngine.announce (no network, no
// database). The ledger is drained as the flush timer would, so what remains is the swarms.
// Prints one MEMJSON line; with SNAPSHOT, also writes a heap snapshot there (for the
// breakdown by object kind). Then, after a STEADY line, half as many announces at random over
// the population as a running tracker sees them (re-announces with rising counters, 5% a
// client restart: `stopped`, then `started` under a new peer_id), so that the young-generation
// collections of that phase (--trace-gc-nvp, bench/sections/memory.ts) are told apart. Run with --expose-gc:
//   node --expose-gc --import tsx bench/memory.ts PEERS RELEASES MEMBERS [SNAPSHOT]
import { writeHeapSnapshot } from 'node:v8';
import { systemClock } from '../src/clock.js';
import { TrackerEngine } from '../src/tracker/core/engine.js';
import { Catalog } from '../src/tracker/core/catalog.js';
import { defaultPolicy } from '../src/tracker/core/tracker-policy.js';
import type { AnnounceRequest } from '../src/tracker/core/types.js';
import { infoHashOf, passkeyOf } from './lib/fixture.js';

const [peers, releases, members] = process.argv.slice(2, 5).map(Number);
const snapshotFile = process.argv[5];
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

function settle(): { rss: number; heap: number } {
  for (let i = 0; i < 3; i++) gc!();
  const usage = process.memoryUsage();
  // ArrayBuffer memory lives outside the V8 heap (the peers' counter store is a
  // BigUint64Array): counted with it, or the per-peer figure would leave it out
  return { rss: usage.rss, heap: usage.heapUsed + usage.arrayBuffers };
}

function loadCatalog(): { catalog: Catalog; passkeys: string[]; hashes: Buffer[] } {
  const catalog = new Catalog();
  const passkeys: string[] = [];
  const hashes: Buffer[] = [];
  for (let i = 1; i <= members; i++) {
    passkeys.push(passkeyOf(i));
    catalog.setUser({ id: i, passkey: passkeys[i - 1], enabled: true, canLeech: true });
  }
  for (let i = 1; i <= releases; i++) {
    hashes.push(infoHashOf(i));
    catalog.setRelease({ id: i, infoHashV1: hashes[i - 1], infoHashV2Short: null, freeleech: 'normal', deletedReason: null });
  }
  return { catalog, passkeys, hashes };
}

/** Peer n: member n % M on release (n / M + n) % R, so every (member, release) pair is distinct. */
function requestFor(n: number, passkeys: string[], hashes: Buffer[]): AnnounceRequest {
  const member = n % members;
  const release = (Math.floor(n / members) + n) % releases;
  const peerId = Buffer.from(`-qB4650-${n.toString(16).padStart(12, '0')}`, 'latin1');
  const seeder = n % 4 === 0;
  return {
    passkey: passkeys[member], infoHash: hashes[release], peerId,
    // counters and key as a client sends them: every peer its own values (BigInt objects and
    // key strings are part of what a peer costs; shared literals would hide them)
    port: 1025 + (n % 60000),
    uploaded: BigInt(((n * 7919) % 1e9) * 4096),
    downloaded: BigInt(seeder ? 1073741824 : ((n * 104729) % 262144) * 4096),
    left: BigInt(seeder ? 0 : 1073741824 - ((n * 104729) % 262144) * 4096),
    event: 'started', numwant: 0, key: ((n * 2654435761) >>> 0).toString(16).toUpperCase().padStart(8, '0'),
    ip: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`, family: 4, transport: 'udp',
  };
}

const { catalog, passkeys, hashes } = loadCatalog();
const policy = defaultPolicy({ announceInterval: 1800, minInterval: 0 });
const engine = new TrackerEngine({ catalog, clock: systemClock, policy, maxPendingDeltas: 1e9, retentionMs: 7 * 86_400_000 });
const before = settle();
const started = performance.now();
for (let n = 0; n < peers; n++) {
  engine.announce(requestFor(n, passkeys, hashes));
  if (n % 20_000 === 19_999) engine.ledger.take((id) => engine.countsOf(id));
}
engine.ledger.take((id) => engine.countsOf(id));
const seconds = (performance.now() - started) / 1000;
const after = settle();
const stats = engine.stats();
if (snapshotFile) writeHeapSnapshot(snapshotFile);
process.stdout.write(`MEMJSON ${JSON.stringify({
  peers: stats.peers, releases, members, announcesPerSec: peers / seconds,
  rssBefore: before.rss, rssAfter: after.rss, heapBefore: before.heap, heapAfter: after.heap,
  heapPerPeer: (after.heap - before.heap) / stats.peers, rssPerPeer: (after.rss - before.rss) / stats.peers,
})}\n`);

/** The steady phase: re-announces and client restarts at random over the population. */
function steady(count: number): void {
  let refused = 0;
  for (let k = 0; k < count; k++) {
    const n = Math.floor(Math.random() * peers);
    const request = requestFor(n, passkeys, hashes);
    request.event = '';
    request.uploaded += BigInt(k) * 16384n;
    try {
      if (k % 20 === 0) {
        engine.announce({ ...request, event: 'stopped' });
        engine.announce({ ...request, event: 'started', peerId: Buffer.from(`-TR3000-${k.toString(16).padStart(12, '0')}`, 'latin1'), uploaded: 0n });
      } else engine.announce(request);
    } catch {
      refused++; // a member past the per-release cap after restarts: the population stays put
    }
    if (k % 20_000 === 19_999) engine.ledger.take((id) => engine.countsOf(id));
  }
  process.stdout.write(`STEADYJSON ${JSON.stringify({ announces: count, refused })}\n`);
}

if (!snapshotFile) {
  process.stdout.write('STEADY\n');
  steady(Math.floor(peers / 2));
}
