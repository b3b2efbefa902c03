// Site-wide tracker settings an admin may change at run time (src/settings.ts -> the
// tracker service's setPolicy): timing, the site-wide freeleech switch, which clients may
// announce, recognised by the peer_id prefix (Azureus style `-qB4520-`, BEP 20), and how many
// active peers a member may have (each peer is tracker memory a passkey holder could
// otherwise grow at will by announcing random peer_ids).

export interface TrackerPolicy {
  /** every release's download is free (upload still credited) */
  siteFreeleech: boolean;
  /** peer_id prefixes refused; checked before the allow list */
  clientDeny: string[];
  /** when not empty, only these peer_id prefixes may announce */
  clientAllow: string[];
  /** seconds */
  announceInterval: number;
  /** seconds */
  minInterval: number;
  /** numwant default and cap (BEP 3 `numwant`) */
  numwantDefault: number;
  numwantCap: number;
  /** active peers of one member, all releases together (a big seeder: thousands of torrents) */
  maxPeersPerMember: number;
  /** active peers of one member on one release (one release seeded from a few boxes) */
  maxPeersPerRelease: number;
  /**
   * Stopped or expired records (baselines) kept per (member, release) besides a new one: a
   * client coming back with one is measured from where it left, but random peer_ids
   * announced `stopped` (or refused) must not pile up. Past it, the oldest is forgotten.
   */
  maxBaselinesPerRelease: number;
  /** the language of refusals to members who chose none (the site default, src/settings.ts); absent: English */
  defaultLocale?: string;
  /** releases a member may leech at once, by class name (perks.ts); a missing class or 0: no limit */
  downloadSlots?: Readonly<Record<string, number>>;
}

/** Bounds of the peer caps an admin may set. */
export const PEER_CAP_LIMITS = { maxPeersPerMember: [1, 1_000_000], maxPeersPerRelease: [1, 1000], maxBaselinesPerRelease: [1, 1000] } as const;

/**
 * Refused by default (peer_id prefixes): clients that cheat on reported totals or leak
 * private swarms. `-FG` FlashGet, `-SD` and `-XL` Thunder/Xunlei, `-TT` TuoTu, `-QD`
 * QQDownload, `-BN` Baidu, `-XF` Xfplay, `-GR` GetRight, `-RZ` RatioMaster-like faker builds.
 */
export const DEFAULT_CLIENT_DENY: readonly string[] = ['-FG', '-SD', '-XL', '-TT', '-QD', '-BN', '-XF', '-GR', '-RZ'];

export function defaultPolicy(options: { announceInterval: number; minInterval: number }): TrackerPolicy {
  return {
    siteFreeleech: false,
    clientDeny: [...DEFAULT_CLIENT_DENY],
    clientAllow: [],
    announceInterval: options.announceInterval,
    minInterval: options.minInterval,
    numwantDefault: 50,
    numwantCap: 100,
    maxPeersPerMember: 10_000,
    maxPeersPerRelease: 3,
    maxBaselinesPerRelease: 8,
  };
}

/** peer_id bytes as latin1 (one char per byte) against the prefix lists. */
export function isClientAllowed(policy: TrackerPolicy, peerIdLatin1: string): boolean {
  for (const prefix of policy.clientDeny) if (peerIdLatin1.startsWith(prefix)) return false;
  if (policy.clientAllow.length === 0) return true;
  for (const prefix of policy.clientAllow) if (peerIdLatin1.startsWith(prefix)) return true;
  return false;
}
