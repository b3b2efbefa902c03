// Save the admin settings page. Each group (site, policy, tracker) with a change is stored
// whole, as one update of the settings (the tracker follows at once); one log entry names the
// changed groups with their values before and after.
import type { FastifyInstance } from 'fastify';
import { logModeration } from '../../policy/moderation-log.js';
import type { SettingGroup } from '../../settings-kinds.js';
import type { Actor } from './action-target.js';
import { formGroups, type FormValues } from './settings-form.js';

const GROUPS: readonly SettingGroup[] = ['site', 'policy', 'tracker'];
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export async function saveSettings(options: { app: FastifyInstance; actor: Actor; values: FormValues; reason: string }): Promise<SettingGroup[]> {
  const { app, actor, reason } = options;
  const before = formGroups(app.settings.all());
  const after = formGroups({ ...app.settings.all(), ...options.values });
  const changed = GROUPS.filter((group) => !same(before[group], after[group]));
  if (changed.length === 0) return changed;
  await app.settings.update(Object.assign({}, ...changed.map((group) => after[group])) as FormValues);
  await logModeration(app.db.prisma, {
    actorId: actor.id,
    action: 'settings_change',
    reason,
    details: Object.fromEntries(changed.map((g) => [g, { from: before[g], to: after[g] }])),
    at: new Date(app.clock.now()),
  });
  return changed;
}
