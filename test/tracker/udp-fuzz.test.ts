// Fuzz for the UDP transport (BEP 15; docs/protocol.md, "UDP"): 120k random and mutated connect, announce and
// scrape packets through the pure packet handler, then 3000 over a real socket. Nothing may
// throw, every reply is a well-formed BEP 15 packet echoing the transaction id, and a packet
// without a valid connection id never gets a reply larger than itself (no amplification).
// A seeded PRNG makes a failure reproducible: the seed is in the assertion message.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/clock.js';
import { startUdpTracker, type UdpTracker } from '../../src/tracker/udp/socket.js';
import { createPacketHandler, type RemoteInfo } from '../../src/tracker/udp/packet.js';
import { TrackerError, type AnnounceRequest, type AnnounceResult } from '../../src/tracker/core/types.js';
import { StubCore } from './udp-stub-core.js';
import { announcePacket, connectPacket, HASH_A, HASH_B, passkeyOption, scrapePacket, UdpTestClient, urlData } from './udp-client.js';
import { prng } from '../helpers/prng.js';

const SECRET = 'fuzz-secret';
const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);
/** the largest reply seedkeep may send to anyone: one 1500-byte-MTU datagram */
const MAX_REPLY = 1452;

/** A core that answers with many peers, few peers or a refusal, at random. */
class FuzzCore extends StubCore {
  private readonly random: () => number;

  constructor(random: () => number) {
    super();
    this.random = random;
  }
  override announce(request: AnnounceRequest): AnnounceResult {
    const roll = this.random();
    if (roll < 0.1) throw new TrackerError('Unregistered torrent');
    const count = Math.floor(this.random() * 400); // beyond what fits a datagram
    const peers4 = Array.from({ length: count }, (_, i) => ({ peerId: request.peerId, ip: `10.0.${i >> 8}.${i & 0xff}`, port: 1 + i }));
    const peers6 = Array.from({ length: count >> 1 }, (_, i) => ({ peerId: request.peerId, ip: `2001:db8::${i.toString(16)}`, port: 1 + i }));
    return StubCore.result({ peers4, peers6, complete: Math.floor(this.random() * 1e10), incomplete: -5 });
  }
  override scrape(_passkey: string, infoHashes: Buffer[]) {
    return infoHashes.map((infoHash) => ({ infoHash, complete: 1, incomplete: 2, downloaded: 3 }));
  }
}

function makeMutator(random: () => number) {
  const int = (n: number): number => Math.floor(random() * n);
  const bytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => int(256)));
  return function mutate(base: Buffer): Buffer {
    let packet = Buffer.from(base);
    const kind = int(6);
    if (kind === 0) return bytes(int(200));
    if (kind === 1) packet = packet.subarray(0, int(packet.length + 1));
    if (kind === 2) packet = Buffer.concat([packet, bytes(int(300))]);
    if (kind === 3) packet = Buffer.concat([packet, Buffer.from([int(4), int(256)]), bytes(int(40))]);
    const flips = kind >= 4 ? 1 + int(6) : int(2);
    for (let i = 0; i < flips && packet.length > 0; i++) packet[int(packet.length)] = int(256);
    return packet;
  };
}

interface Bases {
  packets: Buffer[];
  validId: Buffer;
}

function basesFor(id: Buffer): Bases {
  const packets = [
    connectPacket(),
    announcePacket({ connectionId: id, options: passkeyOption() }),
    announcePacket({ connectionId: id, options: Buffer.from([0, 0]) }),
    announcePacket({ connectionId: id, options: Buffer.concat([Buffer.from([1]), urlData('/0123456789abcdef', '0123456789abcdef/announce')]) }),
    scrapePacket(id, [HASH_A, HASH_B, HASH_A], passkeyOption()),
    scrapePacket(id, Array.from({ length: 74 }, () => HASH_B), passkeyOption()),
  ];
  return { packets, validId: id };
}

/** The checks every reply must pass; returns a reason or null. */
function badReply(packet: Buffer, reply: Buffer | null, verified: boolean): string | null {
  if (reply === null) return null;
  if (reply.length < 8) return `reply of ${reply.length} bytes`;
  const action = reply.readUInt32BE(0);
  if (action > 3) return `action ${action}`;
  if (packet.length < 16 || !reply.subarray(4, 8).equals(packet.subarray(12, 16))) return 'transaction id not echoed';
  if (action === 0 && reply.length !== 16) return 'connect reply not 16 bytes';
  if (!verified && action !== 0 && reply.length > packet.length) return `amplified ${packet.length} -> ${reply.length}`;
  if (reply.length > MAX_REPLY) return `reply of ${reply.length} bytes`;
  if (action === 1 && (reply.length - 20) % 6 !== 0) return 'peers not 6-byte entries';
  if (action === 2 && (reply.length - 8) % 12 !== 0) return 'scrape reply not triples';
  return null;
}

describe('UDP packet fuzz', () => {
  it('survives 120k random and mutated packets with bounded, well-formed replies', () => {
    const random = prng(SEED);
    const core = new FuzzCore(random);
    const handle = createPacketHandler(core, { secret: SECRET, clock: new FakeClock(), onError: (e) => assert.fail(`core failure leaked: ${String(e)}`) });
    const rinfo4: RemoteInfo = { address: '192.0.2.1', port: 6881, family: 'IPv4' };
    const rinfo6: RemoteInfo = { address: '2001:db8::7', port: 6881, family: 'IPv6' };
    const mutate = makeMutator(random);
    const bases4 = basesFor(handle(connectPacket(), rinfo4)!.subarray(8, 16));
    const bases6 = basesFor(handle(connectPacket(), rinfo6)!.subarray(8, 16));
    const answered = new Map<number, number>();
    for (let i = 0; i < 120_000; i++) {
      const v6 = i % 4 === 0;
      const { packets, validId } = v6 ? bases6 : bases4;
      const packet = mutate(packets[i % packets.length]);
      const reply = handle(packet, v6 ? rinfo6 : rinfo4);
      const verified = packet.length >= 8 && packet.subarray(0, 8).equals(validId);
      const problem = badReply(packet, reply, verified);
      assert.equal(problem, null, `seed ${SEED}, packet ${i}: ${packet.toString('hex')}`);
      if (v6 && reply && reply.readUInt32BE(0) === 1) assert.equal((reply.length - 20) % 18, 0);
      if (reply) answered.set(reply.readUInt32BE(0), (answered.get(reply.readUInt32BE(0)) ?? 0) + 1);
    }
    // the mutations must reach every branch, not just the length checks
    for (const action of [0, 1, 2, 3]) assert.ok((answered.get(action) ?? 0) > 100, `action ${action} seldom answered`);
  });

  describe('over a real socket', () => {
    let tracker: UdpTracker;
    let client: UdpTestClient;
    before(async () => {
      tracker = await startUdpTracker(new FuzzCore(prng(SEED + 1)), { port: 0, host: '127.0.0.1', secret: SECRET, ipv6: false });
      client = await UdpTestClient.open({ host: '127.0.0.1', port: tracker.ports.udp4 });
    });
    after(async () => {
      await client.close();
      await tracker.close();
    });

    it('answers 3000 mutated packets within bounds and keeps serving', async () => {
      const random = prng(SEED + 2);
      const mutate = makeMutator(random);
      const { packets, validId } = basesFor(await client.connect());
      const sent = new Map<number, { packet: Buffer; verified: boolean }>();
      const problems: string[] = [];
      client.socket.on('message', (reply: Buffer) => {
        if (reply.length < 8) return void problems.push('short reply');
        const origin = sent.get(reply.readUInt32BE(4));
        if (!origin) return void problems.push('reply to an unknown transaction');
        const problem = badReply(origin.packet, reply, origin.verified);
        if (problem) problems.push(problem);
      });
      for (let i = 0; i < 3000; i++) {
        const packet = mutate(packets[i % packets.length]);
        if (packet.length >= 16) packet.writeUInt32BE(i + 1, 12); // a unique transaction id to pair the reply
        sent.set(i + 1, { packet, verified: packet.length >= 8 && packet.subarray(0, 8).equals(validId) });
        client.socket.send(packet, tracker.ports.udp4, '127.0.0.1');
        if (i % 50 === 49) await new Promise((resolve) => setTimeout(resolve, 2)); // stay within socket buffers
      }
      // late replies may still be arriving: wait for the one to this last connect. Sent again
      // every 500 ms, as a BEP 15 client retransmits: on a loaded machine (the whole suite runs
      // at once) a socket buffer full of the burst above may drop one datagram, which is UDP,
      // not the tracker failing.
      const probe = connectPacket(0x7fffffff);
      sent.set(0x7fffffff, { packet: probe, verified: false });
      const alive = new Promise<boolean>((resolve) => {
        const resend = setInterval(() => client.socket.send(probe, tracker.ports.udp4, '127.0.0.1'), 500);
        const timer = setTimeout(() => {
          clearInterval(resend);
          resolve(false);
        }, 10_000);
        client.socket.on('message', (reply: Buffer) => {
          if (reply.length >= 8 && reply.readUInt32BE(4) === 0x7fffffff) {
            clearInterval(resend);
            clearTimeout(timer);
            resolve(true);
          }
        });
      });
      client.socket.send(probe, tracker.ports.udp4, '127.0.0.1');
      assert.ok(await alive, 'the tracker stopped answering');
      assert.deepEqual(problems, []);
    });
  });
});
