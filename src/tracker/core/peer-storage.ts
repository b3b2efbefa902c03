// The compact forms a Peer (peer.ts) keeps its fields in: timestamps as small integers, the
// last announce per (tier, family, hash) and the IPv6 address in PeerMore (which most peers
// never allocate), the client key as an int32 when it fits.
import type { Transport } from './types.js';

/**
 * Timestamps are kept as whole seconds since 2020 so they stay small integers (V8 Smis)
 * instead of boxed doubles: five of them per peer, a million peers. 0 means "never".
 */
const EPOCH_S = 1_577_836_800;
export const toTick = (ms: number): number => (ms === 0 ? 0 : Math.max(Math.floor(ms / 1000) - EPOCH_S, 1));
export const fromTick = (tick: number): number => (tick === 0 ? 0 : (tick + EPOCH_S) * 1000);

/** PeerMore's field for each seenIndex(): 0 and 4 (IPv4 v1) share `other41`, see Peer.seen41. */
const SEEN_FIELDS = ['other41', 'http42', 'http61', 'http62', 'other41', 'udp42', 'udp61', 'udp62'] as const;

/**
 * What only an IPv6, v2 (BEP 52) or two-tier announcer needs: most peers never allocate it.
 * The min interval is kept per (transport, family, hash): a client announcing on the HTTP
 * and the UDP tier (BEP 12) has one re-announce timer per tier.
 */
export class PeerMore {
  i42 = -1;
  i61 = -1;
  i62 = -1;
  /** last announce per (tier, family, hash), in ticks; other41: the IPv4 v1 one of the tier Peer.seen41 does not hold */
  other41 = 0;
  http42 = 0;
  http61 = 0;
  http62 = 0;
  udp42 = 0;
  udp61 = 0;
  udp62 = 0;
  /** compact IPv6 address+port (18 chars latin1, BEP 7) */
  addr6: string | null = null;

  seen(index: number): number {
    return this[SEEN_FIELDS[index]];
  }

  setSeen(index: number, tick: number): void {
    this[SEEN_FIELDS[index]] = tick;
  }
}

/** 0-7: family 6 adds 2, a v2 hash (HASH_V2) 1, the UDP tier 4 */
export function seenIndex(transport: Transport, family: 4 | 6, slot: 0 | 1): number {
  return (transport === 'udp' ? 4 : 0) + (family === 6 ? 2 : 0) + slot;
}

/** The port of a compact address+port (BEP 23 / BEP 7): its last two bytes. */
export function portOf(compact: string): number {
  return (compact.charCodeAt(compact.length - 2) << 8) | compact.charCodeAt(compact.length - 1);
}

/** `%08X` (libtorrent, Transmission) and the UDP key as hex: fits an int32 exactly. */
export function isUpperHex8(text: string): boolean {
  if (text.length !== 8) return false;
  for (let i = 0; i < 8; i++) {
    const code = text.charCodeAt(i);
    if (!((code >= 48 && code <= 57) || (code >= 65 && code <= 70))) return false;
  }
  return true;
}
