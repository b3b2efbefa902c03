// The details page's data: metadata, file tree, peers (addresses only for staff) and snatches.
import type { Database } from '../../db/client.js';
import { canSeeNameInSwarm } from '../guards.js';
import type { SessionUser } from '../session.js';
import { buildFileTree } from './file-tree.js';
import { listActivePeers, listReleaseFiles, listSnatches, type ReleaseDetails } from './queries.js';

const hex = (bytes: Uint8Array | null): string | null => (bytes ? Buffer.from(bytes).toString('hex') : null);

/** Share of the release a peer has, one decimal: left is what the client still needs. */
export function percentDone(size: bigint, left: bigint): string {
  if (size <= 0n) return '100';
  const have = size - (left > size ? size : left < 0n ? 0n : left);
  return (Number((have * 1000n) / size) / 10).toFixed(1).replace(/\.0$/, '');
}

type Peer = Awaited<ReturnType<typeof listActivePeers>>[number];

type Viewer = Pick<SessionUser, 'id' | 'role'>;

/**
 * A member's name and client show only to whom their privacy choice allows (staff see all);
 * others read "anonymous" and no client. The tracker's own peer lists never carry names.
 */
function peerView(peer: Peer, size: bigint, showAddresses: boolean, viewer: Viewer) {
  const named = canSeeNameInSwarm(viewer, peer.user);
  return {
    member: named ? { id: peer.user.id, username: peer.user.username } : null,
    client: named ? peer.client || 'unknown' : null,
    uploaded: peer.uploaded,
    downloaded: peer.downloaded,
    left: peer.left,
    percent: percentDone(size, peer.left),
    seeder: peer.seeder,
    lastAnnounceAt: peer.lastAnnounceAt,
    address: showAddresses ? [peer.ipv4, peer.ipv6].filter(Boolean).map((ip) => `${ip}:${peer.port}`).join(', ') : null,
  };
}

/**
 * `live`: the tracker's counts, the ones clients get. releases.seeders/leechers (browse) are
 * written every COUNTS_INTERVAL_MS and may be that much behind the peer list shown here.
 */
export async function detailsView(
  db: Pick<Database, 'prisma' | 'sql'>,
  release: ReleaseDetails,
  options: { showAddresses: boolean; live: { seeders: number; leechers: number }; viewer: Viewer },
) {
  const [files, peers, snatches] = await Promise.all([
    listReleaseFiles(db.prisma, release.id),
    listActivePeers(db.sql, release.id),
    listSnatches(db.sql, release.id),
  ]);
  return {
    release: {
      ...release,
      ...options.live,
      infoHashV1: hex(release.infoHashV1),
      infoHashV2: hex(release.infoHashV2),
      version: release.infoHashV1 && release.infoHashV2 ? 'hybrid (v1 + v2)' : release.infoHashV2 ? 'v2' : 'v1',
    },
    tree: buildFileTree(files),
    peers: peers.map((peer) => peerView(peer, release.size, options.showAddresses, options.viewer)),
    snatches: snatches.map(({ completedAt, user }) => ({ completedAt, user: canSeeNameInSwarm(options.viewer, user) ? { id: user.id, username: user.username } : null })),
    showAddresses: options.showAddresses,
  };
}
