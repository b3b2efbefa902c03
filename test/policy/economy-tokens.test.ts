import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/clock.js';
import { extendUntil, isActive, monthOf, monthlyGrant, tokenExpiry, tokenRefusal, type TokenSpendState } from '../../src/policy/economy/tokens.js';
import { DEFAULT_CLASSES } from '../../src/policy/economy/user-classes.js';
import { translator } from '../../src/i18n/index.js';
import type { Refusal } from '../../src/policy/economy/refusal.js';

/** A refusal as an English reader reads it. */
const english = (refusal: Refusal | null): string => (refusal ? translator('en')(refusal.key, refusal.params) : '');

const HOUR = 3_600_000;
const clock = new FakeClock(Date.UTC(2026, 5, 30, 23));
const state = (s: Partial<TokenSpendState> = {}): TokenSpendState => ({
  tokens: 1, releaseMode: 'normal', siteFreeleech: false, personalFreeleechUntil: null, tokenExpiresAt: null, releaseDeleted: false, ...s,
});

describe('freeleech tokens', () => {
  it('may be spent on a normal or double-upload release by a member holding one', () => {
    assert.equal(tokenRefusal(state(), clock.now()), null);
    assert.equal(tokenRefusal(state({ releaseMode: 'double_upload' }), clock.now()), null);
  });

  it('are refused on a release that is already freeleech, or while everything is', () => {
    assert.match(english(tokenRefusal(state({ releaseMode: 'freeleech' }), clock.now())), /already freeleech/);
    assert.match(english(tokenRefusal(state({ releaseMode: 'neutral' }), clock.now())), /already freeleech/);
    assert.match(english(tokenRefusal(state({ siteFreeleech: true }), clock.now())), /Everything/);
    assert.match(english(tokenRefusal(state({ personalFreeleechUntil: new Date(clock.now() + 1) }), clock.now())), /personal/);
  });

  it('are refused without a token and twice on one release until the first expires', () => {
    assert.match(english(tokenRefusal(state({ tokens: 0 }), clock.now())), /no freeleech tokens/);
    const expires = tokenExpiry(clock.now(), 96);
    assert.match(english(tokenRefusal(state({ tokenExpiresAt: expires }), clock.now())), /already spent/);
    clock.advance(96 * HOUR);
    assert.equal(tokenRefusal(state({ tokenExpiresAt: expires }), clock.now()), null, 'at the expiry moment it is over');
  });

  it('is active until, not at, its expiry', () => {
    const now = clock.now();
    const until = tokenExpiry(now, 1);
    assert.equal(isActive(until, now + HOUR - 1), true);
    assert.equal(isActive(until, now + HOUR), false);
    assert.equal(isActive(null, now), false);
  });

  it('adds a timed perk to what is left of a running one', () => {
    const now = clock.now();
    assert.equal(extendUntil(null, now, 24).getTime(), now + 24 * HOUR);
    assert.equal(extendUntil(new Date(now + 5 * HOUR), now, 24).getTime(), now + 29 * HOUR);
    assert.equal(extendUntil(new Date(now - 5 * HOUR), now, 24).getTime(), now + 24 * HOUR, 'an ended one starts from now');
  });

  it('grants by class once per UTC month', () => {
    assert.equal(monthOf(Date.UTC(2026, 5, 30, 23, 59)), '2026-06');
    assert.equal(monthOf(Date.UTC(2026, 6, 1)), '2026-07');
    assert.deepEqual(monthlyGrant(DEFAULT_CLASSES[2]), { tokens: 1, invites: 1 });
    assert.deepEqual(monthlyGrant(DEFAULT_CLASSES[0]), { tokens: 0, invites: 0 });
  });
});
