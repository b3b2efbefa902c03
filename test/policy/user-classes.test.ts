import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/clock.js';
import { translator } from '../../src/i18n/index.js';
import type { Refusal } from '../../src/policy/economy/refusal.js';
import { classFor, DEFAULT_CLASSES, ladderProblem, missingFor, nextClass, type ClassStats } from '../../src/policy/economy/user-classes.js';

const english = (refusal: Refusal | null): string => (refusal ? translator('en')(refusal.key, refusal.params) : '');

const GIB = 1024n ** 3n;
const DAY = 86_400_000;
const clock = new FakeClock(Date.UTC(2026, 5, 1));
const joined = (days: number) => new Date(clock.now() - days * DAY);
const stats = (s: Partial<ClassStats>): ClassStats => ({ createdAt: joined(0), uploaded: 0n, downloaded: 0n, uploads: 0, ...s });
const name = (s: Partial<ClassStats>) => classFor(DEFAULT_CLASSES, stats(s), clock.now()).name;

describe('user classes', () => {
  it('starts every new member in the first class', () => {
    assert.equal(name({}), 'User');
  });

  it('promotes on the exact day and amount a threshold asks for (thresholds are inclusive)', () => {
    const member = { createdAt: joined(7), uploaded: 10n * GIB, downloaded: 10n * GIB };
    assert.equal(name(member), 'Member');
    assert.equal(name({ ...member, createdAt: new Date(joined(7).getTime() + 1) }), 'User', 'one millisecond short of a week');
    assert.equal(name({ ...member, uploaded: 10n * GIB - 1n }), 'User', 'one byte short');
  });

  it('needs every threshold: Power User asks for uploads too', () => {
    const pu = { createdAt: joined(14), uploaded: 30n * GIB, downloaded: 20n * GIB };
    assert.equal(name({ ...pu, uploads: 4 }), 'Member');
    assert.equal(name({ ...pu, uploads: 5 }), 'Power User');
  });

  it('demotes a member whose ratio falls below their class minimum to the highest class they still meet', () => {
    const elite = { createdAt: joined(30), uploaded: 105n * GIB, downloaded: 100n * GIB, uploads: 60 };
    assert.equal(name(elite), 'Elite');
    assert.equal(name({ ...elite, downloaded: 101n * GIB }), 'Member', 'ratio 1.04 keeps the Member minimum of 0.7 only');
    assert.equal(name({ ...elite, downloaded: 200n * GIB }), 'User', 'ratio 0.525');
  });

  it('counts nothing downloaded as meeting any ratio', () => {
    assert.equal(name({ createdAt: joined(8), uploaded: 11n * GIB }), 'Member');
  });

  it('says what the next class still needs, and nothing at the top', () => {
    const next = nextClass(DEFAULT_CLASSES, 'User', stats({ createdAt: joined(5), uploaded: 4n * GIB, downloaded: 8n * GIB }), clock.now());
    assert.equal(next?.cls.name, 'Member');
    assert.deepEqual(next?.missing, [
      { key: 'classes.missing.days', params: { count: 2 } },
      { key: 'classes.missing.upload', params: { count: 6 } },
      { key: 'classes.missing.ratio', params: { count: 0.7 } },
    ]);
    assert.equal(nextClass(DEFAULT_CLASSES, 'Torrent Master', stats({}), clock.now()), null);
    assert.deepEqual(missingFor(DEFAULT_CLASSES[0], stats({}), clock.now()), []);
  });

  it('moves a member as time passes on a fake clock', () => {
    const s = stats({ uploaded: 10n * GIB });
    assert.equal(classFor(DEFAULT_CLASSES, s, clock.now()).name, 'User');
    assert.equal(classFor(DEFAULT_CLASSES, s, clock.now() + 7 * DAY).name, 'Member');
  });

  it('accepts the default ladder and refuses bad ones', () => {
    assert.equal(ladderProblem(DEFAULT_CLASSES), null);
    assert.match(english(ladderProblem([])), /1 to 12/);
    const empty = ladderProblem([])!;
    assert.equal(translator('ru')(empty.key, empty.params), 'Допустимо от 1 до 12 классов.');
    assert.equal(translator('pt-BR')(empty.key, empty.params), 'Mantenha de 1 a 12 classes.');
    assert.match(english(ladderProblem([{ ...DEFAULT_CLASSES[0], minDays: 1 }])), /first class/);
    assert.match(english(ladderProblem([DEFAULT_CLASSES[0], { ...DEFAULT_CLASSES[1], name: 'user' }])), /already/);
    assert.match(english(ladderProblem([DEFAULT_CLASSES[0], { ...DEFAULT_CLASSES[1], tokensPerMonth: 1.5 }])), /whole/);
    assert.match(english(ladderProblem([{ ...DEFAULT_CLASSES[0], name: '<b>' }])), /name/);
  });
});
