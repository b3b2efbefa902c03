// The tracker core's contract with its transports (HTTP: src/tracker/http/routes.ts, UDP:
// src/tracker/udp/socket.ts). A transport parses its wire format into an AnnounceRequest, calls
// TrackerCore.announce, and encodes the AnnounceResult (or the TrackerError's message).
// BEP 3 (announce), BEP 7 (IPv6), BEP 15 (UDP), BEP 23 (compact), BEP 48 (scrape), BEP 52 (v2).
import { fillReason, REASONS, type ReasonCode } from './reasons.js';

export type AnnounceEvent = 'started' | 'completed' | 'stopped' | 'paused' | '';

/** Which tracker URL (BEP 12 tier) the announce came to: min interval is kept per transport. */
export type Transport = 'http' | 'udp';

export interface AnnounceRequest {
  /** 32 lower-case hex chars, from the URL path (HTTP) or the BEP 41 option (UDP) */
  passkey: string;
  /** exactly 20 bytes */
  infoHash: Buffer;
  /** exactly 20 bytes */
  peerId: Buffer;
  /** 1-65535 */
  port: number;
  uploaded: bigint;
  downloaded: bigint;
  left: bigint;
  event: AnnounceEvent;
  /** null: the default; capped by the core */
  numwant: number | null;
  /** opaque client key (BEP 7), used only to recognise the same client */
  key: string | null;
  /** the source address as the transport saw it, IPv4-mapped IPv6 already turned into IPv4 */
  ip: string;
  family: 4 | 6;
  /** set by the transport that parsed the request: a client announcing on both tiers has a min interval per tier */
  transport: Transport;
  /** User-Agent (HTTP only), for the client column */
  userAgent?: string;
  /** collect the peer ids of the returned peers (HTTP compact=0 without no_peer_id) */
  withPeerIds?: boolean;
  /**
   * Only peers of this family are any use to the requester (UDP: the reply carries the
   * socket's family alone, BEP 15), so all of numwant goes to it. Absent: both families.
   */
  peerFamily?: 4 | 6;
}

export interface PeerEntry {
  peerId: Buffer;
  ip: string;
  port: number;
}

export interface AnnounceResult {
  interval: number;
  minInterval: number;
  /** seeders */
  complete: number;
  /** leechers */
  incomplete: number;
  /** times completed (for scrape-like display) */
  downloaded: number;
  /** IPv4 peers, at most numwant in total together with peers6 */
  peers4: PeerEntry[];
  /** IPv6 peers */
  peers6: PeerEntry[];
  /** non-fatal message (BEP 3 `warning message`), e.g. announcing inside min interval */
  warning?: string;
  /**
   * A session boundary (a new peer, `started`, `stopped`, `completed`, a counter reset): the
   * transport sends the reply only once `TrackerCore.durable()` resolves (docs/accounting.md).
   */
  boundary?: boolean;
  /** the same peers in compact form (6-byte BEP 23 / 18-byte BEP 7 entries), when the core provides them */
  compact4?: Buffer;
  compact6?: Buffer;
}

export interface ScrapeEntry {
  infoHash: Buffer;
  complete: number;
  incomplete: number;
  downloaded: number;
}

/**
 * A refusal the member should read: its message becomes the `failure reason` (HTTP) or the
 * error packet text (UDP). `retryIn` (seconds) is sent as interval/min interval so clients
 * back off instead of hammering.
 */
export class TrackerError extends Error {
  /** a refusal after the accounting of a session boundary: sent after durable() too */
  boundary = false;
  /** the refusal's code, when the core named it (core/reasons.ts): the transports localize those */
  code?: ReasonCode;
  param?: string | number;
  /** the passkey named a member: their reason may be sent in their language */
  member = false;
  /** that member's language (null: the site default) */
  locale: string | null = null;

  readonly retryIn?: number;

  constructor(message: string, retryIn?: number) {
    super(message);
    this.retryIn = retryIn;
    this.name = 'TrackerError';
  }

  /** A named refusal, its message the English text. */
  static of(code: ReasonCode, param?: string | number, retryIn?: number): TrackerError {
    const error = new TrackerError(fillReason(REASONS[code], param), retryIn);
    error.code = code;
    error.param = param;
    return error;
  }

  /** Marks the refusal as one for this member, who reads it in their language. */
  forMember(locale: string | null | undefined): this {
    this.member = true;
    this.locale = locale ?? null;
    return this;
  }
}

export interface TrackerCore {
  /**
   * Throws TrackerError for every refusal; never touches the database. The memory engine
   * answers at once; a core over a shared peer store (shared-core.ts) answers with a promise
   * once the store did (it may reject with a TrackerError too): the transports await it only
   * when it is one, so the memory path stays synchronous.
   */
  announce(request: AnnounceRequest): AnnounceResult | Promise<AnnounceResult>;
  /** The text to send for a refusal: in the member's language where the passkey named one, else its message. */
  reasonText?(error: TrackerError): string;
  /**
   * Resolves once the announces recorded so far are committed, or after a bound when the
   * database is away. A client never repeats a session-boundary announce it got an answer
   * to, so those replies wait for it; absent (specs' stub cores): nothing waits.
   */
  durable?(): Promise<void>;
  /** Unknown hashes are omitted (HTTP) / reported as zeros (UDP keeps request order); a promise in the shared mode. */
  scrape(passkey: string, infoHashes: Buffer[]): ScrapeEntry[] | Promise<ScrapeEntry[]>;
}
