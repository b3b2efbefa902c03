// The client refusal names where the allowed clients are listed: the site's /rules#clients,
// handed to the core in its options (the core reads no configuration itself).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../src/clock.js';
import { TrackerEngine } from '../../src/tracker/announce.js';
import { Catalog } from '../../src/tracker/catalog.js';
import { defaultPolicy } from '../../src/tracker/policy.js';
import { TrackerError } from '../../src/tracker/types.js';
import { hash, PASSKEY_A, req } from './fixtures/core.js';

function engineWith(rulesUrl?: string): TrackerEngine {
  const catalog = new Catalog();
  catalog.setUser({ id: 1, passkey: PASSKEY_A, enabled: true, canLeech: true });
  catalog.setRelease({ id: 10, infoHashV1: hash(10), infoHashV2Short: null, freeleech: 'normal', deletedReason: null });
  const policy = defaultPolicy({ announceInterval: 1800, minInterval: 300 });
  return new TrackerEngine({ catalog, clock: new FakeClock(), policy, maxPendingDeltas: 1000, retentionMs: 86_400_000, rulesUrl });
}

const refused = Buffer.from('-XL0012-abcdefghijkl', 'latin1');

describe('announce from a refused client', () => {
  it('links the rules page section that lists the allowed clients', () => {
    const engine = engineWith('https://tracker.example.org/rules#clients');
    assert.throws(() => engine.announce(req({ peerId: refused })), (error: unknown) => {
      assert.ok(error instanceof TrackerError);
      assert.equal(error.message, 'Your client is not allowed on this tracker; see the rules for allowed clients: https://tracker.example.org/rules#clients');
      return true;
    });
  });

  it('keeps the plain reason when no rules address is given', () => {
    assert.throws(() => engineWith().announce(req({ peerId: refused })), { message: 'Your client is not allowed on this tracker; see the rules for allowed clients' });
  });
});
