// The peers of one (hash, family) of a swarm, in the order a reply reads them.
import { type HashSlot, type Peer } from './peer.js';

/** shared by every empty list and empty reply */
export const EMPTY = Buffer.alloc(0);

/**
 * Past this many entries a list also keeps its peers' compact addresses packed in a Buffer:
 * a reply from a big swarm is then one or two memory copies instead of numwant reads of
 * scattered peer objects (each a likely cache miss). Below it the Buffer is not worth its
 * ~35 B per peer (a Buffer object per list of ~10 peers) and a reply writes the few
 * addresses from the peers' own fields. Back to no Buffer at half of it.
 */
export const PACKED_FROM = 32;

/**
 * Peers of one (hash, family), leechers first, then seeders, so "leechers only" (for
 * seeders) is a prefix. Each peer knows its position (swap-remove in O(1)). One list per
 * (hash, family) that has peers, made on first use: most releases need one list, not four.
 */
export class AddressList {
  /** compact addresses of `peers`, in the same order, only for lists past PACKED_FROM */
  buf: Buffer | null = null;
  readonly peers: Peer[] = [];
  /** peers[0, leechers) are leechers, the rest seeders */
  leechers = 0;

  readonly family: 4 | 6;
  readonly slot: HashSlot;

  constructor(
    family: 4 | 6,
    slot: HashSlot,
  ) {
    this.family = family;
    this.slot = slot;
  }

  get stride(): number {
    return this.family === 4 ? 6 : 18;
  }

  get length(): number {
    return this.peers.length;
  }

  push(peer: Peer): void {
    const end = this.peers.length;
    if (this.buf !== null) this.reserve(end + 1);
    let index = end;
    if (!peer.seeder) {
      // the first seeder moves to the end; the new leecher takes its place
      if (end > this.leechers) this.move(this.leechers, end);
      index = this.leechers++;
    }
    this.peers[index] = peer;
    peer.setIndex(this.family, this.slot, index);
    if (this.buf !== null) this.writeAt(index);
    else if (end + 1 > PACKED_FROM) this.pack();
  }

  /** The peer's address changed (a move): only a packed copy needs updating. */
  rewrite(peer: Peer): void {
    if (this.buf !== null) this.writeAt(peer.indexIn(this.family, this.slot));
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
    if (this.buf !== null) this.shrink();
  }

  /** Writes entry `index`'s compact address (BEP 23 / BEP 7) at `offset` of `out`. */
  writeEntry(index: number, out: Buffer, offset: number): void {
    if (this.family === 4) this.peers[index].writeIPv4(out, offset);
    else this.peers[index].writeIPv6(out, offset);
  }

  private writeAt(index: number): void {
    this.writeEntry(index, this.buf!, index * this.stride);
  }

  private move(from: number, to: number): void {
    const peer = this.peers[from];
    this.peers[to] = peer;
    peer.setIndex(this.family, this.slot, to);
    const buf = this.buf;
    if (buf !== null) buf.copy(buf, to * this.stride, from * this.stride, (from + 1) * this.stride);
  }

  private pack(): void {
    this.buf = Buffer.allocUnsafe(this.stride * PACKED_FROM * 2);
    for (let i = 0; i < this.peers.length; i++) this.writeAt(i);
  }

  private reserve(count: number): void {
    const buf = this.buf!;
    if (count * this.stride <= buf.length) return;
    const grown = Buffer.allocUnsafe(buf.length * 2);
    buf.copy(grown, 0, 0, this.peers.length * this.stride);
    this.buf = grown;
  }

  /** gives memory back when a big swarm empties */
  private shrink(): void {
    const buf = this.buf!;
    const used = this.peers.length * this.stride;
    if (this.peers.length < PACKED_FROM / 2) {
      this.buf = null;
      return;
    }
    if (buf.length <= 4096 || used * 4 >= buf.length) return;
    const shrunk = Buffer.allocUnsafe(buf.length / 2);
    buf.copy(shrunk, 0, 0, used);
    this.buf = shrunk;
  }
}
