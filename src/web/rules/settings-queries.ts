// Every live setting /rules and /faq show, read through the settings module (src/settings.ts)
// and the tracker's running policy: the one place the rules pages touch settings.
import type { FastifyInstance } from 'fastify';
import type { PolicySettings, SettingValues } from '../../settings.js';
import type { TrackerPolicy } from '../../tracker/core/tracker-policy.js';
import type { EconomySettings } from './economy-rules.js';

export interface LiveRules {
  /** ratio table, watch, hit-and-run and bonus numbers */
  policy: PolicySettings;
  /** registration mode and invites */
  site: Pick<SettingValues, 'registrationMode' | 'inviteExpiryDays' | 'invitesForNewMembers'>;
  /** client lists, intervals and the site-wide freeleech switch, as the tracker runs them now */
  tracker: Readonly<TrackerPolicy>;
  /** when a timed site-wide freeleech ends; null when it is off or open-ended */
  siteFreeleechUntil: Date | null;
  /** classes, the shop, tokens and requests */
  economy: EconomySettings;
}

export async function loadLiveRules(app: FastifyInstance): Promise<LiveRules> {
  const values = app.settings.all();
  return { policy: values, site: values, tracker: app.tracker.policy(), siteFreeleechUntil: values.siteFreeleechUntil, economy: values };
}
