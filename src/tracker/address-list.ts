// Packed compact addresses of one (hash, family) of a swarm: what a reply copies from.
import { type HashSlot, type Peer } from './peer.js';

/** shared by every empty list and empty reply */
export const EMPTY = Buffer.alloc(0);

/**
 * Peers of one (hash, family) with their compact addresses packed side by side, leechers
 * first, then seeders: a reply is one or two memory copies instead of a walk over scattered
 * peer objects, and "leechers only" (for seeders) is a prefix. One list per (hash, family)
 * that has peers, made on first use: most releases need one list, not eight.
 */
export class AddressList {
  buf: Buffer = EMPTY;
  readonly peers: Peer[] = [];
  /** peers[0, leechers) are leechers, the rest seeders */
  leechers = 0;

  constructor(
    readonly family: 4 | 6,
    readonly slot: HashSlot,
  ) {}

  get stride(): number {
    return this.family === 4 ? 6 : 18;
  }

  get length(): number {
    return this.peers.length;
  }

  push(peer: Peer, address: string): void {
    const end = this.peers.length;
    this.reserve(end + 1);
    let index = end;
    if (!peer.seeder) {
      // the first seeder moves to the end; the new leecher takes its place
      if (end > this.leechers) this.move(this.leechers, end);
      index = this.leechers++;
    }
    writeLatin1(this.buf, address, index * this.stride);
    this.peers[index] = peer;
    peer.setIndex(this.family, this.slot, index);
  }

  rewrite(peer: Peer, address: string): void {
    writeLatin1(this.buf, address, peer.indexIn(this.family, this.slot) * this.stride);
  }

  remove(peer: Peer): void {
    const index = peer.indexIn(this.family, this.slot);
    const last = this.peers.length - 1;
    if (index < this.leechers) {
      // fill the hole with the last leecher, and that one's place with the last seeder
      const lastLeecher = --this.leechers;
      if (index !== lastLeecher) this.move(lastLeecher, index);
      if (last !== lastLeecher) this.move(last, lastLeecher);
    } else if (index !== last) this.move(last, index);
    this.peers.pop();
    peer.setIndex(this.family, this.slot, -1);
    this.shrink();
  }

  private move(from: number, to: number): void {
    const stride = this.stride;
    this.buf.copy(this.buf, to * stride, from * stride, (from + 1) * stride);
    const peer = this.peers[from];
    this.peers[to] = peer;
    peer.setIndex(this.family, this.slot, to);
  }

  private reserve(count: number): void {
    if (count * this.stride <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.stride * 4));
    this.buf.copy(grown, 0, 0, this.peers.length * this.stride);
    this.buf = grown;
  }

  /** gives memory back when a big swarm empties */
  private shrink(): void {
    if (this.buf.length <= 4096 || this.peers.length * this.stride * 4 >= this.buf.length) return;
    const shrunk = Buffer.allocUnsafe(this.buf.length / 2);
    this.buf.copy(shrunk, 0, 0, this.peers.length * this.stride);
    this.buf = shrunk;
  }
}

/** A JIT-inlined byte copy: Buffer#write costs a native call per peer, too much at numwant 50. */
function writeLatin1(out: Buffer, text: string, offset: number): void {
  for (let i = 0; i < text.length; i++) out[offset + i] = text.charCodeAt(i);
}
