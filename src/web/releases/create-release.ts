// Upload: parse and normalise the .torrent (private=1, our source tag: the info hash changes,
// which is why the uploader must download their own copy to seed), refuse duplicates by any
// hash, then store the release and its files in one transaction and tell the tracker at once.
// Parsing (CPU work) happens before the transaction, never inside it.
import { AppError } from '../../errors.js';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';
import { parseTorrent, type ParsedTorrent } from '../../torrents/index.js';
import type { TrackerService } from '../../tracker/service.js';
import type { MediaIds } from '../api/media-ids.js';
import { notifyMatchingFilters } from '../notifications/match-upload.js';
import { findReleaseByHashes } from './queries.js';

export interface CreateReleaseOptions {
  prisma: PrismaClient;
  tracker: Pick<TrackerService, 'syncRelease'>;
  uploaderId: number;
  categoryId: number;
  torrent: Buffer;
  description: string;
  /** replaces the torrent's own name on the site (the files keep theirs) */
  name?: string;
  /** optional IMDb/TMDB/TVDB ids, already checked (src/web/api/media-ids.ts) */
  mediaIds?: MediaIds;
  /** the .nfo's text, already read (src/web/releases/nfo.ts) */
  nfo?: string | null;
  /** the `source` tag written into info (the sourceTag setting) */
  source: string;
  maxBytes: number;
  now: Date;
}

/** The torrent is already on the site; the form links to it. */
export class DuplicateReleaseError extends AppError {
  readonly existingId: number;
  readonly existingName: string;

  constructor(existingId: number, existingName: string) {
    super(409, `Already uploaded: ${existingName}`, 'torrent');
    this.existingId = existingId;
    this.existingName = existingName;
    this.name = 'DuplicateReleaseError';
  }
}

/** Prisma's Bytes are plain Uint8Arrays over an ArrayBuffer. */
export const toBytes = (buffer: Buffer): Uint8Array<ArrayBuffer> => new Uint8Array(buffer);

async function refuseDuplicate(prisma: PrismaClient, parsed: ParsedTorrent): Promise<void> {
  const existing = await findReleaseByHashes(prisma, { infoHashV1: parsed.infoHashV1, infoHashV2: parsed.infoHashV2 });
  if (existing) throw new DuplicateReleaseError(existing.id, existing.name);
}

async function insertRelease(options: CreateReleaseOptions, parsed: ParsedTorrent): Promise<number> {
  const name = options.name?.trim() || parsed.name;
  return options.prisma.$transaction(async (tx) => {
    const release = await tx.release.create({
      data: {
        infoHashV1: parsed.infoHashV1 ? toBytes(parsed.infoHashV1) : null,
        infoHashV2: parsed.infoHashV2 ? toBytes(parsed.infoHashV2) : null,
        infoHashV2Short: parsed.infoHashV2Short ? toBytes(parsed.infoHashV2Short) : null,
        name: name.slice(0, 255),
        description: options.description,
        size: BigInt(parsed.size),
        pieceLength: Number(parsed.pieceLength),
        fileCount: parsed.files.length,
        uploaderId: options.uploaderId,
        categoryId: options.categoryId,
        ...options.mediaIds,
        nfo: options.nfo ?? null,
        torrentFile: toBytes(parsed.stored),
        createdAt: options.now,
        updatedAt: options.now,
      },
      select: { id: true },
    });
    await tx.releaseFile.createMany({
      data: parsed.files.map((file) => ({ releaseId: release.id, path: file.path, size: BigInt(file.size) })),
    });
    return release.id;
  });
}

export async function createRelease(options: CreateReleaseOptions): Promise<{ id: number; parsed: ParsedTorrent }> {
  const parsed = parseTorrent(options.torrent, { source: options.source, maxBytes: options.maxBytes });
  await refuseDuplicate(options.prisma, parsed);
  let id: number;
  try {
    id = await insertRelease(options, parsed);
  } catch (error) {
    // Two uploads of the same torrent at once: the unique hash indexes decide, the loser is told.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') await refuseDuplicate(options.prisma, parsed);
    throw error;
  }
  await options.tracker.syncRelease(id);
  // saved searches are matched here, so uploads from the form and from the API both notify
  await notifyMatchingFilters(options.prisma, id, options.now.getTime());
  return { id, parsed };
}
