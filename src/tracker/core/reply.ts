// The core's answer to an announce. Transports that speak the compact forms (HTTP by
// default, BEP 23/7) read `compact4`/`compact6` directly; `peers4`/`peers6` (the
// TrackerCore contract) are built only when asked for, so the hot path allocates no
// per-peer objects.
import { expandCompact } from './address.js';
import type { Selection } from './swarm.js';
import type { AnnounceResult, PeerEntry } from './types.js';

export class AnnounceReply implements AnnounceResult {
  readonly compact4: Buffer;
  readonly compact6: Buffer;
  /** peer ids (latin1) matching the compact entries, when the request asked (withPeerIds) */
  readonly peerIds4: string[] | undefined;
  readonly peerIds6: string[] | undefined;
  /** set by the core after the accounting (see AnnounceResult.boundary) */
  boundary = false;

  readonly interval: number;
  readonly minInterval: number;
  readonly complete: number;
  readonly incomplete: number;
  readonly downloaded: number;
  readonly warning?: string;

  constructor(
    interval: number,
    minInterval: number,
    complete: number,
    incomplete: number,
    downloaded: number,
    selection: Selection,
    warning?: string,
  ) {
    this.interval = interval;
    this.minInterval = minInterval;
    this.complete = complete;
    this.incomplete = incomplete;
    this.downloaded = downloaded;
    this.warning = warning;
    this.compact4 = selection.compact4;
    this.compact6 = selection.compact6;
    this.peerIds4 = selection.peerIds4;
    this.peerIds6 = selection.peerIds6;
  }

  get peers4(): PeerEntry[] {
    return entriesOf(this.compact4, 6, this.peerIds4);
  }

  get peers6(): PeerEntry[] {
    return entriesOf(this.compact6, 18, this.peerIds6);
  }
}

/** The encoded reply, once the announce is durable (AnnounceResult.boundary); never rejects. */
export function afterDurable<T>(durable: Promise<void>, reply: T): Promise<T> {
  return durable.then(
    () => reply,
    () => reply,
  );
}

/** Without `withPeerIds` the ids were not collected: 20 zero bytes stand in (UDP needs none). */
function entriesOf(compact: Buffer, stride: number, ids: string[] | undefined): PeerEntry[] {
  const out: PeerEntry[] = [];
  for (let offset = 0, i = 0; offset + stride <= compact.length; offset += stride, i++) {
    const { ip, port } = expandCompact(compact.toString('latin1', offset, offset + stride));
    out.push({ peerId: ids ? Buffer.from(ids[i], 'latin1') : Buffer.alloc(20), ip, port });
  }
  return out;
}
