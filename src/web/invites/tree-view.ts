// The invite tree as nested nodes for views/partials/invite-tree.hbs (each node: the member,
// their ratio, and the members they invited), and totals a staff member reads at a glance.
import type { Locale } from '../../i18n/index.js';
import { formatRatio, ratioOf } from '../view-helpers.js';
import { MAX_NODES, type TreeRow } from './tree-queries.js';

export interface TreeNode {
  id: number;
  username: string;
  ratioText: string;
  ratioLow: boolean;
  enabled: boolean;
  canLeech: boolean;
  uploaded: bigint;
  downloaded: bigint;
  children: TreeNode[];
}

/** Below this ratio a node is marked: the lowest band of the default ratio table. */
const LOW_RATIO = 0.4;

function nodeOf(row: TreeRow, locale?: Locale): TreeNode {
  const ratio = ratioOf(row.uploaded, row.downloaded);
  return {
    id: row.id, username: row.username, enabled: row.enabled, canLeech: row.canLeech, uploaded: row.uploaded, downloaded: row.downloaded,
    ratioText: formatRatio(row.uploaded, row.downloaded, locale), ratioLow: ratio !== null && ratio < LOW_RATIO, children: [],
  };
}

/** `locale`: the reader's, for the ratios ("0,50"). */
export function buildInviteTree(rows: TreeRow[], locale?: Locale) {
  const truncated = rows.length > MAX_NODES;
  const kept = rows.slice(0, MAX_NODES);
  const nodes = new Map(kept.map((row) => [row.id, nodeOf(row, locale)]));
  for (const row of kept) {
    if (row.depth === 0 || row.invitedById === null) continue;
    nodes.get(row.invitedById)?.children.push(nodes.get(row.id)!);
  }
  const below = kept.filter((row) => row.depth > 0);
  return {
    root: kept.length > 0 ? nodes.get(kept[0].id)! : null,
    total: below.length,
    disabled: below.filter((row) => !row.enabled).length,
    lowRatio: below.filter((row) => nodes.get(row.id)!.ratioLow).length,
    deepest: below.reduce((max, row) => Math.max(max, row.depth), 0),
    truncated,
  };
}
