// Peer caps in the core (no database): active peers per member and per (member, release)
// come from the tracker policy; past them a new peer is refused before any accounting, and
// stopped baselines per (member, release) stay bounded. docs/protocol.md lists the texts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TrackerEngine } from '../../src/tracker/announce.js';
import { decodeSettings } from '../../src/settings.js';
import { defaultPolicy } from '../../src/tracker/policy.js';
import { SMALL_SWARM } from '../../src/tracker/swarm.js';
import { TrackerError } from '../../src/tracker/types.js';
import { hash, makeEngine, PASSKEY_B, peerId, req } from './fixtures/core.js';

const MIN = 60_000;
const MAX_BASELINES = defaultPolicy({ announceInterval: 1800, minInterval: 300 }).maxBaselinesPerRelease;
const RELEASE_CAP = /^Too many peers on this torrent for your account \(limit 3\): stop the client elsewhere or wait for it to time out$/;

function refusal(fn: () => unknown): TrackerError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof TrackerError, `expected a TrackerError, got ${String(error)}`);
    return error;
  }
  assert.fail('the announce was not refused');
}

const swarmSize = (engine: TrackerEngine, releaseId = 10): number => engine.swarms.get(releaseId)?.size ?? 0;

describe('peer caps', () => {
  it('refuses a fourth peer of one member on one torrent, with the limit and a retry', () => {
    const { engine } = makeEngine({ caps: 'default' });
    for (const label of ['box1', 'box2', 'box3']) engine.announce(req({ peerId: peerId(label), event: 'started' }));
    const error = refusal(() => engine.announce(req({ peerId: peerId('box4'), event: 'started' })));
    assert.match(error.message, RELEASE_CAP);
    assert.equal(error.retryIn, 1800);
    // the peers already in the swarm keep announcing; another member is not affected
    engine.announce(req({ peerId: peerId('box1'), uploaded: 10n }));
    engine.announce(req({ passkey: PASSKEY_B, peerId: peerId('other') }));
    // and the same member on another torrent neither
    engine.announce(req({ peerId: peerId('box4'), infoHash: hash(11) }));
  });

  it('makes room when one of the peers stops or times out', () => {
    const { engine, clock } = makeEngine({ caps: 'default' });
    for (const label of ['box1', 'box2', 'box3']) engine.announce(req({ peerId: peerId(label), event: 'started' }));
    engine.announce(req({ peerId: peerId('box1'), event: 'stopped' }));
    engine.announce(req({ peerId: peerId('box4'), event: 'started' }));
    refusal(() => engine.announce(req({ peerId: peerId('box1'), event: 'started' })));
    clock.advance(48 * MIN); // past 1.5 intervals + 2 min: box2..box4 expire
    engine.sweep();
    engine.announce(req({ peerId: peerId('box1'), event: 'started' }));
    assert.equal(engine.memberPeers.of(1), 1);
  });

  it('refuses past the cap per member over all torrents', () => {
    const { engine, policy } = makeEngine({ caps: 'default' });
    policy.maxPeersPerMember = 2;
    engine.announce(req({ infoHash: hash(10) }));
    engine.announce(req({ infoHash: hash(11) }));
    const error = refusal(() => engine.announce(req({ infoHash: hash(12) })));
    assert.equal(error.message, 'Too many peers for your account (limit 2): stop some torrents or clients, or wait for them to time out');
    // a stopped announce of a peer it does not know always passes
    engine.announce(req({ infoHash: hash(12), event: 'stopped' }));
    assert.equal(engine.memberPeers.of(1), 2);
  });

  it('changes no books when it refuses: no credit, no peer record, no pending entry', () => {
    const { engine, clock } = makeEngine({ caps: 'default' });
    for (const label of ['box1', 'box2', 'box3']) engine.announce(req({ peerId: peerId(label), event: 'started' }));
    engine.ledger.take((id) => engine.countsOf(id));
    clock.advance(30 * MIN);
    const stats = engine.stats();
    refusal(() => engine.announce(req({ peerId: peerId('box4'), uploaded: 5000n, downloaded: 7000n, left: 0n, event: 'completed' })));
    assert.equal(engine.ledger.pending, 0);
    assert.deepEqual(engine.stats(), stats);
    assert.equal(swarmSize(engine), 3);
    assert.equal(engine.swarms.get(10)!.get(1, peerId('box4').toString('latin1')), undefined);
    const batch = engine.ledger.take((id) => engine.countsOf(id));
    assert.equal(batch.users.size, 0);
    assert.equal(batch.snatches.size, 0);
    assert.equal(batch.peerRows.length, 0);
  });

  it('counts each member apart in a large swarm, and after it shrinks back', () => {
    const { engine, catalog, clock } = makeEngine({ caps: 'default' });
    for (let id = 100; id < 100 + SMALL_SWARM * 2; id++) {
      catalog.setUser({ id, passkey: id.toString(16).padStart(32, '0'), enabled: true, canLeech: true });
      engine.announce(req({ passkey: id.toString(16).padStart(32, '0'), peerId: peerId(`m${id}`) }));
    }
    assert.ok(engine.swarms.get(10)!.usesMaps);
    for (const label of ['box1', 'box2', 'box3']) engine.announce(req({ peerId: peerId(label) }));
    assert.match(refusal(() => engine.announce(req({ peerId: peerId('box4') }))).message, RELEASE_CAP);
    clock.advance(30 * MIN);
    for (const label of ['box1', 'box2', 'box3']) engine.announce(req({ peerId: peerId(label) }));
    clock.advance(20 * MIN); // the other members' peers expire; member 1's do not
    engine.sweep();
    clock.advance(7 * 86_400_000 - 20 * MIN);
    engine.sweep(); // their baselines are forgotten: the swarm is small again
    assert.equal(engine.swarms.get(10)!.usesMaps, false);
    assert.equal(engine.swarms.get(10)!.activeOf(1), 0);
    assert.equal(engine.memberPeers.of(1), 0);
    assert.equal(engine.memberPeers.members, 0);
  });

  it(`keeps at most ${MAX_BASELINES} stopped baselines per member and torrent, forgetting the oldest`, () => {
    const { engine, clock } = makeEngine({ caps: 'default' });
    engine.announce(req({ passkey: PASSKEY_B, peerId: peerId('B-kept'), event: 'stopped' }));
    for (let i = 0; i < 200; i++) {
      clock.advance(1000);
      engine.announce(req({ peerId: peerId(`r${i}`), event: 'stopped' }));
    }
    const swarm = engine.swarms.get(10)!;
    assert.equal(swarm.size, MAX_BASELINES + 1 + 1, 'the member\'s newest baselines and the other member\'s');
    for (let i = 200 - MAX_BASELINES - 1; i < 200; i++) assert.ok(swarm.get(1, peerId(`r${i}`).toString('latin1')), `r${i} kept`);
    assert.equal(swarm.get(1, peerId('r0').toString('latin1')), undefined, 'the oldest forgotten');
    assert.ok(swarm.get(2, peerId('B-kept').toString('latin1')));
    // active peers are never forgotten to make room
    engine.announce(req({ peerId: peerId('live') }));
    for (let i = 0; i < 20; i++) engine.announce(req({ peerId: peerId(`s${i}`), event: 'stopped' }));
    assert.equal(swarm.activeOf(1), 1);
    assert.ok(swarm.get(1, peerId('live').toString('latin1')));
  });

  it('keeps baselines bounded in a large swarm too', () => {
    const { engine, catalog } = makeEngine({ caps: 'default' });
    const others = SMALL_SWARM * 2;
    for (let id = 100; id < 100 + others; id++) {
      catalog.setUser({ id, passkey: id.toString(16).padStart(32, '0'), enabled: true, canLeech: true });
      engine.announce(req({ passkey: id.toString(16).padStart(32, '0'), peerId: peerId(`m${id}`) }));
    }
    for (let i = 0; i < 300; i++) engine.announce(req({ peerId: peerId(`r${i}`), left: 0n, event: 'stopped' }));
    assert.ok(engine.swarms.get(10)!.usesMaps);
    assert.equal(swarmSize(engine), others + MAX_BASELINES + 1);
    // a member without the download right leaves refused (inactive) records: bounded as well
    for (let i = 0; i < 300; i++) refusal(() => engine.announce(req({ passkey: 'c'.repeat(32), peerId: peerId(`c${i}`) })));
    assert.equal(swarmSize(engine), others + 2 * (MAX_BASELINES + 1));
    assert.equal(engine.swarms.get(10)!.activeOf(3), 0);
  });
});

describe('peer cap settings', () => {
  it('has defaults for a big seeder and a few boxes per torrent', () => {
    const policy = defaultPolicy({ announceInterval: 1800, minInterval: 300 });
    assert.equal(policy.maxPeersPerMember, 10_000);
    assert.equal(policy.maxPeersPerRelease, 3);
    assert.equal(policy.maxBaselinesPerRelease, 8);
  });

  it('keeps only whole numbers within bounds from a stored policy, else the defaults', () => {
    const config = { siteName: 'seedkeep', announceInterval: 1800, minInterval: 300, newMemberCredit: 0n };
    const caps = (stored: Record<string, unknown>) => {
      const values = decodeSettings(new Map([['tracker_policy', stored]]), config);
      return [values.maxPeersPerMember, values.maxPeersPerRelease, values.maxBaselinesPerRelease];
    };
    const defaults = defaultPolicy(config);
    assert.deepEqual(caps({ maxPeersPerMember: 50_000, maxPeersPerRelease: 5, maxBaselinesPerRelease: 20 }), [50_000, 5, 20]);
    assert.deepEqual(caps({ maxPeersPerMember: 0, maxPeersPerRelease: 2.5, maxBaselinesPerRelease: -1 }), [defaults.maxPeersPerMember, defaults.maxPeersPerRelease, defaults.maxBaselinesPerRelease]);
    assert.deepEqual(caps({ maxPeersPerMember: '10', maxPeersPerRelease: 1001 }).slice(0, 2), [defaults.maxPeersPerMember, defaults.maxPeersPerRelease]);
  });
});
