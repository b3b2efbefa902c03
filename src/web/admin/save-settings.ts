// Save the admin settings page: site, ratio policy and tracker policy (pushed to the running
// tracker at once and kept for its next start). One log entry names the changed groups.
import type { FastifyInstance } from 'fastify';
import { logModeration } from '../../policy/moderation-log.js';
import { applyTrackerPolicy, loadPolicySettings, newMemberCredit, savePolicySettings } from '../../policy/store.js';
import type { Actor } from './action-target.js';
import type { SettingsValues } from './settings-form.js';
import { loadSiteSettings, saveSiteSettings } from './site-settings.js';

export async function loadSettingsValues(app: FastifyInstance): Promise<SettingsValues> {
  const policy = await loadPolicySettings(app.db.prisma);
  // Until an admin saves it, the credit shown is the one registration uses (the environment's).
  policy.newMemberCreditGiB = Number(await newMemberCredit(app.db.prisma, app.config)) / 1024 ** 3;
  const site = await loadSiteSettings(app);
  const { clientDeny, clientAllow, announceInterval, minInterval, maxPeersPerMember, maxPeersPerRelease } = app.tracker.policy();
  const tracker = { clientDeny: [...clientDeny], clientAllow: [...clientAllow], announceInterval, minInterval, maxPeersPerMember, maxPeersPerRelease };
  return { site, policy, tracker };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export async function saveSettings(options: { app: FastifyInstance; actor: Actor; values: SettingsValues; reason: string }): Promise<string[]> {
  const { app, actor, values, reason } = options;
  const before = await loadSettingsValues(app);
  const changed = (['site', 'policy', 'tracker'] as const).filter((group) => !same(before[group], values[group]));
  if (changed.includes('site')) await saveSiteSettings(app, values.site);
  if (changed.includes('policy')) await savePolicySettings(app.db.prisma, values.policy);
  if (changed.includes('tracker')) await applyTrackerPolicy(app, values.tracker);
  if (changed.length > 0) {
    await logModeration(app.db.prisma, {
      actorId: actor.id,
      action: 'settings_change',
      reason,
      details: Object.fromEntries(changed.map((g) => [g, { from: before[g], to: values[g] }])),
      at: new Date(app.clock.now()),
    });
  }
  return changed;
}
