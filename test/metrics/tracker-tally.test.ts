// The tracker tally: the counting wrapper around the core (no database, no prom-client).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LATENCY_BUCKETS, OUTCOMES, outcomeOf, TrackerTally } from '../../src/metrics/tracker-tally.js';
import { TrackerError, type AnnounceRequest, type TrackerCore } from '../../src/tracker/core/types.js';

const request = (transport: 'http' | 'udp'): AnnounceRequest => ({
  passkey: 'a'.repeat(32), infoHash: Buffer.alloc(20), peerId: Buffer.alloc(20), port: 6881, uploaded: 0n, downloaded: 0n, left: 0n,
  event: '', numwant: null, key: null, ip: '10.0.0.1', family: 4, transport,
});

const fakeCore = (answer: () => ReturnType<TrackerCore['announce']>): TrackerCore => ({
  announce: answer,
  scrape: () => {
    throw new TrackerError('Full scrape is not allowed: give one or more info_hash');
  },
});

const result = (warning?: string) => ({ interval: 1800, minInterval: 300, complete: 0, incomplete: 0, downloaded: 0, peers4: [], peers6: [], warning });
const count = (tally: TrackerTally, transport: number, outcome: string) => tally.announces[transport * OUTCOMES.length + OUTCOMES.indexOf(outcome as never)];

describe('tracker tally', () => {
  it('classes the tracker\'s refusals by their text', () => {
    assert.equal(outcomeOf(new TrackerError('Invalid passkey: download the .torrent again')), 'passkey');
    assert.equal(outcomeOf(new TrackerError('Your client is not allowed on this tracker; see the rules for allowed clients')), 'client');
    assert.equal(outcomeOf(new TrackerError('Account disabled')), 'account');
    assert.equal(outcomeOf(new TrackerError('Unregistered torrent: dupe')), 'torrent');
    assert.equal(outcomeOf(new TrackerError('Tracker is busy saving statistics, please retry in a few minutes')), 'busy');
    assert.equal(outcomeOf(new TrackerError('Access denied, leeching forbidden')), 'leech');
    assert.equal(outcomeOf(new TrackerError('Invalid port')), 'malformed');
    assert.equal(outcomeOf(new TrackerError('something new')), 'refused');
    assert.equal(outcomeOf(new Error('bug')), 'error');
  });

  it('counts answers, warnings and refusals by the request\'s transport, and rethrows', () => {
    const tally = new TrackerTally();
    let next: () => ReturnType<TrackerCore['announce']> = () => result();
    const core = tally.wrap(fakeCore(() => next()), 'udp');
    core.announce(request('http'));
    next = () => result('Announced too soon: wait 300 s between announces');
    core.announce(request('udp'));
    next = () => {
      throw new TrackerError('Account disabled');
    };
    assert.throws(() => core.announce(request('udp')), /Account disabled/);
    assert.deepEqual([count(tally, 0, 'ok'), count(tally, 1, 'warned'), count(tally, 1, 'account')], [1, 1, 1]);
    assert.throws(() => core.scrape('a'.repeat(32), []), TrackerError);
    assert.equal(tally.scrapes[1 * OUTCOMES.length + OUTCOMES.indexOf('malformed')], 1);
  });

  it('passes the core\'s durable() through, so boundary replies still wait for their commit with metrics on', async () => {
    const tally = new TrackerTally();
    let committed = false;
    const inner: TrackerCore = { ...fakeCore(() => result()), durable: () => new Promise<void>((resolve) => setImmediate(() => { committed = true; resolve(); })) };
    const wrapped = tally.wrap(inner, 'http');
    assert.equal(typeof wrapped.durable, 'function');
    await wrapped.durable!();
    assert.ok(committed);
    assert.equal(tally.wrap(fakeCore(() => result()), 'udp').durable, undefined);
  });

  it('puts each announce\'s core time in one latency bucket', () => {
    const tally = new TrackerTally();
    tally.countAnnounce('http', 'ok', 0.000001);
    tally.countAnnounce('http', 'ok', 0.0003);
    tally.countAnnounce('http', 'ok', 99);
    const http = tally.latency[0];
    assert.equal(http.count, 3);
    assert.equal(http.buckets[0], 1);
    assert.equal(http.buckets[LATENCY_BUCKETS.indexOf(0.0005)], 1);
    assert.equal(http.buckets[LATENCY_BUCKETS.length], 1);
  });
});
