// Set the traffic rule (normal, freeleech, neutral, double upload) of one or many releases.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import type { FreeleechMode } from '../../generated/prisma/client.js';
import { logModeration } from '../../policy/moderation-log.js';
import { notifyMatchingFilters } from '../notifications/match-upload.js';
import type { Actor } from './action-target.js';

export const FREELEECH_MODES: FreeleechMode[] = ['normal', 'freeleech', 'neutral', 'double_upload'];

export async function setReleaseFreeleech(options: { app: FastifyInstance; actor: Actor; releaseIds: number[]; mode: string; reason: string }): Promise<number> {
  const { app, actor, reason } = options;
  const mode = FREELEECH_MODES.find((m) => m === options.mode);
  if (!mode) throw AppError.badRequest('admin.errors.chooseMode', 'mode');
  const ids = [...new Set(options.releaseIds)];
  if (ids.length === 0) throw AppError.badRequest('admin.errors.tickOne', 'ids');
  if (ids.length > 500) throw AppError.badRequest('admin.errors.tooManyReleases', 'ids', { max: 500 });
  const now = new Date(app.clock.now());
  const found = await app.db.prisma.release.findMany({ where: { id: { in: ids } }, select: { id: true } });
  await app.db.prisma.$transaction(async (tx) => {
    await tx.release.updateMany({ where: { id: { in: found.map((r) => r.id) } }, data: { freeleech: mode } });
    for (const r of found) await logModeration(tx, { actorId: actor.id, releaseId: r.id, action: 'set_freeleech', reason, details: { mode }, at: now });
  });
  for (const r of found) await app.tracker.syncRelease(r.id);
  // filters asking for freeleech only learn of a release when it becomes free, not only at upload
  if (mode === 'freeleech' || mode === 'neutral') for (const r of found) await notifyMatchingFilters(app.db.prisma, r.id, now.getTime());
  return found.length;
}
