// BEP 15 connection ids without per-connection state: the id handed out by `connect` is the
// first 64 bits of HMAC-SHA256(secret, source ip, minute window). An announce or scrape is
// accepted when its id matches the current window or one of the two before it, so an id
// lives between 2 and 3 minutes (clients reuse theirs for about 60 s; BEP 15 asks for >= 1).
// The id is bound to the source IP only, not the port: libtorrent caches one id per tracker
// and may announce from each of its listen sockets, which have different ports.
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { Clock } from '../../clock.js';

const WINDOW_MS = 60_000;
/** the current window and the two before it */
const ACCEPTED_WINDOWS = 3;
/** source addresses whose current id is remembered */
const MAX_CACHED = 65_536;

export class ConnectionIds {
  // The key is imported once (a KeyObject) and Node's createHmac does the rest: a hand-rolled
  // RFC 2104 with pre-hashed pads is more code and no cheaper.
  private readonly key: KeyObject;
  private readonly windowBytes = Buffer.alloc(4);
  /**
   * This window's ids by source IP: a client announces seconds after its connect, and the
   * id it sends back is then checked without a second HMAC. Emptied when the window turns,
   * and when it holds MAX_CACHED addresses (a flood of connects must not grow it).
   */
  private readonly cache = new Map<string, Buffer>();
  private cacheWindow = -1;

  private readonly clock: Clock;

  constructor(secret: string, clock: Clock) {
    this.clock = clock;
    if (secret.length === 0) throw new Error('the UDP tracker needs a non-empty secret');
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  /** The 8-byte id for a connect from `ip`, written into `target` at `offset`. */
  write(ip: string, target: Buffer, offset: number): void {
    this.currentId(ip).copy(target, offset);
  }

  /** Whether the 8 bytes at `packet[0..8)` are an id this tracker gave `ip` recently. */
  verify(packet: Buffer, ip: string): boolean {
    const received = packet.subarray(0, 8);
    if (timingSafeEqual(received, this.currentId(ip))) return true;
    const window = this.currentWindow();
    for (let age = 1; age < ACCEPTED_WINDOWS; age++) {
      if (timingSafeEqual(received, this.mac(ip, window - age).subarray(0, 8))) return true;
    }
    return false;
  }

  private currentId(ip: string): Buffer {
    const window = this.currentWindow();
    if (window !== this.cacheWindow || this.cache.size >= MAX_CACHED) {
      this.cache.clear();
      this.cacheWindow = window;
    }
    let id = this.cache.get(ip);
    if (id === undefined) {
      id = this.mac(ip, window).subarray(0, 8);
      this.cache.set(ip, id);
    }
    return id;
  }

  private currentWindow(): number {
    return Math.floor(this.clock.now() / WINDOW_MS);
  }

  private mac(ip: string, window: number): Buffer {
    this.windowBytes.writeUInt32BE(window >>> 0, 0);
    return createHmac('sha256', this.key).update(ip, 'latin1').update(this.windowBytes).digest();
  }
}
