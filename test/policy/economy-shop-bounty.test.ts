import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/clock.js';
import { bountyRefusal, confirmRefusal, fillRefusal, refundsOf, rejectRefusal, withdrawRefusal, type RequestState } from '../../src/policy/economy/bounty.js';
import { DEFAULT_SHOP, describeItem, purchaseRefusal, shopProblem } from '../../src/policy/economy/shop.js';
import { translator } from '../../src/i18n/index.js';
import type { Refusal } from '../../src/policy/economy/refusal.js';

/** A refusal as an English reader reads it. */
const english = (refusal: Refusal | null): string => (refusal ? translator('en')(refusal.key, refusal.params) : '');

const DAY = 86_400_000;
const MIB = 1024n ** 2n;
const clock = new FakeClock(Date.UTC(2026, 5, 1));
const requester = { id: 1, staff: false };
const filler = { id: 2, staff: false };
const staff = { id: 3, staff: true };

describe('the bonus shop', () => {
  const token = DEFAULT_SHOP.find((i) => i.key === 'token')!;
  it('sells within the price and the limit per period', () => {
    assert.equal(purchaseRefusal(token, token.price, 0), null);
    assert.match(english(purchaseRefusal(token, token.price - 0.5, 0)), /costs 1500 points; you have 1499/);
    assert.match(english(purchaseRefusal(token, 1e9, token.limit)), /You have bought this/);
    assert.deepEqual(purchaseRefusal(token, 1e9, token.limit)?.params, { item: 'token' }, 'the page puts in the limit, in its language');
    assert.equal(purchaseRefusal({ ...token, limit: 0 }, 1e9, 1000), null, '0 is no limit');
  });

  it('describes items and checks the staff list', () => {
    assert.equal(describeItem(DEFAULT_SHOP[0]), '1 GiB of upload credit');
    assert.equal(shopProblem(DEFAULT_SHOP), null);
    assert.match(english(shopProblem([token, token])), /twice/);
    assert.match(english(shopProblem([{ ...token, price: 0 }])), /price/);
    assert.match(english(shopProblem([{ ...token, amount: 1.5 }])), /whole/);
    assert.match(english(shopProblem([{ ...token, kind: 'car' as never }])), /gives/);
  });
});

describe('request bounties', () => {
  const open: RequestState = { requesterId: 1, status: 'open', fillerId: null, filledAt: null };
  const filled: RequestState = { ...open, status: 'filled', fillerId: 2, filledAt: new Date(clock.now()) };

  it('escrows at least the minimum and never more than the credited upload', () => {
    assert.equal(bountyRefusal(100n * MIB, 100n * MIB, 100n * MIB), null);
    assert.match(english(bountyRefusal(100n * MIB - 1n, 100n * MIB, 1n << 40n)), /at least 100 MiB/);
    assert.match(english(bountyRefusal(200n * MIB, 100n * MIB, 200n * MIB - 1n)), /more upload credit/);
  });

  it('is filled by someone else with a live release', () => {
    assert.equal(fillRefusal(open, filler, { deleted: false }), null);
    assert.match(english(fillRefusal(open, requester, { deleted: false })), /own request/);
    assert.match(english(fillRefusal(open, filler, { deleted: true })), /no release with that number/);
    assert.match(english(fillRefusal(filled, filler, { deleted: false })), /not open/);
  });

  it('is confirmed by the requester at once, by staff only after the delay', () => {
    assert.equal(confirmRefusal(filled, requester, clock.now(), 7), null);
    assert.match(english(confirmRefusal(filled, filler, clock.now(), 7)), /Only the member who asked/);
    assert.match(english(confirmRefusal(filled, staff, clock.now() + 7 * DAY - 1, 7)), /7 days after/);
    assert.equal(confirmRefusal(filled, staff, clock.now() + 7 * DAY, 7), null);
    assert.match(english(confirmRefusal(open, requester, clock.now(), 7)), /not waiting/);
  });

  it('is withdrawn only while open, and a wrong fill can be rejected', () => {
    assert.equal(withdrawRefusal(open, requester), null);
    assert.equal(withdrawRefusal(open, staff), null);
    assert.match(english(withdrawRefusal(open, filler)), /Only the member/);
    assert.match(english(withdrawRefusal(filled, requester)), /Only an open/);
    assert.equal(rejectRefusal(filled, requester), null);
    assert.match(english(rejectRefusal(filled, filler)), /Only the member/);
  });

  it('repays each contributor what they put in', () => {
    const refunds = refundsOf([{ userId: 1, amount: 5n }, { userId: 2, amount: 7n }, { userId: 1, amount: 3n }]);
    assert.deepEqual([...refunds], [[1, 8n], [2, 7n]]);
  });
});
