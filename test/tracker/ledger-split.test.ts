// A backlog cut into parts for bounded transactions (src/tracker/core/ledger-split.ts): each
// member's entries in one part, every entry in exactly one; and the stop path's parts, built
// one at a time with their peers' rows snapshotted as each is built.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Catalog } from '../../src/tracker/core/catalog.js';
import { TrackerEngine } from '../../src/tracker/core/engine.js';
import type { LedgerBatch } from '../../src/tracker/core/ledger.js';
import { batchEntries, partsOneByOne, splitBatch } from '../../src/tracker/core/ledger-split.js';
import { defaultPolicy } from '../../src/tracker/core/tracker-policy.js';
import { FakeClock } from '../../src/clock.js';
import { hash, peerId, req } from './fixtures/core.js';

const MEMBERS = 40;
const RELEASES = 5;

/** MEMBERS members with a peer on each of RELEASES releases, each re-announced once with upload. */
function backlog(): TrackerEngine {
  const catalog = new Catalog();
  const policy = defaultPolicy({ announceInterval: 1800, minInterval: 0 });
  for (let m = 1; m <= MEMBERS; m++) catalog.setUser({ id: m, passkey: String(m).padStart(32, '0'), enabled: true, canLeech: true });
  for (let r = 1; r <= RELEASES; r++) catalog.setRelease({ id: r, infoHashV1: hash(r), infoHashV2Short: null, freeleech: 'normal', deletedReason: null });
  const engine = new TrackerEngine({ catalog, clock: new FakeClock(), policy, maxPendingDeltas: 1_000_000, retentionMs: 7 * 86_400_000 });
  for (const uploaded of [0n, 1000n]) {
    for (let m = 1; m <= MEMBERS; m++) {
      for (let r = 1; r <= RELEASES; r++) engine.announce(req({ passkey: String(m).padStart(32, '0'), infoHash: hash(r), peerId: peerId(`${m}-${r}`), uploaded }));
    }
  }
  return engine;
}

function membersOf(part: LedgerBatch): Set<number> {
  return new Set([...part.peers].map((p) => p.userId));
}

describe('ledger parts', () => {
  it('puts each member with all of their entries in exactly one part, whichever way it is cut', () => {
    const whole = batchEntries(backlog().ledger.take(null));
    for (const parts of [splitBatch(backlog().ledger.take(null), 60), [...partsOneByOne(backlog().ledger.take(null, false), 60)]]) {
      assert.ok(parts.length > 1);
      assert.equal(parts.reduce((sum, p) => sum + batchEntries(p), 0), whole);
      const seen = new Set<number>();
      for (const part of parts) {
        for (const member of membersOf(part)) {
          assert.ok(!seen.has(member), `member ${member} in two parts`);
          seen.add(member);
        }
        assert.equal(part.peerRows.length, part.peers.size, 'each part carries its peers\' rows');
        assert.equal(part.users.size, membersOf(part).size, 'and its members\' totals');
      }
      assert.equal(seen.size, MEMBERS);
    }
  });

  it('builds the stop path\'s parts only as they are asked for, the peer rows as they are then', () => {
    const engine = backlog();
    const batch = engine.ledger.take(null, false);
    assert.equal(batch.peerRows.length, 0, 'no snapshot of the whole backlog');
    const parts = partsOneByOne(batch, 60);
    const first = parts.next().value as LedgerBatch;
    assert.ok(first.peerRows.every((row) => row.uploaded === 1000n));
    // what a stop never reaches is never built: closing the generator ends it
    assert.equal(parts.return(undefined).done, true);
    assert.ok(batchEntries(first) < batchEntries(batch));
  });

  it('hands a small batch over whole, with its peer rows', () => {
    const batch = backlog().ledger.take(null, false);
    const parts = [...partsOneByOne(batch, 1_000_000)];
    assert.deepEqual(parts, [batch]);
    assert.equal(batch.peerRows.length, MEMBERS * RELEASES);
  });
});
