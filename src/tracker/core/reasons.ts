// The refusals the core names by code: the English text here is the TrackerError's message (logs,
// metrics, members without a language); the transports send the member's language instead,
// from tables made once from the catalogs (src/tracker/reason-texts.ts, locales/<code>/*.json under
// `tracker`). `{{param}}` stands for the one value a reason carries. Clients show these strings
// to people: keep them short (docs/protocol.md, "Failure reasons").

export const REASONS = {
  invalidPasskey: 'Invalid passkey: use the announce URL from your .torrent download',
  unknownPasskey: 'Invalid passkey: download the .torrent again',
  clientRefused: 'Your client is not allowed on this tracker; see the rules for allowed clients',
  clientRefusedSee: 'Your client is not allowed on this tracker; see the rules for allowed clients: {{param}}',
  unregistered: 'Unregistered torrent',
  unregisteredBecause: 'Unregistered torrent: {{param}}',
  busy: 'Tracker is busy saving statistics, please retry in a few minutes',
  tooManyOnRelease: 'Too many peers on this torrent for your account (limit {{param}}): stop the client elsewhere or wait for it to time out',
  tooManyPeers: 'Too many peers for your account (limit {{param}}): stop some torrents or clients, or wait for them to time out',
  leechForbidden: 'Access denied, leeching forbidden',
  badInfoHash: 'Invalid info_hash: must be 20 bytes',
  badPeerId: 'Invalid peer_id: must be 20 bytes',
  badPort: 'Invalid port',
  badCounters: 'Invalid transfer counters',
  accountDisabled: 'Account disabled',
  slotsFullOne: 'Download slots full: your class may leech 1 torrent at once; finish or stop one first',
  slotsFull: 'Download slots full: your class may leech {{param}} torrents at once; finish or stop one first',
} as const;

export type ReasonCode = keyof typeof REASONS;
export const REASON_CODES = Object.keys(REASONS) as ReasonCode[];

/** A reason's text with its value put in (a refusal only: announces that pass build no text). */
export const fillReason = (text: string, param: string | number | undefined): string => (param === undefined ? text : text.replace('{{param}}', String(param)));

/** Each language's texts by code; a missing language or text reads as English. */
export type ReasonTable = ReadonlyMap<string, Readonly<Partial<Record<ReasonCode, string>>>>;

/** What reasonIn reads of a refusal (TrackerError, core/types.ts, which imports this module). */
export interface NamedRefusal {
  readonly message: string;
  readonly code?: ReasonCode;
  readonly param?: string | number;
  readonly member: boolean;
  readonly locale: string | null;
}

/** A refusal's text in its member's language (their own, else the site default), else its English message. */
export function reasonIn(table: ReasonTable | undefined, defaultLocale: string | undefined, error: NamedRefusal): string {
  if (!error.member || error.code === undefined || table === undefined) return error.message;
  const locale = error.locale ?? defaultLocale;
  const text = locale === undefined ? undefined : table.get(locale)?.[error.code];
  return text === undefined ? error.message : fillReason(text, error.param);
}
