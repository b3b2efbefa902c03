// The tracker core's announce checks (passkey, client, account, release, fields) and the
// min interval between announces. No database.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TrackerError } from '../../src/tracker/core/types.js';
import { drain, hash, makeEngine, MIN, PASSKEY_B, PASSKEY_C, peerId, req, traffic } from './fixtures/core.js';

describe('announce checks', () => {
  it('refuses a member without leech right after crediting the upload', () => {
    const { engine, clock } = makeEngine();
    assert.throws(() => engine.announce(req({ passkey: PASSKEY_C, event: 'started' })), /Access denied, leeching forbidden/);
    clock.advance(30 * MIN);
    assert.throws(() => engine.announce(req({ passkey: PASSKEY_C, uploaded: 500n, downloaded: 50n })), /leeching forbidden/);
    assert.deepEqual(traffic(drain(engine), 3), { up: 500n, down: 50n, upActual: 500n, downActual: 50n });
    assert.equal(engine.stats().peers, 0);
    // seeding is allowed
    const seeding = engine.announce(req({ passkey: PASSKEY_C, left: 0n, uploaded: 600n }));
    assert.equal(seeding.complete, 1);
  });

  it('refuses a disabled member', () => {
    const { engine, catalog } = makeEngine();
    catalog.setUser({ id: 1, passkey: 'a'.repeat(32), enabled: false, canLeech: true });
    assert.throws(() => engine.announce(req()), { message: 'Account disabled' });
  });

  it('refuses unknown and malformed passkeys', () => {
    const { engine } = makeEngine();
    assert.throws(() => engine.announce(req({ passkey: 'f'.repeat(32) })), /Invalid passkey/);
    assert.throws(() => engine.announce(req({ passkey: 'nope' })), /Invalid passkey/);
  });

  it('answers Unregistered torrent for unknown and deleted hashes', () => {
    const { engine, catalog } = makeEngine();
    assert.throws(() => engine.announce(req({ infoHash: hash(99) })), { message: 'Unregistered torrent' });
    catalog.setRelease({ id: 10, infoHashV1: hash(10), infoHashV2Short: null, freeleech: 'normal', deletedReason: 'Dupe of a better release' });
    assert.throws(() => engine.announce(req()), { message: 'Unregistered torrent: Dupe of a better release' });
  });

  it('refuses a denied client by peer_id prefix and honours an allow list', () => {
    const { engine, policy } = makeEngine();
    assert.throws(() => engine.announce(req({ peerId: Buffer.from('-XL0012-abcdefghijkl') })), /client is not allowed/);
    policy.clientAllow = ['-TR'];
    assert.throws(() => engine.announce(req()), /client is not allowed/);
    engine.announce(req({ peerId: Buffer.from('-TR3000-abcdefghijkl') }));
  });

  it('refuses bad fields with a TrackerError', () => {
    const { engine } = makeEngine();
    assert.throws(() => engine.announce(req({ infoHash: Buffer.alloc(19) })), TrackerError);
    assert.throws(() => engine.announce(req({ port: 0 })), TrackerError);
  });

  it('refuses announces once pending deltas reach the bound while flushes fail, with a retry hint', () => {
    const { engine } = makeEngine({ maxPendingDeltas: 2, flushesFailing: () => true });
    engine.announce(req({ event: 'started' }));
    assert.throws(() => engine.announce(req({ peerId: peerId('A2') })), (e: unknown) => e instanceof TrackerError && e.retryIn === 300 && /retry/.test(e.message));
  });

  it('answers a burst past the pending bound while flushes succeed, and refuses once they fail', () => {
    let failing = false;
    const { engine } = makeEngine({ maxPendingDeltas: 2, flushesFailing: () => failing });
    for (let i = 0; i < 5; i++) engine.announce(req({ peerId: peerId(`burst${i}`), event: 'started' }));
    assert.ok(engine.ledger.pending > 2, 'the burst is pending, none refused');
    failing = true;
    assert.throws(() => engine.announce(req({ peerId: peerId('late') })), /Tracker is busy/);
  });
});

describe('min interval', () => {
  it('warns an early re-announce, returns no peers, and still credits it', () => {
    const { engine, clock } = makeEngine();
    engine.announce(req({ passkey: PASSKEY_B, peerId: peerId('B1'), event: 'started', left: 0n }));
    engine.announce(req({ event: 'started' }));
    clock.advance(MIN);
    const early = engine.announce(req({ uploaded: 40n }));
    assert.match(early.warning ?? '', /too soon/);
    assert.equal(early.compact4.length, 0);
    assert.equal(early.complete, 1);
    assert.equal(traffic(drain(engine)).up, 40n);
    clock.advance(5 * MIN);
    assert.equal(engine.announce(req({ uploaded: 50n })).compact4.length, 6);
  });

  it('exempts started, completed and stopped', () => {
    const { engine, clock } = makeEngine();
    engine.announce(req({ event: 'started' }));
    clock.advance(1000);
    assert.equal(engine.announce(req({ event: 'completed', left: 0n })).warning, undefined);
    assert.equal(engine.announce(req({ event: 'stopped', left: 0n })).warning, undefined);
  });
});
