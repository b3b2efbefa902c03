// A UDP relay between clients and a UDP tracker (BEP 15) that drops the first N announce
// packets it sees: the timed-out announce a real client then retries. Each client address
// gets its own upstream socket, so replies find their way back. Every announce is recorded
// (event, uploaded) with whether it was dropped.
import dgram from 'node:dgram';

const ACTION_ANNOUNCE = 1;
const EVENTS = ['none', 'completed', 'started', 'stopped'] as const;

export interface SeenAnnounce {
  event: (typeof EVENTS)[number];
  uploaded: bigint;
  dropped: boolean;
}

export interface UdpDropProxy {
  port: number;
  announces: SeenAnnounce[];
  close(): Promise<void>;
}

export async function startUdpDropProxy(target: { host: string; port: number }, dropAnnounces = 1): Promise<UdpDropProxy> {
  const front = dgram.createSocket('udp4');
  const upstreams = new Map<string, dgram.Socket>();
  const announces: SeenAnnounce[] = [];
  let toDrop = dropAnnounces;

  const upstreamFor = (address: string, port: number): dgram.Socket => {
    const key = `${address}:${port}`;
    let socket = upstreams.get(key);
    if (!socket) {
      socket = dgram.createSocket('udp4');
      socket.on('message', (reply) => front.send(reply, port, address));
      socket.on('error', () => {});
      upstreams.set(key, socket);
    }
    return socket;
  };

  front.on('message', (packet, from) => {
    if (packet.length >= 98 && packet.readUInt32BE(8) === ACTION_ANNOUNCE) {
      const dropped = toDrop > 0;
      announces.push({ event: EVENTS[packet.readUInt32BE(80)] ?? 'none', uploaded: packet.readBigUInt64BE(72), dropped });
      if (dropped) {
        toDrop--;
        return;
      }
    }
    upstreamFor(from.address, from.port).send(packet, target.port, target.host);
  });
  front.on('error', () => {});
  await new Promise<void>((resolve) => front.bind(0, '127.0.0.1', resolve));
  return {
    port: front.address().port,
    announces,
    async close() {
      for (const socket of upstreams.values()) socket.close();
      await new Promise<void>((resolve) => front.close(() => resolve()));
    },
  };
}
