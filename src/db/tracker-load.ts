// The tracker's state as the database holds it, read at start (every member, release and
// recent peer row) and by the catalog sync (one member or release). Writing is tracker-store.ts.
import type { StoredPeer } from '../tracker/core/engine.js';
import type { FreeleechMode, TrackerRelease, TrackerUser } from '../tracker/core/catalog.js';
import type { SqlDriver } from './driver.js';
import { checkpointJournals } from './peer-journal.js';
import { TS } from './sql-arrays.js';
import { knownLocale } from '../i18n/locales.js';

export interface TrackerState {
  users: TrackerUser[];
  /** with the counts last written to the row (compared with the live ones after loading) */
  releases: (TrackerRelease & { snatched: number; seeders: number; leechers: number })[];
  peers: StoredPeer[];
}

const big = (value: unknown): bigint => (typeof value === 'bigint' ? value : BigInt(value as number | string));
const bytes = (value: unknown): Buffer | null => (value == null ? null : Buffer.from(value as Uint8Array));

type UserRow = { id: number; passkey: string; enabled: boolean; can_leech: boolean; locale: string | null; user_class: string; fl_ms: number | null; du_ms: number | null };
const USERS = `SELECT id, passkey, enabled, can_leech, locale, user_class,
  (extract(epoch FROM personal_freeleech_until) * 1000)::float8 AS fl_ms, (extract(epoch FROM double_upload_until) * 1000)::float8 AS du_ms FROM users`;
/** spent freeleech tokens (docs/members-and-staff.md#freeleech-tokens) */
const TOKENS = 'SELECT user_id, release_id, (extract(epoch FROM expires_at) * 1000)::float8 AS until_ms FROM freeleech_token_uses';
type TokenRow = { user_id: number; release_id: number; until_ms: number };
const RELEASES = 'SELECT id, info_hash_v1, info_hash_v2_short, freeleech::text AS freeleech, deleted_at, delete_reason, snatched, seeders, leechers FROM releases';

export async function loadTrackerState(sql: SqlDriver, options: { now: number; retentionMs: number }): Promise<TrackerState> {
  // what committed since the last checkpoint (a kill -9 leaves it in the journals): baselines first
  await checkpointJournals(sql);
  const users = await sql.query<UserRow>(USERS);
  const tokens = tokensByUser(await sql.query<TokenRow>(`${TOKENS} WHERE expires_at > ${TS('$1::float8')}`, [options.now]));
  const releases = await sql.query<Record<string, unknown>>(RELEASES);
  const peers = await sql.query<Record<string, unknown>>(
    `SELECT user_id, release_id, peer_id, ipv4, ipv6, port, uploaded, downloaded, "left", client, key, seeder, active,
            (extract(epoch FROM last_announce_at) * 1000)::float8 AS last_ms
       FROM peers WHERE last_announce_at >= ${TS('$1::float8')}`,
    [options.now - options.retentionMs],
  );
  return { users: users.map((u) => userOf(u, tokens.get(u.id))), releases: releases.map(releaseOf), peers: peers.map(peerOf) };
}

/** One member as the tracker knows it, or null when there is no such member (catalog sync). */
export async function loadTrackerUser(sql: SqlDriver, id: number): Promise<TrackerUser | null> {
  const [row] = await sql.query<UserRow>(`${USERS} WHERE id = $1`, [id]);
  if (!row) return null;
  return userOf(row, tokensByUser(await sql.query<TokenRow>(`${TOKENS} WHERE user_id = $1`, [id])).get(id));
}

/** One release as the tracker knows it, or null when there is no such release (catalog sync). */
export async function loadTrackerRelease(sql: SqlDriver, id: number): Promise<TrackerRelease | null> {
  const [row] = await sql.query<Record<string, unknown>>(`${RELEASES} WHERE id = $1`, [id]);
  if (!row) return null;
  const { snatched: _n, seeders: _s, leechers: _l, ...release } = releaseOf(row);
  return release;
}

const NO_TOKENS: ReadonlyMap<number, number> = new Map();

function tokensByUser(rows: TokenRow[]): Map<number, Map<number, number>> {
  const byUser = new Map<number, Map<number, number>>();
  for (const r of rows) {
    let tokens = byUser.get(r.user_id);
    if (!tokens) byUser.set(r.user_id, (tokens = new Map()));
    tokens.set(r.release_id, Number(r.until_ms));
  }
  return byUser;
}

const userOf = (u: UserRow, tokens: ReadonlyMap<number, number> | undefined): TrackerUser => ({
  id: u.id, passkey: u.passkey.trim(), enabled: u.enabled, canLeech: u.can_leech, locale: knownLocale(u.locale),
  perks: { userClass: u.user_class, freeleechUntil: Number(u.fl_ms ?? 0), doubleUploadUntil: Number(u.du_ms ?? 0), tokens: tokens ?? NO_TOKENS },
});

function releaseOf(row: Record<string, unknown>): TrackerState['releases'][number] {
  const deleted = row.deleted_at != null;
  return {
    id: row.id as number,
    infoHashV1: bytes(row.info_hash_v1),
    infoHashV2Short: bytes(row.info_hash_v2_short),
    freeleech: row.freeleech as FreeleechMode,
    deletedReason: deleted ? ((row.delete_reason as string | null) ?? '') : null,
    snatched: Number(row.snatched),
    seeders: Number(row.seeders),
    leechers: Number(row.leechers),
  };
}

function peerOf(row: Record<string, unknown>): StoredPeer {
  return {
    userId: row.user_id as number,
    releaseId: row.release_id as number,
    peerId: bytes(row.peer_id)!,
    ipv4: row.ipv4 as string | null,
    ipv6: row.ipv6 as string | null,
    port: row.port as number,
    uploaded: big(row.uploaded),
    downloaded: big(row.downloaded),
    left: big(row.left),
    client: row.client as string,
    key: row.key as string | null,
    seeder: row.seeder as boolean,
    active: row.active as boolean,
    lastAnnounceAt: Number(row.last_ms),
  };
}
