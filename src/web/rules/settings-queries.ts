// Every live setting /rules and /faq show, read through the settings code that owns it. This
// is the one place the rules pages touch settings: re-point it when the settings move.
import type { FastifyInstance } from 'fastify';
import type { PolicySettings } from '../../policy/settings.js';
import { loadPolicySettings, readSiteFreeleechUntil } from '../../policy/store.js';
import type { TrackerPolicy } from '../../tracker/policy.js';
import { getSiteSettings, type SiteSettings } from '../settings.js';

export interface LiveRules {
  /** ratio table, watch, hit-and-run and bonus numbers */
  policy: PolicySettings;
  /** registration mode and invites */
  site: SiteSettings;
  /** client lists, intervals and the site-wide freeleech switch, as the tracker runs them now */
  tracker: Readonly<TrackerPolicy>;
  /** when a timed site-wide freeleech ends; null when it is off or open-ended */
  siteFreeleechUntil: Date | null;
}

export async function loadLiveRules(app: FastifyInstance): Promise<LiveRules> {
  const prisma = app.db.prisma;
  const [policy, site, siteFreeleechUntil] = await Promise.all([
    loadPolicySettings(prisma),
    getSiteSettings(prisma),
    readSiteFreeleechUntil(prisma),
  ]);
  return { policy, site, tracker: app.tracker.policy(), siteFreeleechUntil };
}
