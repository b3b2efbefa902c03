// The seam (src/tracker/core/shared-core.ts): the engine's checklist from the catalog in memory,
// then the peer work in a peer store several processes share (src/shared/redis-peer-store.ts on
// the shared Redis, under a prefix of its own, and on a 3-node Redis Cluster started here). The
// transports await the core only when it answers with a promise; refusals read the same, in the
// member's language, in both modes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/clock.js';
import { Catalog } from '../../src/tracker/core/catalog.js';
import { multipliers, SharedTrackerCore } from '../../src/tracker/core/shared-core.js';
import { defaultPolicy } from '../../src/tracker/core/tracker-policy.js';
import { TrackerError, type AnnounceRequest, type AnnounceResult } from '../../src/tracker/core/types.js';
import { decodeBencode } from '../../src/tracker/http/bencode.js';
import { handleAnnounce, handleScrape } from '../../src/tracker/http/answer.js';
import { createPacketHandler } from '../../src/tracker/udp/packet.js';
import { reasonTable } from '../../src/tracker/reason-texts.js';
import { RedisPeerStore } from '../../src/shared/redis-peer-store.js';
import type { RedisClient } from '../../src/shared/redis-connect.js';
import { connectRedis, deleteKeys, redisAvailable, SINGLE_REDIS_URL, startRedisCluster, uniquePrefix, type RedisCluster } from '../helpers/redis.js';
import { drain, hash, makeEngine, MIN, PASSKEY_A, PASSKEY_B, PASSKEY_C, peerId, req, traffic } from '../tracker/fixtures/core.js';
import { announcePacket, connectPacket, errorText, passkeyOption, scrapePacket } from '../tracker/udp-client.js';

const available = await redisAvailable();
const SECRET = 't'.repeat(64);
type Dict = Record<string, unknown>;

/** One tracker process: its own catalog, clock and Redis connection, the swarms shared. */
function processOf(url: string, prefix: string, clock: FakeClock): { core: SharedTrackerCore; redis: RedisClient; catalog: Catalog } {
  const { catalog, policy } = makeEngine();
  catalog.setUser({ id: 4, passkey: 'd'.repeat(32), enabled: true, canLeech: false, locale: 'ru' });
  const redis = connectRedis(url);
  const store = new RedisPeerStore(redis, { prefix, shards: 4 });
  const core = new SharedTrackerCore({ catalog, clock, policy, store, reasons: reasonTable() });
  return { core, redis, catalog };
}

const addresses = (compact: Buffer): string[] => {
  const out: string[] = [];
  for (let i = 0; i + 6 <= compact.length; i += 6) out.push(`${compact.subarray(i, i + 4).join('.')}:${compact.readUInt16BE(i + 4)}`);
  return out.sort();
};

for (const topology of ['single Redis', 'Redis Cluster'] as const) describe(`the tracker core over a shared peer store on a ${topology}`, { skip: available ? false : 'no Redis on this machine' }, () => {
  const prefix = uniquePrefix();
  const clock = new FakeClock();
  let cluster: RedisCluster | null = null;
  let a: ReturnType<typeof processOf>;
  let b: ReturnType<typeof processOf>;

  before(async () => {
    if (topology === 'Redis Cluster') cluster = await startRedisCluster();
    const url = cluster?.url ?? SINGLE_REDIS_URL;
    a = processOf(url, prefix, clock);
    b = processOf(url, prefix, clock);
  });

  after(async () => {
    await deleteKeys(a.redis, prefix);
    a.redis.disconnect();
    b.redis.disconnect();
    await cluster?.stop();
  });

  it('returns a peer announced through one process to a leecher announcing to another', async () => {
    const seeder = await a.core.announce(req({ passkey: PASSKEY_A, infoHash: hash(10), peerId: peerId('S1'), left: 0n, ip: '10.1.0.1', event: 'started' }));
    assert.equal(seeder.complete, 1);
    const leecher = await b.core.announce(req({ passkey: PASSKEY_B, infoHash: hash(10), peerId: peerId('L1'), ip: '10.1.0.2', event: 'started' }));
    assert.deepEqual([leecher.complete, leecher.incomplete], [1, 1]);
    assert.deepEqual(addresses(leecher.compact4!), ['10.1.0.1:6881']);
    const again = await a.core.announce(req({ passkey: PASSKEY_A, infoHash: hash(10), peerId: peerId('S1'), left: 0n, ip: '10.1.0.1' }));
    assert.equal(again.warning, 'Announced too soon: wait 300 s between announces', 'min interval is kept in the store, whichever process answers');
    clock.advance(30 * MIN);
    const later = await a.core.announce(req({ passkey: PASSKEY_A, infoHash: hash(10), peerId: peerId('S1'), left: 0n, ip: '10.1.0.1' }));
    assert.deepEqual(addresses(later.compact4!), ['10.1.0.2:6881'], 'a seeder is given the leecher another process listed');
  });

  it('gives the listed peers\' own peer ids to an announce that asks for the dictionary form (BEP 3)', async () => {
    clock.advance(30 * MIN);
    const reply = await b.core.announce(req({ passkey: PASSKEY_B, infoHash: hash(10), peerId: peerId('L1'), ip: '10.1.0.2', withPeerIds: true }));
    assert.deepEqual(reply.peers4.map((p) => [p.peerId.toString('latin1'), `${p.ip}:${p.port}`]), [[peerId('S1').toString('latin1'), '10.1.0.1:6881']]);
  });

  it('scrapes the counts the store keeps, and omits unknown hashes', async () => {
    const entries = await b.core.scrape(PASSKEY_B, [hash(10), hash(99)]);
    assert.deepEqual(entries.map((e) => [e.complete, e.incomplete]), [[1, 1]]);
  });

  it('refuses in the checklist with the engine\'s reasons, at once (no store call)', () => {
    const { engine, catalog } = makeEngine();
    catalog.setUser({ id: 5, passkey: 'e'.repeat(32), enabled: false, canLeech: true });
    a.catalog.setUser({ id: 5, passkey: 'e'.repeat(32), enabled: false, canLeech: true });
    catalog.setRelease({ id: 30, infoHashV1: hash(30), infoHashV2Short: null, freeleech: 'normal', deletedReason: 'Dupe' });
    a.catalog.setRelease({ id: 30, infoHashV1: hash(30), infoHashV2Short: null, freeleech: 'normal', deletedReason: 'Dupe' });
    const cases: Partial<AnnounceRequest>[] = [
      { passkey: 'nope' },
      { passkey: 'f'.repeat(32) },
      { passkey: 'e'.repeat(32) },
      { infoHash: hash(99) },
      { infoHash: hash(30) },
      { peerId: Buffer.from('-XL0012-abcdefghijkl') },
      { port: 0 },
    ];
    for (const overrides of cases) {
      const expected = refusalOf(() => engine.announce(req(overrides)));
      const got = refusalOf(() => a.core.announce(req(overrides)));
      assert.deepEqual(got, expected, JSON.stringify(overrides));
    }
  });

  it('refuses a leech without right after the store credited it, in the member\'s language', async () => {
    const refusal = await a.core.announce(req({ passkey: 'd'.repeat(32), infoHash: hash(11), peerId: peerId('R1') })).then(
      () => null,
      (error: unknown) => error,
    );
    assert.ok(refusal instanceof TrackerError);
    assert.equal(refusal.code, 'leechForbidden');
    assert.equal(refusal.locale, 'ru');
    assert.notEqual(a.core.reasonText(refusal), refusal.message, 'read in Russian');
    const seeding = await a.core.announce(req({ passkey: PASSKEY_C, infoHash: hash(11), peerId: peerId('R2'), left: 0n }));
    assert.equal(seeding.complete, 1, 'a member without leech right may seed');
  });

  it('refuses a peer past the per-release cap with the engine\'s code', async () => {
    // each process has its own policy (the settings): the announcing one's cap applies
    await a.core.announce(req({ infoHash: hash(12), peerId: peerId('C1') }));
    b.core.policy.maxPeersPerRelease = 1;
    const refusal = await b.core.announce(req({ infoHash: hash(12), peerId: peerId('C2') })).then(
      () => null,
      (error: unknown) => error,
    );
    assert.ok(refusal instanceof TrackerError);
    assert.equal(refusal.code, 'tooManyOnRelease');
    assert.equal(refusal.message, 'Too many peers on this torrent for your account (limit 1): stop the client elsewhere or wait for it to time out');
  });

  it('refuses a peer past the per-member cap, counted across processes and swarms, with the engine\'s reason', async () => {
    const passkey = '6'.repeat(32);
    for (const p of [a, b]) p.catalog.setUser({ id: 6, passkey, enabled: true, canLeech: true });
    const roomy = a.core.policy.maxPeersPerMember;
    a.core.policy.maxPeersPerMember = 2;
    b.core.policy.maxPeersPerMember = 2;
    try {
      await a.core.announce(req({ passkey, infoHash: hash(10), peerId: peerId('M1') }));
      await b.core.announce(req({ passkey, infoHash: hash(11), peerId: peerId('M2') }));
      const refusal = await a.core.announce(req({ passkey, infoHash: hash(12), peerId: peerId('M3') })).then(
        () => null,
        (error: unknown) => error,
      );
      assert.ok(refusal instanceof TrackerError);
      assert.equal(refusal.code, 'tooManyPeers');
      assert.equal(refusal.message, 'Too many peers for your account (limit 2): stop some torrents or clients, or wait for them to time out');
    } finally {
      a.core.policy.maxPeersPerMember = roomy;
      b.core.policy.maxPeersPerMember = roomy;
    }
  });

  it('refuses leeching past the class download slots across processes, with the engine\'s reason', async () => {
    const passkey = '7'.repeat(32);
    const perks = { freeleechUntil: 0, doubleUploadUntil: 0, tokens: new Map<number, number>(), userClass: 'Slotted' };
    for (const p of [a, b]) {
      p.catalog.setUser({ id: 7, passkey, enabled: true, canLeech: true, locale: 'en', perks });
      p.core.policy.downloadSlots = { ...p.core.policy.downloadSlots, Slotted: 1 };
    }
    await a.core.announce(req({ passkey, infoHash: hash(10), peerId: peerId('D1'), event: 'started' }));
    const refusal = await b.core.announce(req({ passkey, infoHash: hash(11), peerId: peerId('D2'), event: 'started' })).then(
      () => null,
      (error: unknown) => error,
    );
    assert.ok(refusal instanceof TrackerError);
    assert.equal(refusal.message, 'Download slots full: your class may leech 1 torrent at once; finish or stop one first');
    await b.core.announce(req({ passkey, infoHash: hash(11), peerId: peerId('D3'), left: 0n, event: 'started' })); // seeding takes no slot: not refused
  });

  it('answers HTTP announces and scrapes with a promise of the bencoded reply', async () => {
    const query = `info_hash=${escape(hash(13))}&peer_id=${escape(peerId('H1'))}&port=7000&uploaded=0&downloaded=0&left=5&compact=1&event=started`;
    const body = handleAnnounce(b.core, PASSKEY_A, query, '10.2.0.1', 'spec/1.0');
    assert.ok(body instanceof Promise);
    const dict = decodeBencode(await body) as Dict;
    assert.equal(dict.incomplete, 1);
    const refused = decodeBencode(await handleAnnounce(b.core, 'f'.repeat(32), query, '10.2.0.1', 'spec/1.0')) as Dict;
    assert.equal(Buffer.from(refused['failure reason'] as Uint8Array).toString(), 'Invalid passkey: download the .torrent again');
    const scraped = decodeBencode(await handleScrape(a.core, PASSKEY_A, `info_hash=${escape(hash(13))}`)) as { files: Record<string, Dict> };
    assert.deepEqual(Object.values(scraped.files).map((f) => f.incomplete), [1]);
  });

  it('keeps the memory engine\'s HTTP path synchronous', () => {
    const { engine } = makeEngine();
    const query = `info_hash=${escape(hash(10))}&peer_id=${escape(peerId('M1'))}&port=7000&uploaded=0&downloaded=0&left=5&compact=1`;
    assert.ok(Buffer.isBuffer(handleAnnounce(engine, PASSKEY_A, query, '10.2.0.1', 'spec/1.0')));
  });

  it('sends UDP announce and scrape replies once the store answered', async () => {
    const handle = createPacketHandler(a.core, { secret: SECRET, clock });
    const rinfo = { address: '10.3.0.1', port: 5000, family: 'IPv4' };
    const connection = handle(connectPacket(), rinfo)!.subarray(8, 16);
    const sent: Promise<Buffer>[] = [];
    const later = (reply: Promise<Buffer>): void => void sent.push(reply);
    assert.equal(handle(announcePacket({ connectionId: connection, infoHash: hash(20), options: passkeyOption(PASSKEY_A) }), rinfo, later), null);
    const announced = await sent[0];
    assert.equal(announced.readUInt32BE(0), 1, 'an announce reply');
    assert.deepEqual([announced.readUInt32BE(12), announced.readUInt32BE(16)], [1, 0], 'leechers and seeders, the requester counted');
    assert.equal(handle(announcePacket({ connectionId: connection, infoHash: hash(99), options: passkeyOption(PASSKEY_A) }), rinfo, later)!.readUInt32BE(0), 3, 'a checklist refusal goes at once');
    assert.equal(handle(scrapePacket(connection, [hash(20)], passkeyOption(PASSKEY_A)), rinfo, later), null);
    const scraped = await sent[1];
    assert.equal(scraped.readUInt32BE(0), 2);
    assert.equal(scraped.readUInt32BE(16), 1, 'one leecher');
    const refused = handle(announcePacket({ connectionId: connection, infoHash: hash(11), options: passkeyOption('d'.repeat(32)) }), rinfo, later);
    assert.equal(refused, null);
    assert.notEqual(errorText(await sent[2]), 'Access denied, leeching forbidden', 'the member reads it in Russian');
  });
});

describe('credit multipliers of the shared mode', () => {
  it('credit what the memory engine credits for every release mode, site switch and perk', () => {
    const now = Date.now();
    const perkSets = [undefined, { freeleechUntil: now + 60 * MIN, doubleUploadUntil: 0, tokens: new Map(), userClass: 'user' }, { freeleechUntil: 0, doubleUploadUntil: now + 60 * MIN, tokens: new Map(), userClass: 'user' }];
    for (const siteFreeleech of [false, true]) {
      for (const perks of perkSets) {
        for (const releaseId of [10, 11, 12, 13]) {
          const { engine, catalog, policy, clock } = makeEngine();
          clock.set(now);
          policy.siteFreeleech = siteFreeleech;
          catalog.setUser({ id: 1, passkey: PASSKEY_A, enabled: true, canLeech: true, perks });
          engine.announce(req({ infoHash: hash(releaseId), key: 'k' }));
          clock.advance(30 * MIN);
          engine.announce(req({ infoHash: hash(releaseId), key: 'k', uploaded: 1000n, downloaded: 100n }));
          const credited = traffic(drain(engine));
          const { up, down } = multipliers(policy, catalog.releaseById(releaseId)!, perks, clock.now());
          assert.deepEqual([BigInt(up) * 1000n, BigInt(down) * 100n], [credited.up, credited.down], `release ${releaseId}, site ${siteFreeleech}, perks ${JSON.stringify(perks)}`);
        }
      }
    }
  });
});

function refusalOf(run: () => AnnounceResult | Promise<AnnounceResult>): { code: string | undefined; message: string } | null {
  try {
    run();
    return null;
  } catch (error) {
    assert.ok(error instanceof TrackerError);
    return { code: error.code, message: error.message };
  }
}

function escape(bytes: Buffer): string {
  return [...bytes].map((byte) => '%' + byte.toString(16).padStart(2, '0')).join('');
}
