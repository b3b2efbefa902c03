// BEP 15 connection ids (src/tracker/udp/connection-id.ts): stateless HMAC ids, valid for the
// current minute window and the two before it, bound to the source IP; the per-window cache
// must never change which ids are accepted.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/clock.js';
import { ConnectionIds } from '../../src/tracker/udp/connection-id.js';

function idFor(ids: ConnectionIds, ip: string): Buffer {
  const out = Buffer.alloc(8);
  ids.write(ip, out, 0);
  return out;
}

describe('UDP connection ids', () => {
  it('accepts an id from the same IP for two to three minutes, and never from another IP', () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1, 0, 0, 30));
    const ids = new ConnectionIds('secret', clock);
    const id = idFor(ids, '10.0.0.1');
    assert.equal(ids.verify(id, '10.0.0.1'), true);
    assert.equal(ids.verify(id, '10.0.0.2'), false);
    clock.advance(60_000);
    assert.equal(ids.verify(id, '10.0.0.1'), true, 'one window later');
    clock.advance(60_000);
    assert.equal(ids.verify(id, '10.0.0.1'), true, 'two windows later');
    clock.advance(60_000);
    assert.equal(ids.verify(id, '10.0.0.1'), false, 'three windows later');
  });

  it('gives the same id as a fresh instance with the same secret (ids survive restarts)', () => {
    const clock = new FakeClock();
    const a = new ConnectionIds('secret', clock);
    const b = new ConnectionIds('secret', clock);
    assert.deepEqual(idFor(a, '2001:db8::1'), idFor(b, '2001:db8::1'));
    assert.notDeepEqual(idFor(a, '2001:db8::1'), idFor(new ConnectionIds('other', clock), '2001:db8::1'));
  });

  it('still verifies every client after a flood of connects from many addresses', () => {
    const clock = new FakeClock();
    const ids = new ConnectionIds('secret', clock);
    const early = idFor(ids, '192.0.2.1');
    for (let i = 0; i < 70_000; i++) idFor(ids, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    assert.equal(ids.verify(early, '192.0.2.1'), true);
    const forged = Buffer.from(early);
    forged[0] ^= 1;
    assert.equal(ids.verify(forged, '192.0.2.1'), false);
  });
});
