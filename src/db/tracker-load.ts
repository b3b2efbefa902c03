// The tracker's state as the database holds it, read at start (every member, release and
// recent peer row) and by the catalog sync (one member or release). Writing is tracker-store.ts.
import type { StoredPeer } from '../tracker/core/engine.js';
import type { FreeleechMode, TrackerRelease, TrackerUser } from '../tracker/core/catalog.js';
import type { SqlDriver } from './driver.js';
import { checkpointJournals } from './journal-checkpoint.js';
import { TS } from './sql-arrays.js';
import { HEX, readPaged, ROWS_PER_PAGE, unhex, type PagedRead } from './column-read.js';
import { knownLocale } from '../i18n/locales.js';

export interface TrackerState {
  users: TrackerUser[];
  /** with the counts last written to the row (compared with the live ones after loading) */
  releases: (TrackerRelease & { snatched: number; seeders: number; leechers: number })[];
}

const bytes = (value: unknown): Buffer | null => (value == null ? null : Buffer.from(value as Uint8Array));
const hexBytes = (value: string | null): Buffer | null => (value === null ? null : Buffer.from(value, 'hex'));

type UserRow = { id: number; passkey: string; enabled: boolean; can_leech: boolean; locale: string | null; user_class: string; fl_ms: number | null; du_ms: number | null };
const FL_MS = '(extract(epoch FROM personal_freeleech_until) * 1000)::float8';
const DU_MS = '(extract(epoch FROM double_upload_until) * 1000)::float8';
const USERS = `SELECT id, passkey, enabled, can_leech, locale, user_class, ${FL_MS} AS fl_ms, ${DU_MS} AS du_ms FROM users`;
/** spent freeleech tokens (docs/members-and-staff.md#freeleech-tokens) */
const TOKENS = 'SELECT user_id, release_id, (extract(epoch FROM expires_at) * 1000)::float8 AS until_ms FROM freeleech_token_uses';
type TokenRow = { user_id: number; release_id: number; until_ms: number };
const RELEASES = 'SELECT id, info_hash_v1, info_hash_v2_short, freeleech::text AS freeleech, deleted_at, delete_reason, snatched, seeders, leechers FROM releases';

/** `after` the previous page's last id, for tables read in id order */
const byId = (select: string) => (after: (string | null)[] | null) => ({
  sql: `${select} ${after ? 'WHERE id > $1' : ''} ORDER BY id LIMIT ${ROWS_PER_PAGE}`,
  params: after ? [Number(after[0])] : [],
});

const USER_PAGES: PagedRead = {
  columns: ['id', 'passkey', 'enabled', 'can_leech', 'locale', 'user_class', 'fl_ms', 'du_ms'],
  key: ['id'],
  page: byId(`SELECT id, ${HEX('passkey::text')} AS passkey, enabled, can_leech, ${HEX('locale')} AS locale, ${HEX('user_class::text')} AS user_class,
    ${FL_MS} AS fl_ms, ${DU_MS} AS du_ms FROM users`),
};

const RELEASE_PAGES: PagedRead = {
  columns: ['id', 'v1', 'v2', 'freeleech', 'deleted', 'reason', 'snatched', 'seeders', 'leechers'],
  key: ['id'],
  page: byId(`SELECT id, encode(info_hash_v1, 'hex') AS v1, encode(info_hash_v2_short, 'hex') AS v2, ${HEX('freeleech::text')} AS freeleech,
    deleted_at IS NOT NULL AS deleted, ${HEX('delete_reason')} AS reason, snatched, seeders, leechers FROM releases`),
};

/** Every member and release; the journals are applied first (what committed since their last checkpoint). */
export async function loadTrackerState(sql: SqlDriver, options: { now: number }): Promise<TrackerState> {
  // a kill -9 or a stop leaves the latest baselines in the journals: applied before anything is read
  await checkpointJournals(sql);
  const tokens = tokensByUser(await sql.query<TokenRow>(`${TOKENS} WHERE expires_at > ${TS('$1::float8')}`, [options.now]));
  const users: TrackerUser[] = [];
  await readPaged(sql, USER_PAGES, ([id, passkey, enabled, canLeech, locale, userClass, fl, du]) => {
    for (let i = 0; i < id.length; i++) {
      const row = { id: Number(id[i]), passkey: unhex(passkey[i])!, enabled: enabled[i] === 't', can_leech: canLeech[i] === 't', locale: unhex(locale[i]), user_class: unhex(userClass[i])!, fl_ms: num(fl[i]), du_ms: num(du[i]) };
      users.push(userOf(row, tokens.get(row.id)));
    }
  });
  const releases: TrackerState['releases'] = [];
  await readPaged(sql, RELEASE_PAGES, ([id, v1, v2, freeleech, deleted, reason, snatched, seeders, leechers]) => {
    for (let i = 0; i < id.length; i++) {
      releases.push({
        id: Number(id[i]), infoHashV1: hexBytes(v1[i]), infoHashV2Short: hexBytes(v2[i]), freeleech: unhex(freeleech[i]) as FreeleechMode,
        deletedReason: deleted[i] === 't' ? (unhex(reason[i]) ?? '') : null, snatched: Number(snatched[i]), seeders: Number(seeders[i]), leechers: Number(leechers[i]),
      });
    }
  });
  return { users, releases };
}

const num = (value: string | null): number | null => (value === null ? null : Number(value));

const PEER_COLUMNS = ['user_id', 'release_id', 'peer_hex', 'ipv4', 'ipv6', 'port', 'uploaded', 'downloaded', 'lefts', 'client', 'peer_key', 'seeder', 'active', 'last_ms'];

/**
 * Every peer row announced within the retention, to `each` in key order, a page at a time
 * (a million are never all in memory as rows). Call after loadTrackerState, which applies the journals.
 */
export async function loadTrackerPeers(sql: SqlDriver, options: { now: number; retentionMs: number }, each: (peer: StoredPeer) => void): Promise<void> {
  const since = options.now - options.retentionMs;
  const read: PagedRead = {
    columns: PEER_COLUMNS,
    key: ['user_id', 'release_id', 'peer_hex'],
    page: (after) => ({
      sql: `SELECT user_id, release_id, encode(peer_id, 'hex') AS peer_hex, ${HEX('ipv4')} AS ipv4, ${HEX('ipv6')} AS ipv6, port, uploaded, downloaded,
                   "left" AS lefts, ${HEX('client')} AS client, ${HEX('key')} AS peer_key, seeder, active, (extract(epoch FROM last_announce_at) * 1000)::float8 AS last_ms
              FROM peers WHERE last_announce_at >= ${TS('$1::float8')} ${after ? `AND (user_id, release_id, peer_id) > ($2, $3, decode($4, 'hex'))` : ''}
             ORDER BY user_id, release_id, peer_id LIMIT ${ROWS_PER_PAGE}`,
      params: after ? [since, Number(after[0]), Number(after[1]), after[2]] : [since],
    }),
  };
  // a few client names repeat over every peer: each decoded once
  const clients = new Map<string, string>();
  const clientOf = (hex: string | null): string => {
    if (hex === null) return '';
    let name = clients.get(hex);
    if (name === undefined) clients.set(hex, (name = unhex(hex)!));
    return name;
  };
  await readPaged(sql, read, ([userId, releaseId, peerId, ipv4, ipv6, port, up, down, left, client, key, seeder, active, last]) => {
    for (let i = 0; i < userId.length; i++) {
      each({
        userId: Number(userId[i]), releaseId: Number(releaseId[i]), peerId: Buffer.from(peerId[i]!, 'hex'), ipv4: unhex(ipv4[i]), ipv6: unhex(ipv6[i]),
        port: Number(port[i]), uploaded: BigInt(up[i]!), downloaded: BigInt(down[i]!), left: BigInt(left[i]!), client: clientOf(client[i]), key: unhex(key[i]),
        seeder: seeder[i] === 't', active: active[i] === 't', lastAnnounceAt: Number(last[i]),
      });
    }
  });
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
