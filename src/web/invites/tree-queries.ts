// The invite tree: who a member invited, and whom those invited, down to MAX_DEPTH levels and
// at most MAX_NODES members (a recursive query on users.invited_by_id, indexed), and the chain
// of inviters above a member.
import type { SqlDriver } from '../../db/driver.js';

export const MAX_DEPTH = 20;
export const MAX_NODES = 2000;

export interface TreeRow {
  id: number;
  username: string;
  invitedById: number | null;
  uploaded: bigint;
  downloaded: bigint;
  enabled: boolean;
  canLeech: boolean;
  depth: number;
}

interface RawRow {
  id: number; username: string; invited_by_id: number | null; uploaded: string; downloaded: string; enabled: boolean; can_leech: boolean; depth: number;
}

const toRow = (r: RawRow): TreeRow => ({
  id: Number(r.id), username: r.username, invitedById: r.invited_by_id === null ? null : Number(r.invited_by_id),
  uploaded: BigInt(r.uploaded), downloaded: BigInt(r.downloaded), enabled: r.enabled, canLeech: r.can_leech, depth: Number(r.depth),
});

/** The member (depth 0) and everyone below them, level by level, oldest first within a level. */
export async function listInviteTree(sql: SqlDriver, rootId: number, maxDepth = MAX_DEPTH): Promise<TreeRow[]> {
  const rows = await sql.query<RawRow>(
    `WITH RECURSIVE tree AS (
       SELECT id, 0 AS depth FROM users WHERE id = $1
       UNION ALL
       SELECT u.id, t.depth + 1 FROM users u JOIN tree t ON u.invited_by_id = t.id WHERE t.depth < $2
     )
     SELECT u.id, u.username, u.invited_by_id, u.uploaded::text AS uploaded, u.downloaded::text AS downloaded,
            u.enabled, u.can_leech, t.depth
       FROM tree t JOIN users u ON u.id = t.id
      ORDER BY t.depth, u.created_at, u.id
      LIMIT ${MAX_NODES + 1}`,
    [rootId, maxDepth],
  );
  return rows.map(toRow);
}

/** Who invited the member, who invited them, and so on (nearest first). */
export async function listInviters(sql: SqlDriver, userId: number): Promise<Array<{ id: number; username: string }>> {
  const rows = await sql.query<{ id: number; username: string }>(
    `WITH RECURSIVE up AS (
       SELECT invited_by_id AS id, 1 AS depth FROM users WHERE id = $1
       UNION ALL
       SELECT u.invited_by_id, up.depth + 1 FROM users u JOIN up ON u.id = up.id WHERE up.depth < ${MAX_DEPTH} AND u.invited_by_id IS NOT NULL
     )
     SELECT u.id, u.username FROM up JOIN users u ON u.id = up.id ORDER BY up.depth`,
    [userId],
  );
  return rows.map((r) => ({ id: Number(r.id), username: r.username }));
}
