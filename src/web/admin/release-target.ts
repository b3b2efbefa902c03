// Release edits end by telling the tracker (freeleech mode, deletion with its reason).
import type { FastifyInstance } from 'fastify';
import type { FreeleechMode } from '../../generated/prisma/client.js';

export const FREELEECH_MODES: FreeleechMode[] = ['normal', 'freeleech', 'neutral', 'double_upload'];

export async function syncTrackerRelease(app: FastifyInstance, id: number): Promise<void> {
  const r = await app.db.prisma.release.findUnique({
    where: { id },
    select: { id: true, infoHashV1: true, infoHashV2Short: true, freeleech: true, deletedAt: true, deleteReason: true },
  });
  if (!r) return;
  app.tracker.catalog.setRelease({
    id: r.id,
    infoHashV1: r.infoHashV1 ? Buffer.from(r.infoHashV1) : null,
    infoHashV2Short: r.infoHashV2Short ? Buffer.from(r.infoHashV2Short) : null,
    freeleech: r.freeleech,
    deletedReason: r.deletedAt ? (r.deleteReason ?? '') : null,
  });
}
