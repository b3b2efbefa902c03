// Fuzz: random and mutated announce/scrape query strings against the parser + core
// in-process, then a few thousand through the real route plugin with app.inject. Every
// answer must be a bencoded dict with either `failure reason` or a valid success; nothing
// may throw. Seeded PRNG: a failure is reproducible from the printed seed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { decodeBencode } from '../../src/tracker/bencode.js';
import { handleAnnounce, handleScrape, trackerHttpRoutes } from '../../src/tracker/http.js';
import type { TrackerService } from '../../src/tracker-service.js';
import { hash, makeEngine, peerId, PASSKEY_A, PASSKEY_C } from './fixtures/core.js';
import { pct } from './fixtures/seed.js';

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);

function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const rand = prng(SEED);
const int = (n: number): number => Math.floor(rand() * n);
const pick = <T>(list: readonly T[]): T => list[int(list.length)];

const NUMBERS = ['0', '1', '-1', '65535', '65536', '9007199254740993', '9223372036854775807', '9223372036854775808', '1e5', '0x10', '', ' 1', '00000000000000000001', '99999999999999999999999'];
const EVENTS = ['started', 'completed', 'stopped', 'paused', 'empty', '', 'bogus', 'STARTED', '%00'];
const NAMES = ['info_hash', 'peer_id', 'port', 'uploaded', 'downloaded', 'left', 'event', 'numwant', 'compact', 'no_peer_id', 'key', 'ip', 'trackerid', 'corrupt', 'supportcrypto', 'redundant'];
const HASHES = [hash(10), hash(11), hash(12), hash(13), hash(20), hash(21), Buffer.alloc(20, 0xff)];

function validQuery(): string {
  const fields = [
    `info_hash=${pct(pick(HASHES))}`,
    `peer_id=${pct(peerId(String(int(50))))}`,
    `port=${1 + int(65535)}`,
    `uploaded=${int(1e9)}`,
    `downloaded=${int(1e9)}`,
    `left=${pick(['0', String(int(1e6))])}`,
  ];
  if (rand() < 0.5) fields.push(`event=${pick(EVENTS.slice(0, 6))}`);
  if (rand() < 0.3) fields.push(`numwant=${int(300)}`);
  if (rand() < 0.3) fields.push(`compact=${pick(['0', '1'])}`);
  if (rand() < 0.2) fields.push('no_peer_id=1');
  if (rand() < 0.3) fields.push(`key=${int(0xffffffff).toString(16)}`);
  return fields.sort(() => rand() - 0.5).join('&');
}

function randomText(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    const r = rand();
    if (r < 0.15) out += '%' + int(256).toString(16).padStart(2, '0');
    else if (r < 0.2) out += pick(['&', '=', '%', '+', '?', '#', '%%', '%G', '\u00e9', '\u0000']);
    else out += String.fromCharCode(32 + int(95));
  }
  return out;
}

function mutate(query: string): string {
  switch (int(8)) {
    case 0: // flip a character
      if (query.length === 0) return query;
      {
        const i = int(query.length);
        return query.slice(0, i) + String.fromCharCode(int(256)) + query.slice(i + 1);
      }
    case 1: // truncate
      return query.slice(0, int(query.length + 1));
    case 2: // drop a parameter
      return query.split('&').filter(() => rand() > 0.2).join('&');
    case 3: // duplicate a parameter with a weird value
      return `${query}&${pick(NAMES)}=${randomText(int(30))}`;
    case 4: // weird number
      return query.replace(/(port|uploaded|downloaded|left|numwant)=[^&]*/, (_m, name: string) => `${name}=${pick(NUMBERS)}`);
    case 5: // weird event
      return query.replace(/event=[^&]*/, `event=${pick(EVENTS)}`) + (rand() < 0.5 ? `&event=${pick(EVENTS)}` : '');
    case 6: // shorten or lengthen a binary field
      return query.replace(/(info_hash|peer_id)=((?:%[0-9a-f]{2})+)/, (_m, name: string, v: string) => `${name}=${rand() < 0.5 ? v.slice(3) : v + '%41'}`);
    default: // random garbage
      return randomText(int(300));
  }
}

function nextQuery(): string {
  const r = rand();
  if (r < 0.3) return validQuery();
  if (r < 0.9) return mutate(validQuery());
  return randomText(int(200));
}

type Dict = Record<string, unknown>;

function checkReply(body: Buffer, context: string): 'ok' | 'failure' {
  const dict = decodeBencode(body) as Dict;
  assert.ok(dict !== null && typeof dict === 'object' && !ArrayBuffer.isView(dict), context);
  if (dict['failure reason'] !== undefined) {
    assert.ok(ArrayBuffer.isView(dict['failure reason']), context);
    return 'failure';
  }
  if (dict.files !== undefined) return 'ok';
  assert.equal(typeof dict.interval, 'number', context);
  assert.ok(ArrayBuffer.isView(dict.peers) || Array.isArray(dict.peers), context);
  if (ArrayBuffer.isView(dict.peers)) assert.equal((dict.peers as Uint8Array).length % 6, 0, context);
  if (dict.peers6 !== undefined) assert.equal((dict.peers6 as Uint8Array).length % 18, 0, context);
  return 'ok';
}

describe(`http fuzz (seed ${SEED})`, () => {
  it('answers 100k random and mutated queries in-process with a bencoded dict, never a throw', () => {
    const { engine, clock } = makeEngine({ maxPendingDeltas: 100_000_000 });
    const counts = { ok: 0, failure: 0 };
    for (let i = 0; i < 100_000; i++) {
      if (i % 1000 === 0) clock.advance(301_000);
      const query = nextQuery();
      const passkey = rand() < 0.95 ? (rand() < 0.9 ? PASSKEY_A : PASSKEY_C) : randomText(32);
      const ip = pick(['10.0.0.1', '2001:db8::1', '::ffff:10.1.1.1', '127.0.0.1']);
      // an engine without a service marks no reply to wait for a flush: always a Buffer
      const body = (rand() < 0.9 ? handleAnnounce(engine, passkey, query, ip, 'fuzz/1.0') : handleScrape(engine, passkey, query)) as Buffer;
      counts[checkReply(body, `query ${JSON.stringify(query)} seed ${SEED}`)]++;
    }
    // both paths were exercised
    assert.ok(counts.ok > 1000, JSON.stringify(counts));
    assert.ok(counts.failure > 1000, JSON.stringify(counts));
  });

  it('answers a few thousand through the route plugin (app.inject) with 200 and a bencoded dict', async () => {
    const { engine } = makeEngine({ maxPendingDeltas: 100_000_000 });
    const app = Fastify({ logger: false });
    app.decorate('tracker', { core: engine } as unknown as TrackerService);
    await app.register(trackerHttpRoutes);
    await app.ready();
    try {
      for (let i = 0; i < 3000; i++) {
        const kind = pick(['announce', 'scrape']);
        const path = rand() < 0.5 ? `/${PASSKEY_A}/${kind}` : `/${kind}/${rand() < 0.9 ? PASSKEY_A : randomText(10).replace(/[^A-Za-z0-9]/g, 'x')}`;
        // the raw query string goes on the wire as-is: keep it a legal request-target
        const query = nextQuery().replace(/[^\x21-\x7e]/g, (c) => '%' + (c.charCodeAt(0) & 0xff).toString(16).padStart(2, '0')).replace(/#/g, '%23');
        const res = await app.inject({ method: 'GET', url: `${path}?${query}`, remoteAddress: '10.0.0.7' });
        assert.equal(res.statusCode, 200, `${path}?${query}`);
        assert.equal(res.headers['content-type'], 'text/plain');
        checkReply(res.rawPayload, `${path}?${query} seed ${SEED}`);
      }
    } finally {
      await app.close();
    }
  });
});
