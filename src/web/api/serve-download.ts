// The .torrent an API client downloads: the same file and the same rules as the web download
// (src/web/releases/routes.ts): the member's passkey in every announce URL, refused for a
// deleted release (except for staff) and while download rights are withdrawn, except for
// what the member uploaded, finished or is seeding.
import type { FastifyInstance } from 'fastify';
import { canDownloadRelease, canSeeDeletedReleases } from '../guards.js';
import { buildDownload, type Download } from '../releases/build-download.js';
import { findReleaseForDownload, hasSnatchedOrSeeds } from '../releases/queries.js';
import { ApiProblem } from './problem.js';
import type { TokenMember } from './tokens.js';

export async function serveDownload(app: FastifyInstance, member: TokenMember, releaseId: number): Promise<Download> {
  const release = await findReleaseForDownload(app.db.prisma, releaseId);
  if (!release || (release.deletedAt && !canSeeDeletedReleases(member))) throw new ApiProblem('not_found', 'There is no release with that number.');
  const allowed = canDownloadRelease(member, release) || (await hasSnatchedOrSeeds(app.db.prisma, member.id, release.id));
  if (!allowed) throw new ApiProblem('download_forbidden', 'Your download rights are withdrawn: you may download only what you uploaded, finished or are seeding.');
  return buildDownload({ config: app.config, release, member });
}
