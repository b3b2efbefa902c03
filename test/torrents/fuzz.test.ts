// 20k seeded random mutations of the libtorrent fixtures: parseTorrent may accept or refuse
// each, but must only ever throw a TorrentError. A failure prints the seed and round to replay.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TorrentError, parseTorrent, personalizeTorrent } from '../../src/torrents/index.js';
import { SOURCE, expected, fixture } from './helpers.js';
import { prng } from '../helpers/prng.js';

const ROUNDS = 20_000;
const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);

/** seeded integers below n (xorshift32), so a failure can be replayed with FUZZ_SEED */
function random(seed: number): (n: number) => number {
  const next = prng(seed);
  return (n) => Math.floor(next() * n);
}

const INTERESTING = ['e', 'l', 'd', 'i', ':', '0', '1', '9', '-', '\0', '/', '.', '\xff'].map((c) => c.charCodeAt(0));

function mutate(source: Buffer, rand: (n: number) => number, donors: Buffer[]): Buffer {
  const data = Buffer.from(source);
  const at = rand(data.length);
  switch (rand(7)) {
    case 0: data[at] ^= 1 << rand(8); return data;
    case 1: data[at] = INTERESTING[rand(INTERESTING.length)]; return data;
    case 2: return Buffer.concat([data.subarray(0, at), Buffer.from([rand(256)]), data.subarray(at)]);
    case 3: return Buffer.concat([data.subarray(0, at), data.subarray(at + 1 + rand(16))]);
    case 4: return data.subarray(0, at);
    case 5: { const len = 1 + rand(32); return Buffer.concat([data.subarray(0, at), data.subarray(at, at + len), data.subarray(at)]); }
    default: { const donor = donors[rand(donors.length)]; const from = rand(donor.length); return Buffer.concat([data.subarray(0, at), donor.subarray(from, from + 1 + rand(64)), data.subarray(at + rand(64))]); }
  }
}

describe('parseTorrent under random mutation', () => {
  it(`only accepts or throws a TorrentError over ${ROUNDS} mutations`, { timeout: 120_000 }, () => {
    const fixtures = Object.keys(expected).flatMap((name) => [fixture(name), fixture(`${name}-public`)]);
    const rand = random(SEED);
    let accepted = 0;
    for (let round = 0; round < ROUNDS; round++) {
      let input = mutate(fixtures[rand(fixtures.length)], rand, fixtures);
      if (rand(4) === 0) input = mutate(input, rand, fixtures);
      try {
        const parsed = parseTorrent(input, { source: SOURCE });
        personalizeTorrent(parsed.stored, { announce: 'http://t/a', announceList: [['http://t/a']] });
        accepted++;
      } catch (error) {
        if (!(error instanceof TorrentError)) assert.fail(`seed ${SEED} round ${round}: ${(error as Error).stack}`);
      }
    }
    // most mutations break something; a few (a flipped hash byte) still parse
    assert.ok(accepted > 0 && accepted < ROUNDS, `accepted ${accepted}`);
  });
});
