// The UDP tracker transport on real sockets (127.0.0.1 and ::1, port 0) with a stub core:
// BEP 15 and BEP 41 (docs/protocol.md, "UDP"), the BEP 41 option vectors, connection-id
// expiry on a fake clock, and bittorrent-tracker's Client as an independent client.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { register } from 'node:module';
import { FakeClock } from '../../src/clock.js';
import { hostsFor, literalLookup, startUdpTracker, type UdpTracker } from '../../src/tracker/udp/socket.js';
import { createPacketHandler, MESSAGES, parseScrape } from '../../src/tracker/udp/packet.js';
import { passkeyFromUrl, readUrlData } from '../../src/tracker/udp/options.js';
import { TrackerError } from '../../src/tracker/core/types.js';
import { StubCore } from './udp-stub-core.js';
import {
  announcePacket, connectPacket, errorText, HASH_A, HASH_B, HASH_C, PASSKEY, PEER_ID, passkeyOption, scrapePacket, UdpTestClient, urlData,
} from './udp-client.js';

const SECRET = 'udp-spec-secret';

// bittorrent-tracker's Client, loaded without its WebRTC dependency (see no-webrtc-hooks.mjs)
interface TrackerClient {
  on(event: string, listener: (value: any) => void): void;
  once(event: string, listener: (value: any) => void): void;
  start(): void;
  destroy(): void;
}
async function loadClient(): Promise<new (options: Record<string, unknown>) => TrackerClient> {
  register(new URL('./no-webrtc-hooks.mjs', import.meta.url));
  const moduleName = 'bittorrent-tracker/client';
  return ((await import(moduleName)) as { default: new (options: Record<string, unknown>) => TrackerClient }).default;
}

describe('UDP tracker', () => {
  const core = new StubCore();
  const clock = new FakeClock();
  let tracker: UdpTracker;
  let v4: UdpTestClient;
  let v6: UdpTestClient | null = null;
  let id4: Buffer;

  before(async () => {
    tracker = await startUdpTracker(core, { port: 0, host: '127.0.0.1', secret: SECRET, clock });
    v4 = await UdpTestClient.open({ host: '127.0.0.1', port: tracker.ports.udp4 });
    if (tracker.ports.udp6) v6 = await UdpTestClient.open({ host: '::1', port: tracker.ports.udp6 });
    id4 = await v4.connect();
  });

  after(async () => {
    await v4.close();
    await v6?.close();
    await tracker.close();
  });

  /** connect + announce from the IPv4 client; returns the reply */
  async function announce(fields: Partial<Parameters<typeof announcePacket>[0]> = {}): Promise<Buffer | null> {
    return v4.request(announcePacket({ connectionId: id4, options: passkeyOption(), ...fields }));
  }

  describe('sockets', () => {
    it('binds IPv4 and IPv6 on the same port', () => {
      assert.ok(tracker.ports.udp4 > 0);
      if (tracker.ports.udp6) assert.equal(tracker.ports.udp6, tracker.ports.udp4);
    });

    it('maps the configured host to an IPv4 and an IPv6 address', () => {
      assert.deepEqual(hostsFor('0.0.0.0'), { v4: '0.0.0.0', v6: '::' });
      assert.deepEqual(hostsFor('127.0.0.1'), { v4: '127.0.0.1', v6: '::1' });
      assert.deepEqual(hostsFor('::'), { v4: '0.0.0.0', v6: '::' });
      assert.deepEqual(hostsFor('10.1.2.3'), { v4: '10.1.2.3', v6: null });
      assert.deepEqual(hostsFor('2001:db8::1'), { v4: null, v6: '2001:db8::1' });
    });

    it('keeps IPv4 when IPv6 cannot bind', async (t) => {
      const blocker = dgram.createSocket({ type: 'udp6', ipv6Only: true });
      const bound = await new Promise<boolean>((resolve) => {
        blocker.once('error', () => resolve(false));
        blocker.bind(0, '::1', () => resolve(true));
      });
      if (!bound) return t.skip('no IPv6 loopback');
      const port = blocker.address().port;
      const errors: unknown[] = [];
      const second = await startUdpTracker(core, { port, host: '127.0.0.1', secret: SECRET, onError: (e) => errors.push(e) }).catch(() => null);
      try {
        if (!second) return t.skip(`IPv4 port ${port} is taken too`);
        assert.equal(second.ports.udp4, port);
        assert.equal(second.ports.udp6, 0);
        assert.equal(errors.length, 1);
      } finally {
        await second?.close();
        blocker.close();
      }
    });
  });

  describe('connect', () => {
    it('answers 16 bytes echoing the transaction id', async () => {
      const reply = await v4.request(connectPacket(0xcafebabe));
      assert.ok(reply);
      assert.equal(reply.length, 16);
      assert.equal(reply.readUInt32BE(0), 0);
      assert.equal(reply.readUInt32BE(4), 0xcafebabe);
    });

    it('ignores a connect with the wrong protocol id', async () => {
      const packet = connectPacket();
      packet[7] ^= 1;
      assert.equal(await v4.request(packet, 300), null);
    });

    it('ignores packets shorter than 16 bytes', async () => {
      assert.equal(await v4.request(connectPacket().subarray(0, 15), 300), null);
    });
  });

  describe('connection ids', () => {
    it('refuses a random connection id', async () => {
      const reply = await announce({ connectionId: randomBytes(8) });
      assert.equal(errorText(reply), MESSAGES.badConnectionId);
      assert.ok(reply!.length <= 98);
    });

    it('refuses an id issued to another address', async () => {
      const other = await UdpTestClient.open({ host: '127.0.0.1', port: tracker.ports.udp4 }, '127.0.0.2').catch(() => null);
      if (!other) return; // 127.0.0.2 not routable here; the handler spec below covers it
      try {
        const reply = await other.request(announcePacket({ connectionId: id4, options: passkeyOption() }));
        assert.equal(errorText(reply), MESSAGES.badConnectionId);
      } finally {
        await other.close();
      }
    });

    it('binds the id to the source IP in the packet handler', () => {
      const handle = createPacketHandler(core, { secret: SECRET, clock });
      const id = handle(connectPacket(), { address: '10.0.0.1', port: 1000, family: 'IPv4' })!.subarray(8, 16);
      const packet = announcePacket({ connectionId: id, options: passkeyOption() });
      assert.equal(handle(packet, { address: '10.0.0.1', port: 2000, family: 'IPv4' })!.readUInt32BE(0), 1);
      assert.equal(errorText(handle(packet, { address: '10.0.0.2', port: 1000, family: 'IPv4' })), MESSAGES.badConnectionId);
    });

    it('keeps an id valid for at least two minutes and not past three', async () => {
      clock.set(Date.UTC(2026, 0, 1, 12, 0, 30));
      const id = await v4.connect();
      clock.advance(119_000);
      assert.equal((await announce({ connectionId: id }))!.readUInt32BE(0), 1);
      clock.advance(181_000 - 119_000);
      assert.equal(errorText(await announce({ connectionId: id })), MESSAGES.badConnectionId);
      clock.set(Date.UTC(2026, 0, 1));
      id4 = await v4.connect();
    });

    it('gives different ids to different addresses and secrets', () => {
      const a = createPacketHandler(core, { secret: SECRET, clock });
      const b = createPacketHandler(core, { secret: 'another', clock });
      const rinfo = { address: '10.0.0.1', port: 1, family: 'IPv4' };
      const idOf = (handle: typeof a, address = '10.0.0.1'): string => handle(connectPacket(), { ...rinfo, address })!.toString('hex', 8, 16);
      assert.notEqual(idOf(a), idOf(b));
      assert.notEqual(idOf(a), idOf(a, '10.0.0.2'));
      assert.equal(idOf(a), idOf(a));
    });
  });

  describe('announce', () => {
    it('passes the parsed fields to the core and ignores the IP field', async () => {
      const reply = await announce({ downloaded: 11n, left: 22n, uploaded: 33n, event: 2, ip: 0x01020304, key: 0xabcdef01, numwant: 30, port: 51413 });
      assert.equal(reply!.readUInt32BE(0), 1);
      const request = core.last;
      assert.equal(request.passkey, PASSKEY);
      assert.deepEqual(request.infoHash, HASH_A);
      assert.deepEqual(request.peerId, PEER_ID);
      assert.deepEqual([request.downloaded, request.left, request.uploaded], [11n, 22n, 33n]);
      assert.equal(request.event, 'started');
      assert.equal(request.numwant, 30);
      assert.equal(request.port, 51413);
      assert.equal(request.key, 'ABCDEF01');
      assert.equal(request.ip, '127.0.0.1');
      assert.equal(request.family, 4);
      assert.equal(request.transport, 'udp');
    });

    it('maps events 0-3 and refuses others', async () => {
      const seen: string[] = [];
      for (const event of [0, 1, 2, 3]) {
        await announce({ event });
        seen.push(core.last.event);
      }
      assert.deepEqual(seen, ['', 'completed', 'started', 'stopped']);
      assert.equal(errorText(await announce({ event: 4 })), MESSAGES.badEvent);
    });

    it('treats num_want -1 as the default', async () => {
      await announce({ numwant: -1 });
      assert.equal(core.last.numwant, null);
      await announce({ numwant: 0 });
      assert.equal(core.last.numwant, 0);
    });

    it('answers interval, leechers, seeders and 6-byte peers on IPv4', async () => {
      core.result = StubCore.result({ peers4: [{ peerId: PEER_ID, ip: '10.1.2.3', port: 6881 }, { peerId: PEER_ID, ip: '192.168.0.9', port: 443 }] });
      const reply = (await announce({ tid: 0x55667788 }))!;
      core.result = StubCore.result();
      assert.equal(reply.readUInt32BE(4), 0x55667788);
      assert.equal(reply.readUInt32BE(8), 1800);
      assert.equal(reply.readUInt32BE(12), 5); // leechers
      assert.equal(reply.readUInt32BE(16), 3); // seeders
      assert.equal((reply.length - 20) % 6, 0);
      assert.equal(reply.subarray(20).toString('hex'), '0a0102031ae1' + 'c0a8000901bb');
    });

    it('sends the core\'s compact peers as they are', async () => {
      core.result = StubCore.result({ compact4: Buffer.from('7f0000011ae1', 'hex') });
      const reply = (await announce())!;
      core.result = StubCore.result();
      assert.equal(reply.subarray(20).toString('hex'), '7f0000011ae1');
    });

    it('answers 18-byte peers on IPv6', async (t) => {
      if (!v6) return t.skip('no IPv6 loopback');
      core.result = StubCore.result({
        peers4: [{ peerId: PEER_ID, ip: '10.1.2.3', port: 1 }],
        peers6: [{ peerId: PEER_ID, ip: '2001:db8::1', port: 6881 }, { peerId: PEER_ID, ip: '::ffff:1.2.3.4', port: 2 }],
      });
      const id6 = await v6.connect();
      const reply = (await v6.request(announcePacket({ connectionId: id6, options: passkeyOption() })))!;
      core.result = StubCore.result();
      assert.equal(reply.readUInt32BE(0), 1);
      assert.equal((reply.length - 20) % 18, 0);
      assert.equal(reply.subarray(20).toString('hex'), '20010db8000000000000000000000001' + '1ae1' + '00000000000000000000ffff01020304' + '0002');
      assert.equal(core.last.ip, '::1');
      assert.equal(core.last.family, 6);
    });

    it('refuses an id from IPv4 on the IPv6 socket', async (t) => {
      if (!v6) return t.skip('no IPv6 loopback');
      const reply = await v6.request(announcePacket({ connectionId: id4, options: passkeyOption() }));
      assert.equal(errorText(reply), MESSAGES.badConnectionId);
    });

    it('normalises an IPv4-mapped source to IPv4 and maps IPv4 peers to 18 bytes', () => {
      const handle = createPacketHandler(core, { secret: SECRET, clock });
      const rinfo = { address: '::ffff:192.0.2.7', port: 6000, family: 'IPv6' };
      const id = handle(connectPacket(), rinfo)!.subarray(8, 16);
      core.result = StubCore.result({ peers4: [{ peerId: PEER_ID, ip: '10.0.0.1', port: 80 }] });
      const reply = handle(announcePacket({ connectionId: id, options: passkeyOption() }), rinfo)!;
      core.result = StubCore.result();
      assert.equal(core.last.ip, '192.0.2.7');
      assert.equal(core.last.family, 4);
      assert.equal(reply.subarray(20).toString('hex'), '00000000000000000000ffff0a000001' + '0050');
    });

    it('refuses a packet shorter than 98 bytes', async () => {
      const packet = announcePacket({ connectionId: id4 }).subarray(0, 97);
      assert.equal(errorText(await v4.request(packet)), MESSAGES.shortAnnounce);
    });

    it('refuses port 0 and negative counters', async () => {
      assert.equal(errorText(await announce({ port: 0 })), MESSAGES.badPort);
      assert.equal(errorText(await announce({ uploaded: -1n })), MESSAGES.badCounters);
    });
  });

  describe('BEP 41 options', () => {
    const passkeyOf = async (options: Buffer): Promise<string | null> => {
      const before = core.announces.length;
      const reply = await announce({ options });
      if (core.announces.length === before) return errorText(reply);
      return core.last.passkey;
    };

    it('reads the passkey from a single URLData chunk', async () => {
      assert.equal(await passkeyOf(urlData(`/${PASSKEY}/announce`)), PASSKEY);
    });

    it('reads the passkey from /announce/<passkey>', async () => {
      assert.equal(await passkeyOf(urlData(`/announce/${PASSKEY}`)), PASSKEY);
    });

    it('joins a passkey split over two chunks with NOPs between', async () => {
      const options = Buffer.concat([Buffer.from([1, 1]), urlData(`/${PASSKEY.slice(0, 10)}`), Buffer.from([1]), urlData(`${PASSKEY.slice(10)}/announce?x=1`), Buffer.from([0])]);
      assert.equal(await passkeyOf(options), PASSKEY);
    });

    it('skips options of unknown types', async () => {
      const options = Buffer.concat([Buffer.from([0x7f, 3, 9, 9, 9]), passkeyOption(), Buffer.from([0xff, 0])]);
      assert.equal(await passkeyOf(options), PASSKEY);
    });

    it('stops at 0x00 and ignores the junk after it', async () => {
      const options = Buffer.concat([passkeyOption(), Buffer.from([0]), urlData('/junk'), randomBytes(20)]);
      assert.equal(await passkeyOf(options), PASSKEY);
    });

    it('drops an option whose length runs past the end', async () => {
      const truncated = Buffer.concat([passkeyOption(), Buffer.from([2, 200]), Buffer.from('/more')]);
      assert.equal(await passkeyOf(truncated), PASSKEY);
      const onlyTruncated = Buffer.concat([Buffer.from([2, 60]), Buffer.from(`/${PASSKEY}/announce`)]);
      assert.equal(await passkeyOf(onlyTruncated), MESSAGES.noUrlData);
    });

    it('parses the vectors as pure functions', () => {
      const at = (bytes: number[] | Buffer): string | null => readUrlData(Buffer.concat([Buffer.alloc(3), Buffer.from(bytes)]), 3);
      assert.equal(at([]), null);
      assert.equal(at([0, 0]), null);
      assert.equal(at([2]), null);
      assert.equal(at([2, 3, 0x2f, 0x61]), null);
      assert.equal(at([1, 2, 2, 0x2f, 0x61, 2, 1, 0x62, 0, 2, 1, 0x63]), '/ab');
      assert.equal(passkeyFromUrl(`/${PASSKEY.toUpperCase()}/announce?info=1`), PASSKEY);
      assert.equal(passkeyFromUrl(`/${PASSKEY}x/announce`), null);
      assert.equal(passkeyFromUrl('/announce'), null);
    });
  });

  describe('clients without BEP 41', () => {
    it('tells a client that sends no options to use the HTTP URL', async () => {
      const text = errorText(await v4.request(announcePacket({ connectionId: id4 })));
      assert.equal(text, MESSAGES.noUrlData);
      assert.match(text!, /HTTP announce URL/);
    });

    it("answers aria2's `00 00` the same way", async () => {
      assert.equal(errorText(await announce({ options: Buffer.from([0, 0]) })), MESSAGES.noUrlData);
    });

    it('refuses URL data without a passkey', async () => {
      assert.equal(errorText(await announce({ options: urlData('/announce') })), MESSAGES.noPasskey);
    });
  });

  describe('scrape', () => {
    before(() => {
      core.scrapeEntries = [
        { infoHash: HASH_A, complete: 1, incomplete: 2, downloaded: 3 },
        { infoHash: HASH_B, complete: 4, incomplete: 5, downloaded: 6 },
      ];
    });

    const triples = (reply: Buffer): number[][] => {
      const out: number[][] = [];
      for (let i = 8; i + 12 <= reply.length; i += 12) out.push([reply.readUInt32BE(i), reply.readUInt32BE(i + 4), reply.readUInt32BE(i + 8)]);
      return out;
    };

    it('answers A, B, A with three (seeders, completed, leechers) triples in order', async () => {
      const reply = (await v4.request(scrapePacket(id4, [HASH_A, HASH_B, HASH_A], urlData(`/${PASSKEY}/scrape`), 0x99)))!;
      assert.equal(reply.readUInt32BE(0), 2);
      assert.equal(reply.readUInt32BE(4), 0x99);
      assert.deepEqual(triples(reply), [[1, 3, 2], [4, 6, 5], [1, 3, 2]]);
      assert.equal(core.scrapes.at(-1)!.passkey, PASSKEY);
    });

    it('reports an unknown hash as zeros', async () => {
      const reply = (await v4.request(scrapePacket(id4, [HASH_C, HASH_B], passkeyOption())))!;
      assert.deepEqual(triples(reply), [[0, 0, 0], [4, 6, 5]]);
    });

    it('answers at most 74 hashes', async () => {
      const hashes = Array.from({ length: 80 }, () => HASH_A);
      const reply = (await v4.request(scrapePacket(id4, hashes, passkeyOption())))!;
      assert.equal(triples(reply).length, 74);
    });

    it('finds the passkey options after any number of hashes', () => {
      for (let n = 0; n <= 5; n++) {
        // hashes that look like options: URLData and NOP type bytes
        const hashes = Array.from({ length: n }, (_, i) => Buffer.alloc(20, i % 2 === 0 ? 2 : 1));
        const parsed = parseScrape(scrapePacket(id4, hashes, Buffer.concat([urlData(`/announce/${PASSKEY}`), Buffer.from([0, 9])])));
        assert.equal(parsed.passkey, PASSKEY);
        assert.equal(parsed.hashes.length, n);
      }
      assert.deepEqual(parseScrape(scrapePacket(id4, [HASH_A, HASH_B])), { hashes: [HASH_A, HASH_B], passkey: null });
    });

    it('asks for the HTTP scrape URL when no passkey comes with it', async () => {
      assert.equal(errorText(await v4.request(scrapePacket(id4, [HASH_A]))), MESSAGES.scrapePasskey);
    });
  });

  describe('errors and malformed packets', () => {
    it('sends the TrackerError text as an error packet', async () => {
      core.failure = new TrackerError('Unregistered torrent');
      const reply = await announce({ tid: 0x31323334 });
      core.failure = null;
      assert.equal(reply!.readUInt32BE(4), 0x31323334);
      assert.equal(errorText(reply), 'Unregistered torrent');
    });

    it('cuts a very long error text to fit one datagram', async () => {
      core.failure = new TrackerError(`Unregistered torrent: ${'x'.repeat(5000)}`);
      const reply = await announce();
      core.failure = null;
      assert.equal(reply!.length, 8 + 1024);
      assert.match(errorText(reply)!, /^Unregistered torrent: x+$/);
      core.failure = new TrackerError(`x${'é'.repeat(600)}`); // the cut at 1024 bytes falls inside a character
      const cut = await announce();
      core.failure = null;
      assert.equal(cut!.length, 8 + 1023);
      assert.equal(errorText(cut), `x${'é'.repeat(511)}`);
    });

    it('answers an unexpected core failure with a generic error and reports it', () => {
      const reported: unknown[] = [];
      const handle = createPacketHandler(core, { secret: SECRET, clock, onError: (e) => reported.push(e) });
      const rinfo = { address: '10.0.0.1', port: 1, family: 'IPv4' };
      const id = handle(connectPacket(), rinfo)!.subarray(8, 16);
      core.failure = new Error('bug');
      const reply = handle(announcePacket({ connectionId: id, options: passkeyOption() }), rinfo);
      core.failure = null;
      assert.equal(errorText(reply), MESSAGES.internal);
      assert.equal(reported.length, 1);
    });

    it('drops unknown actions and never answers an unverified packet with more than it sent', () => {
      const handle = createPacketHandler(core, { secret: SECRET, clock });
      const rinfo = { address: '10.0.0.9', port: 1, family: 'IPv4' };
      const unknown = connectPacket();
      unknown.writeUInt32BE(7, 8);
      assert.equal(handle(unknown, rinfo), null);
      const shortScrape = scrapePacket(randomBytes(8), []);
      assert.equal(handle(shortScrape, rinfo), null);
      const badAnnounce = announcePacket({ connectionId: randomBytes(8) });
      assert.ok(handle(badAnnounce, rinfo)!.length <= badAnnounce.length);
    });

    it('keeps serving after malformed packets', async () => {
      for (const size of [0, 1, 8, 17, 50, 97, 99, 2000]) await v4.request(randomBytes(size), 50);
      assert.equal((await announce())!.readUInt32BE(0), 1);
    });
  });

  describe('bittorrent-tracker Client', () => {
    it('sends no BEP 41 options and is told to use the HTTP URL', async () => {
      const Client = await loadClient();
      const client = new Client({
        infoHash: HASH_A.toString('hex'),
        peerId: PEER_ID.toString('hex'),
        announce: [`udp://127.0.0.1:${tracker.ports.udp4}/${PASSKEY}/announce`],
        port: 6881,
      });
      const before = core.announces.length;
      try {
        const warning = new Promise<Error>((resolve, reject) => {
          client.once('warning', resolve);
          client.once('error', reject);
          setTimeout(() => reject(new Error('no answer from the UDP tracker')), 5000).unref();
        });
        client.start();
        const error = await warning;
        assert.match(error.message, /use the HTTP announce URL/);
        assert.equal(core.announces.length, before); // refused before the core
      } finally {
        client.destroy();
      }
    });
  });
});

describe('UDP reply address lookup', () => {
  it('answers an IP literal (every reply goes to rinfo.address) at once, without dns.lookup', () => {
    const seen: [string, number][] = [];
    let sync = true;
    literalLookup('127.0.0.1', 4, (error, address, family) => {
      assert.equal(error, null);
      assert.ok(sync, 'answered synchronously');
      seen.push([address, family]);
    });
    literalLookup('::1', 6, (_error, address, family) => seen.push([address, family]));
    sync = false;
    assert.deepEqual(seen, [['127.0.0.1', 4], ['::1', 6]]);
  });

  it('still resolves a host name through dns.lookup', async () => {
    const [address, family] = await new Promise<[string, number]>((resolve, reject) =>
      literalLookup('localhost', 4, (error, a, f) => (error ? reject(error) : resolve([a, f]))),
    );
    assert.deepEqual([address, family], ['127.0.0.1', 4]);
  });
});
