// The HTTP tracker (BEP 3, 7, 23, 48; docs/protocol.md) through the real app (app.inject and one real socket), then exact
// totals in the database after a flush.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeClock } from '../../src/clock.js';
import { decodeBencode } from '../../src/tracker/http/bencode.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { pct, seedRelease, seedUser, userTotals, type SeededRelease, type SeededUser } from './fixtures/seed.js';
import { text } from '../helpers/text.js';

type Dict = Record<string, unknown>;
const MIN = 60_000;
const u8 = (v: unknown): Buffer => Buffer.from(v as Uint8Array);

let t: TestApp;
const clock = new FakeClock();
let alice: SeededUser;
let bob: SeededUser;
let carol: SeededUser; // no leech right
let normal: SeededRelease;

function peerIdOf(label: string): Buffer {
  return Buffer.from(`-qB4520-${label}`.padEnd(20, '_').slice(0, 20), 'latin1');
}

interface AnnounceOptions {
  /** the whole query string, instead of one built from the fields */
  queryOverride?: string;
  passkey?: string;
  hash?: Buffer;
  peer?: Buffer;
  port?: number;
  uploaded?: string;
  downloaded?: string;
  left?: string;
  event?: string;
  extra?: string;
  remoteAddress?: string;
  headers?: Record<string, string>;
  path?: 'a' | 'b';
}

function query(o: AnnounceOptions): string {
  const parts = [
    `info_hash=${pct(o.hash ?? normal.v1!)}`,
    `peer_id=${pct(o.peer ?? peerIdOf('A'))}`,
    `port=${o.port ?? 6881}`,
    `uploaded=${o.uploaded ?? '0'}`,
    `downloaded=${o.downloaded ?? '0'}`,
    `left=${o.left ?? '1000'}`,
  ];
  if (o.event !== undefined) parts.push(`event=${o.event}`);
  if (o.extra) parts.push(o.extra);
  return parts.join('&');
}

async function get(url: string, remoteAddress = '10.0.0.1', headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: Dict; raw: Buffer }> {
  const res = await t.app.inject({ method: 'GET', url, remoteAddress, headers });
  return { status: res.statusCode, type: String(res.headers['content-type']), body: decodeBencode(res.rawPayload) as Dict, raw: res.rawPayload };
}

async function announce(o: AnnounceOptions = {}): Promise<Dict> {
  const passkey = o.passkey ?? alice.passkey;
  const path = o.path === 'b' ? `/announce/${passkey}` : `/${passkey}/announce`;
  const res = await get(`${path}?${o.queryOverride ?? query(o)}`, o.remoteAddress, o.headers);
  assert.equal(res.status, 200);
  return res.body;
}

function failure(body: Dict): string | undefined {
  return body['failure reason'] === undefined ? undefined : text(body['failure reason']);
}

before(async () => {
  t = await buildTestApp({ clock, config: { trustedProxies: ['127.0.0.1'] } });
  // swarms are built from one member's many peer_ids here: past the default peer caps
  t.app.tracker.setPolicy({ maxPeersPerRelease: 1000 });
  const catalog = t.app.tracker.catalog;
  alice = await seedUser(t.db.sql, catalog);
  bob = await seedUser(t.db.sql, catalog);
  carol = await seedUser(t.db.sql, catalog, { canLeech: false });
  normal = await seedRelease(t.db.sql, catalog);
});

after(async () => {
  await t.close();
});

describe('announce and scrape paths (BEP 48)', () => {
  it('serves /<passkey>/announce and /announce/<passkey>', async () => {
    const release = await seedRelease(t.db.sql, t.app.tracker.catalog);
    assert.equal(failure(await announce({ hash: release.v1!, event: 'started' })), undefined);
    assert.equal(failure(await announce({ hash: release.v1!, path: 'b', peer: peerIdOf('B') , event: 'started'})), undefined);
  });

  it('serves /<passkey>/scrape and /scrape/<passkey>', async () => {
    for (const url of [`/${alice.passkey}/scrape?info_hash=${pct(normal.v1!)}`, `/scrape/${alice.passkey}?info_hash=${pct(normal.v1!)}`]) {
      const res = await get(url);
      assert.ok(res.body.files instanceof Object, url);
    }
  });

  it('fails a wrong, malformed or missing passkey with a bencoded reason', async () => {
    assert.match(failure(await announce({ passkey: 'f'.repeat(32) })) ?? '', /Invalid passkey/);
    assert.match(failure(await announce({ passkey: 'xyz' })) ?? '', /Invalid passkey/);
    assert.match(failure((await get(`/announce?${query({})}`)).body) ?? '', /Missing passkey/);
  });

  it('accepts an upper-case passkey', async () => {
    assert.equal(failure(await announce({ passkey: alice.passkey.toUpperCase(), peer: peerIdOf('UPPER'), event: 'started' })), undefined);
  });
});

describe('binary-safe info_hash and peer_id', () => {
  it('accepts every byte 0x00-0xFF, upper/lower hex and unescaped unreserved bytes', async () => {
    const catalog = t.app.tracker.catalog;
    for (let start = 0; start < 256; start += 20) {
      const bytes = Buffer.from(Array.from({ length: 20 }, (_, i) => (start + i) % 256));
      catalog.setRelease({ id: 900_000 + start, infoHashV1: bytes, infoHashV2Short: null, freeleech: 'normal', deletedReason: null });
      // mix: lower-case escapes, upper-case escapes, unreserved ASCII left raw
      let encoded = '';
      for (const b of bytes) {
        const raw = String.fromCharCode(b);
        if (/[A-Za-z0-9.\-_~]/.test(raw)) encoded += raw;
        else encoded += '%' + b.toString(16).padStart(2, '0')[b % 2 ? 'toUpperCase' : 'toLowerCase']();
      }
      const body = await announce({ queryOverride: `info_hash=${encoded}&peer_id=${pct(peerIdOf('BYTES'))}&port=1&uploaded=0&downloaded=0&left=0` });
      assert.equal(failure(body), undefined, `bytes from ${start}`);
    }
  });

  it('decodes %2B as 0x2B and + as a space', async () => {
    const catalog = t.app.tracker.catalog;
    const bytes = Buffer.alloc(20, 0x2b);
    bytes[0] = 0x20;
    catalog.setRelease({ id: 900_999, infoHashV1: bytes, infoHashV2Short: null, freeleech: 'normal', deletedReason: null });
    const body = await announce({ queryOverride: `info_hash=+${'%2B'.repeat(19)}&peer_id=${pct(peerIdOf('PLUS'))}&port=1&uploaded=0&downloaded=0&left=0` });
    assert.equal(failure(body), undefined);
  });

  it('fails 19 and 21 byte hashes and peer ids, and broken escapes', async () => {
    assert.match(failure(await announce({ hash: Buffer.alloc(19, 1) })) ?? '', /info_hash/);
    assert.match(failure(await announce({ hash: Buffer.alloc(21, 1) })) ?? '', /info_hash/);
    assert.match(failure(await announce({ peer: Buffer.alloc(19, 1) })) ?? '', /peer_id/);
    assert.match(failure(await announce({ peer: Buffer.alloc(21, 1) })) ?? '', /peer_id/);
    assert.match(failure(await announce({ queryOverride: query({}).replace('info_hash=%', 'info_hash=%G') })) ?? '', /info_hash/);
  });
});

describe('port and transfer counters', () => {
  it('fails a missing, zero or too large port', async () => {
    assert.match(failure(await announce({ queryOverride: query({}).replace('port=6881&', '') })) ?? '', /port/);
    assert.match(failure(await announce({ port: 0 })) ?? '', /port/);
    assert.match(failure(await announce({ port: 65536 })) ?? '', /port/);
  });

  it('fails missing, negative, non-numeric and over 2^63-1 counters', async () => {
    assert.match(failure(await announce({ queryOverride: query({}).replace('uploaded=0&', '') })) ?? '', /uploaded/);
    assert.match(failure(await announce({ uploaded: '-1' })) ?? '', /uploaded/);
    assert.match(failure(await announce({ downloaded: '12abc' })) ?? '', /downloaded/);
    assert.match(failure(await announce({ left: '9223372036854775808' })) ?? '', /left/);
    assert.equal(failure(await announce({ left: '9223372036854775807', peer: peerIdOf('MAXLEFT'), event: 'started' })), undefined);
  });
});

describe('events (BEP 3, BEP 21)', () => {
  it('accepts started, completed, stopped, paused, empty and absent', async () => {
    for (const event of ['started', '', 'empty', 'paused', 'completed', 'stopped', undefined]) {
      assert.equal(failure(await announce({ event, peer: peerIdOf('EV'), left: event === 'completed' ? '0' : '5' })), undefined, String(event));
    }
  });

  it('fails any other event', async () => {
    assert.match(failure(await announce({ event: 'finished' })) ?? '', /event/);
  });
});

describe('announce replies', () => {
  it('answers failures and successes with HTTP 200 text/plain bencoded dicts', async () => {
    const bad = await get(`/${alice.passkey}/announce?info_hash=1`);
    assert.equal(bad.status, 200);
    assert.equal(bad.type, 'text/plain');
    const good = await get(`/${alice.passkey}/announce?${query({ peer: peerIdOf('H5'), event: 'started' })}`);
    assert.equal(good.status, 200);
    assert.equal(good.type, 'text/plain');
    assert.equal(typeof good.body.interval, 'number');
  });

  it('always sends interval, min interval and peers, even for an empty swarm', async () => {
    const release = await seedRelease(t.db.sql, t.app.tracker.catalog);
    const body = await announce({ hash: release.v1!, event: 'started' });
    assert.ok((body.interval as number) >= 1620 && (body.interval as number) <= 1980);
    assert.equal(body['min interval'], 300);
    assert.equal(u8(body.peers).length, 0);
  });

  it('reports complete and incomplete after start, complete and stop', async () => {
    const release = await seedRelease(t.db.sql, t.app.tracker.catalog);
    let body = await announce({ hash: release.v1!, event: 'started' });
    assert.deepEqual([body.complete, body.incomplete], [0, 1]);
    body = await announce({ hash: release.v1!, event: 'completed', left: '0' });
    assert.deepEqual([body.complete, body.incomplete], [1, 0]);
    body = await announce({ hash: release.v1!, event: 'stopped', left: '0' });
    assert.deepEqual([body.complete, body.incomplete], [0, 0]);
  });
});

describe('peer lists (BEP 7, BEP 23)', () => {
  it('gives compact peers by default, dicts with compact=0, and honours no_peer_id', async () => {
    const release = await seedRelease(t.db.sql, t.app.tracker.catalog);
    await announce({ passkey: bob.passkey, hash: release.v1!, peer: peerIdOf('BOB'), event: 'started', remoteAddress: '10.0.0.2', port: 5555 });
    const compact = await announce({ hash: release.v1!, event: 'started' });
    assert.deepEqual([...u8(compact.peers)], [10, 0, 0, 2, 0x15, 0xb3]);
    clock.advance(10 * MIN);
    const list = await announce({ hash: release.v1!, extra: 'compact=0' });
    const entries = list.peers as Dict[];
    assert.equal(entries.length, 1);
    assert.equal(text(entries[0].ip), '10.0.0.2');
    assert.equal(entries[0].port, 5555);
    assert.deepEqual(u8(entries[0]['peer id']), peerIdOf('BOB'));
    clock.advance(10 * MIN);
    const noId = await announce({ hash: release.v1!, extra: 'compact=0&no_peer_id=1' });
    assert.equal((noId.peers as Dict[])[0]['peer id'], undefined);
  });

  it('lets a v4 and a v6 client see each other, with ::ffff: mapped addresses as IPv4', async () => {
    const release = await seedRelease(t.db.sql, t.app.tracker.catalog);
    await announce({ passkey: bob.passkey, hash: release.v1!, peer: peerIdOf('V6'), event: 'started', remoteAddress: '2001:db8::5', port: 7000 });
    const v4 = await announce({ hash: release.v1!, event: 'started', remoteAddress: '::ffff:10.0.0.9', port: 7001 });
    assert.equal(u8(v4.peers6).length, 18);
    assert.equal(u8(v4.peers6).readUInt16BE(16), 7000);
    clock.advance(10 * MIN);
    const v6 = await announce({ passkey: bob.passkey, hash: release.v1!, peer: peerIdOf('V6'), remoteAddress: '2001:db8::5', port: 7000 });
    assert.deepEqual([...u8(v6.peers)], [10, 0, 0, 9, 0x1b, 0x59]);
  });

  it('ignores ip= and a forged first X-Forwarded-For hop', async () => {
    const release = await seedRelease(t.db.sql, t.app.tracker.catalog);
    await announce({ hash: release.v1!, event: 'started', extra: 'ip=1.2.3.4&ipv4=1.2.3.4', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '6.6.6.6, 10.7.7.7' } });
    const other = await announce({ passkey: bob.passkey, hash: release.v1!, peer: peerIdOf('XFF'), event: 'started', remoteAddress: '10.0.0.3' });
    assert.deepEqual([...u8(other.peers).subarray(0, 4)], [10, 7, 7, 7]);
  });
});

describe('numwant', () => {
  it('honours numwant with a cap, numwant=0 and stopped give no peers, never the requester', async () => {
    const release = await seedRelease(t.db.sql, t.app.tracker.catalog);
    for (let i = 0; i < 120; i++) {
      await announce({ passkey: bob.passkey, hash: release.v1!, peer: peerIdOf(`N${i}`), event: 'started', remoteAddress: `10.3.${i}.1` });
    }
    assert.equal(u8((await announce({ hash: release.v1!, event: 'started', extra: 'numwant=7' })).peers).length, 42);
    assert.equal(u8((await announce({ hash: release.v1!, event: 'started' })).peers).length, 300);
    assert.equal(u8((await announce({ hash: release.v1!, event: 'started', extra: 'numwant=500' })).peers).length, 600);
    assert.equal(u8((await announce({ hash: release.v1!, event: 'started', extra: 'numwant=0' })).peers).length, 0);
    assert.equal(u8((await announce({ hash: release.v1!, event: 'stopped' })).peers).length, 0);
  });
});

describe('min interval', () => {
  it('answers an early re-announce with a warning and no peers, still credited', async () => {
    const release = await seedRelease(t.db.sql, t.app.tracker.catalog);
    const user = await seedUser(t.db.sql, t.app.tracker.catalog);
    await announce({ passkey: bob.passkey, hash: release.v1!, peer: peerIdOf('MIN'), event: 'started', left: '0' });
    await announce({ passkey: user.passkey, hash: release.v1!, event: 'started' });
    clock.advance(MIN);
    const early = await announce({ passkey: user.passkey, hash: release.v1!, uploaded: '777' });
    assert.match(text(early['warning message']), /too soon/);
    assert.equal(u8(early.peers).length, 0);
    assert.equal(early.complete, 1);
    await t.app.tracker.flush();
    assert.equal((await userTotals(t.db.sql, user.id)).uploaded, 777n);
  });
});

describe('failure replies', () => {
  it('says Unregistered torrent, with the deletion reason, and carries a retry interval', async () => {
    const unknown = await announce({ hash: Buffer.alloc(20, 0xee) });
    assert.equal(failure(unknown), 'Unregistered torrent');
    assert.equal(typeof unknown.interval, 'number');
    assert.equal(typeof unknown['min interval'], 'number');
    const release = await seedRelease(t.db.sql, t.app.tracker.catalog);
    t.app.tracker.catalog.setRelease({ id: release.id, infoHashV1: release.v1, infoHashV2Short: null, freeleech: 'normal', deletedReason: 'Nuked: bad encode' });
    assert.equal(failure(await announce({ hash: release.v1! })), 'Unregistered torrent: Nuked: bad encode');
  });

  it('refuses leeching without the right, but credits the upload', async () => {
    const release = await seedRelease(t.db.sql, t.app.tracker.catalog);
    assert.equal(failure(await announce({ passkey: carol.passkey, hash: release.v1!, event: 'started' })), 'Access denied, leeching forbidden');
    clock.advance(30 * MIN);
    await announce({ passkey: carol.passkey, hash: release.v1!, uploaded: '4096' });
    await t.app.tracker.flush();
    assert.equal((await userTotals(t.db.sql, carol.id)).uploaded, 4096n);
  });
});

describe('the client key', () => {
  it('treats key as opaque: the path passkey decides', async () => {
    const release = await seedRelease(t.db.sql, t.app.tracker.catalog);
    const body = await announce({ passkey: bob.passkey, hash: release.v1!, event: 'started', extra: `key=${alice.passkey}` });
    assert.equal(failure(body), undefined);
    const rows = await flushAndPeers(release.id);
    assert.deepEqual(rows.map((r) => [r.user_id, r.key]), [[bob.id, alice.passkey]]);
  });
});

async function flushAndPeers(releaseId: number): Promise<Dict[]> {
  await t.app.tracker.flush();
  return t.db.sql.query<Dict>('SELECT * FROM peers WHERE release_id = $1 ORDER BY user_id', [releaseId]);
}

describe('exact totals', () => {
  it('credits deltas only: client restart, counter reset, 2^53+1 and modes, exactly in the database', async () => {
    const user = await seedUser(t.db.sql, t.app.tracker.catalog);
    const plain = await seedRelease(t.db.sql, t.app.tracker.catalog);
    const double = await seedRelease(t.db.sql, t.app.tracker.catalog, { freeleech: 'double_upload' });
    const free = await seedRelease(t.db.sql, t.app.tracker.catalog, { freeleech: 'freeleech' });
    const p = user.passkey;
    const big = 2n ** 53n + 1n;
    await announce({ passkey: p, hash: plain.v1!, event: 'started' });
    await announce({ passkey: p, hash: double.v1!, event: 'started' });
    await announce({ passkey: p, hash: free.v1!, event: 'started' });
    clock.advance(30 * MIN);
    await announce({ passkey: p, hash: plain.v1!, uploaded: String(big), downloaded: '100' });
    await announce({ passkey: p, hash: double.v1!, uploaded: '1000', downloaded: '10' });
    await announce({ passkey: p, hash: free.v1!, uploaded: '50', downloaded: '5000', left: '0', event: 'completed' });
    clock.advance(30 * MIN);
    // client restart on plain: counters back to 0 with started, then grow again
    await announce({ passkey: p, hash: plain.v1!, event: 'started' });
    clock.advance(30 * MIN);
    await announce({ passkey: p, hash: plain.v1!, uploaded: '10', downloaded: '1' });
    // the seeder re-announces within its interval, else the sweep may expire it (an hour went by)
    await announce({ passkey: p, hash: free.v1!, uploaded: '50', downloaded: '5000', left: '0' });
    await t.app.tracker.flush();
    const totals = await userTotals(t.db.sql, user.id);
    assert.deepEqual(totals, {
      uploaded: big + 10n + 2000n + 50n,
      downloaded: 100n + 1n + 10n,
      uploaded_actual: big + 10n + 1000n + 50n,
      downloaded_actual: 100n + 1n + 10n + 5000n,
    });
    const snatch = await t.db.sql.query('SELECT release_id FROM snatches WHERE user_id = $1', [user.id]);
    assert.deepEqual(snatch.map((r) => r.release_id), [free.id]);
    const rel = await t.db.sql.query<Dict>('SELECT seeders, leechers, snatched FROM releases WHERE id = $1', [free.id]);
    assert.deepEqual(rel[0], { seeders: 1, leechers: 0, snatched: 1 });
    const transfers = await t.db.sql.query<Dict>('SELECT uploaded, uploaded_actual FROM transfers WHERE user_id = $1 AND release_id = $2', [user.id, double.id]);
    assert.deepEqual(transfers.map((r) => [BigInt(r.uploaded as number), BigInt(r.uploaded_actual as number)]), [[2000n, 1000n]]);
    const daily = await t.db.sql.query<Dict>('SELECT sum(uploaded_actual)::text AS up, max(total_uploaded)::text AS total FROM traffic_daily WHERE user_id = $1', [user.id]);
    assert.equal(daily[0].up, String(big + 1060n));
    assert.equal(daily[0].total, String(totals.uploaded));
    const ips = await t.db.sql.query<Dict>(`SELECT ip, source FROM user_ips WHERE user_id = $1`, [user.id]);
    assert.deepEqual(ips, [{ ip: '10.0.0.1', source: 'tracker' }]);
  });
});

describe('scrape (BEP 48)', () => {
  it('answers three hashes with one unknown: files keyed by raw bytes, unknown omitted', async () => {
    const a = await seedRelease(t.db.sql, t.app.tracker.catalog);
    const b = await seedRelease(t.db.sql, t.app.tracker.catalog, { hybrid: true });
    await announce({ hash: a.v1!, event: 'started' });
    await announce({ hash: b.v2!, event: 'started', left: '0' });
    const unknown = Buffer.alloc(20, 0xab);
    const res = await get(`/${alice.passkey}/scrape?info_hash=${pct(a.v1!)}&info_hash=${pct(unknown)}&info_hash=${pct(b.v2!)}&info_hash=${pct(a.v1!)}`);
    const files = res.body.files as Dict;
    assert.equal(Object.keys(files).length, 2);
    // keys are the raw 20 bytes (the decoder turns them into strings, so look at the wire)
    assert.ok(res.raw.includes(Buffer.concat([Buffer.from('20:'), a.v1!])));
    assert.ok(res.raw.includes(Buffer.concat([Buffer.from('20:'), b.v2!])));
    assert.ok(!res.raw.includes(unknown));
    const entries = Object.values(files) as Dict[];
    assert.deepEqual(entries.map((e) => [e.complete, e.incomplete]).sort(), [[0, 1], [1, 0]]);
  });

  it('refuses a full scrape and a bad passkey', async () => {
    assert.match(failure((await get(`/${alice.passkey}/scrape`)).body) ?? '', /Full scrape/);
    assert.match(failure((await get(`/${'0'.repeat(32)}/scrape?info_hash=${pct(normal.v1!)}`)).body) ?? '', /Invalid passkey/);
  });
});

describe('real socket', () => {
  it('answers an announce over a real HTTP connection on port 0', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const body = await new Promise<Buffer>((resolve, reject) => {
      const request = http.get({ host: '127.0.0.1', port, path: `/announce/${alice.passkey}?${query({ peer: peerIdOf('SOCK'), event: 'started' })}`, timeout: 5000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks)));
      });
      request.on('timeout', () => request.destroy(new Error('timeout')));
      request.on('error', reject);
    });
    const dict = decodeBencode(body) as Dict;
    assert.equal(dict['failure reason'], undefined);
    assert.ok(Buffer.isBuffer(u8(dict.peers)));
  });
});
