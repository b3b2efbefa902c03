// Timed site-wide freeleech: every download is free until the end time; the policy job turns
// it off when that passes. 0 hours ends it now.
import type { FastifyInstance } from 'fastify';
import { logModeration } from '../../policy/moderation-log.js';
import type { Actor } from './action-target.js';

export async function setSiteFreeleech(options: { app: FastifyInstance; actor: Actor; hours: number; reason: string }): Promise<Date | null> {
  const { app, actor, hours, reason } = options;
  const now = app.clock.now();
  const until = hours > 0 ? new Date(now + hours * 3_600_000) : null;
  await app.settings.update({ siteFreeleechUntil: until, siteFreeleech: until !== null });
  await logModeration(app.db.prisma, {
    actorId: actor.id,
    action: until ? 'site_freeleech_start' : 'site_freeleech_end',
    reason,
    details: { until: until?.toISOString() ?? null, hours },
    at: new Date(now),
  });
  return until;
}
