// BEP 15 connection ids without per-connection state: the id handed out by `connect` is the
// first 64 bits of HMAC-SHA256(secret, source ip, minute window). An announce or scrape is
// accepted when its id matches the current window or one of the two before it, so an id
// lives between 2 and 3 minutes (clients reuse theirs for about 60 s; BEP 15 asks for >= 1).
// The id is bound to the source IP only, not the port: libtorrent caches one id per tracker
// and may announce from each of its listen sockets, which have different ports.
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { Clock } from '../clock.js';

const WINDOW_MS = 60_000;
/** the current window and the two before it */
const ACCEPTED_WINDOWS = 3;

export class ConnectionIds {
  // The key is imported once (a KeyObject); measured here, createHmac with a KeyObject costs
  // ~2 µs per id, less than hand-rolled RFC 2104 with copied pre-hashed pads (~2.8 µs).
  private readonly key: KeyObject;
  private readonly windowBytes = Buffer.alloc(4);

  constructor(secret: string, private readonly clock: Clock) {
    if (secret.length === 0) throw new Error('the UDP tracker needs a non-empty secret');
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  /** The 8-byte id for a connect from `ip`, written into `target` at `offset`. */
  write(ip: string, target: Buffer, offset: number): void {
    this.mac(ip, this.currentWindow()).copy(target, offset, 0, 8);
  }

  /** Whether the 8 bytes at `packet[0..8)` are an id this tracker gave `ip` recently. */
  verify(packet: Buffer, ip: string): boolean {
    const received = packet.subarray(0, 8);
    const window = this.currentWindow();
    for (let age = 0; age < ACCEPTED_WINDOWS; age++) {
      if (timingSafeEqual(received, this.mac(ip, window - age).subarray(0, 8))) return true;
    }
    return false;
  }

  private currentWindow(): number {
    return Math.floor(this.clock.now() / WINDOW_MS);
  }

  private mac(ip: string, window: number): Buffer {
    this.windowBytes.writeUInt32BE(window >>> 0, 0);
    return createHmac('sha256', this.key).update(ip, 'latin1').update(this.windowBytes).digest();
  }
}
