// The peer journal (docs/accounting.md, "The peer journal"): each ledger flush appends the
// peers it changed to `peer_journal` in the batch's own transaction, one row per chunk with
// each column of `peers` as an array literal in a text column, instead of upserting a `peers`
// row per peer. A peer's baseline and the credit computed from it still commit together, and
// nothing is parsed or indexed on the flush's path. The checkpoint applies the journal to
// `peers` (the latest state of each peer, so a peer that announced many times since is
// written once) and the transfer journal to `transfers` (transfer-journal.ts), and deletes
// what it applied in the same transaction, a part of the journal at a time
// (journal-checkpoint.ts): it runs on its own cadence after a flush, after every flush asked
// for (shutdown, tests, tools), and at start before the peers are loaded, so a kill -9 at any
// moment loads exactly the committed baselines.
import type { PeerRow } from '../tracker/core/ledger.js';
import type { SqlTx } from './driver.js';
import { journalPart, type Applied, type JournalPart } from './journal-part.js';
import { literal, TS } from './sql-arrays.js';

/**
 * A Postgres array literal of member-supplied texts (client, key): every element quoted, with
 * `"` and `\` escaped as the array input syntax requires; NUL, which text cannot hold, dropped.
 */
export function quotedLiteral(values: readonly (string | null)[]): string {
  return '{' + values.map((v) => (v === null ? 'NULL' : '"' + v.replace(/\u0000/g, '').replace(/["\\]/g, '\\$&') + '"')).join(',') + '}';
}

/** Appends one chunk of peer rows to the journal (inside the batch's transaction). */
export async function journalPeers(tx: SqlTx, rows: readonly PeerRow[]): Promise<void> {
  await tx.query(
    `INSERT INTO peer_journal (user_ids, release_ids, peer_ids, ipv4s, ipv6s, ports, uploaded, downloaded, lefts, clients, keys, seeders, actives, announced_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [
      literal(rows.map((r) => r.userId)),
      literal(rows.map((r) => r.releaseId)),
      literal(rows.map((r) => r.peerId.toString('hex'))),
      literal(rows.map((r) => r.ipv4)),
      literal(rows.map((r) => r.ipv6)),
      literal(rows.map((r) => r.port)),
      literal(rows.map((r) => r.uploaded)),
      literal(rows.map((r) => r.downloaded)),
      literal(rows.map((r) => r.left)),
      quotedLiteral(rows.map((r) => r.client)),
      quotedLiteral(rows.map((r) => r.key)),
      literal(rows.map((r) => r.seeder)),
      literal(rows.map((r) => r.active)),
      literal(rows.map((r) => r.lastAnnounceAt)),
    ],
  );
}

/**
 * Applies the journal (the whole, or a part: journal-part.ts) to `peers` and deletes the rows
 * it applied. The latest entry of each peer in them wins (journal rows in `seq` order, entries
 * in array order): a part is the oldest rows left, so a later part only holds later entries.
 * Joined with users and releases: a member or release purged meanwhile is skipped, not a
 * foreign-key failure that would stop every later checkpoint.
 */
export async function applyPeerJournal(tx: SqlTx, part?: JournalPart): Promise<Applied> {
  const { where, params } = journalPart('peer_journal', part);
  const rows = await tx.query<{ n: number; taken: number; last: string | null }>(
    `WITH j AS (DELETE FROM peer_journal ${where} RETURNING *),
     e AS (
       SELECT DISTINCT ON (d.user_id, d.release_id, d.peer_id) d.*
         FROM j, unnest(j.user_ids::int[], j.release_ids::int[], j.peer_ids::text[], j.ipv4s::text[], j.ipv6s::text[], j.ports::int[],
                        j.uploaded::int8[], j.downloaded::int8[], j.lefts::int8[], j.clients::text[], j.keys::text[], j.seeders::bool[],
                        j.actives::bool[], j.announced_at::float8[]) WITH ORDINALITY
              AS d(user_id, release_id, peer_id, ipv4, ipv6, port, up, down, left_, client, key, seeder, active, at, n)
        ORDER BY d.user_id, d.release_id, d.peer_id, j.seq DESC, d.n DESC
     ),
     w AS (
       INSERT INTO peers AS p (user_id, release_id, peer_id, ipv4, ipv6, port, uploaded, downloaded, "left", client, key, seeder, active, last_announce_at)
       SELECT e.user_id, e.release_id, decode(e.peer_id, 'hex'), e.ipv4, e.ipv6, e.port, e.up, e.down, e.left_, e.client, e.key, e.seeder, e.active,
              ${TS('e.at')}
         FROM e JOIN users u ON u.id = e.user_id JOIN releases r ON r.id = e.release_id
       ON CONFLICT (user_id, release_id, peer_id) DO UPDATE SET
         ipv4 = EXCLUDED.ipv4, ipv6 = EXCLUDED.ipv6, port = EXCLUDED.port, uploaded = EXCLUDED.uploaded,
         downloaded = EXCLUDED.downloaded, "left" = EXCLUDED."left", client = EXCLUDED.client, key = EXCLUDED.key,
         seeder = EXCLUDED.seeder, active = EXCLUDED.active, last_announce_at = EXCLUDED.last_announce_at
       RETURNING 1
     )
     SELECT count(*)::int AS n, (SELECT count(*) FROM j)::int AS taken, (SELECT max(seq) FROM j)::text AS last FROM w`,
    params,
  );
  return { written: rows[0]?.n ?? 0, taken: rows[0]?.taken ?? 0, last: rows[0]?.last ?? null };
}
