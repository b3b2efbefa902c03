// Admins: the settings page (/admin/settings): registration, ratio rules, hit-and-run, bonus,
// tracker client lists and timing, site name and source tag.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { canEditSettings } from '../guards.js';
import { flash, render } from '../render.js';
import { requireReason, type FormBody } from './form.js';
import { LANGUAGE_NAMES, LOCALES } from '../../i18n/index.js';
import { REGISTRATION_MODES, STAFF_TWO_FACTOR } from '../../settings.js';
import type { Problem, SettingGroup } from '../../settings-kinds.js';
import { saveSettings } from './save-settings.js';
import { parseSettingsForm, settingsToForm, TABLE_ROWS, textFields } from './settings-form.js';
import { requireAllowed, requireStaff } from './staff-guard.js';

const MODE_LABELS = { open: 'admin.settings.registration.open', invite: 'admin.settings.registration.invite', closed: 'admin.settings.registration.closed' };
const STAFF_TWO_FACTOR_LABELS = { optional: 'admin.settings.staffTwoFactor.optional', required: 'admin.settings.staffTwoFactor.required' };
const GROUP_NAMES: Record<SettingGroup, string> = { site: 'admin.settings.groups.site', policy: 'admin.settings.groups.policy', tracker: 'admin.settings.groups.tracker' };

function renderSettings(request: FastifyRequest, reply: FastifyReply, form: Record<string, string>, problems: Record<string, Problem>) {
  const errors = Object.fromEntries(Object.entries(problems).map(([field, problem]) => [field, request.t(problem.key, problem.params)]));
  const rows = Array.from({ length: TABLE_ROWS }, (_, i) => ({
    i, n: i + 1, from: form[`band_from_${i}`] ?? '', max: form[`band_max_${i}`] ?? '', min: form[`band_min_${i}`] ?? '',
  }));
  const hasErrors = Object.keys(problems).length > 0;
  if (hasErrors) reply.code(400);
  return render(request, reply, 'pages/admin/settings', {
    title: request.t('admin.settings.title'),
    form, errors, hasErrors, rows,
    fields: textFields(form, errors, (key) => request.t(key)),
    modes: REGISTRATION_MODES.map((m) => ({ value: m, label: request.t(MODE_LABELS[m]), selected: m === form.registrationMode })),
    locales: LOCALES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l], selected: l === form.defaultLocale })),
    staffTwoFactor: STAFF_TWO_FACTOR.map((m) => ({ value: m, label: request.t(STAFF_TWO_FACTOR_LABELS[m]), selected: m === form.staffTwoFactor })),
  });
}

async function settingsPage(request: FastifyRequest, reply: FastifyReply) {
  const user = requireStaff(request);
  requireAllowed(canEditSettings(user), 'admin.errors.adminsSettings');
  return renderSettings(request, reply, settingsToForm(request.server.settings.all()), {});
}

async function settingsSave(request: FastifyRequest, reply: FastifyReply) {
  const actor = requireStaff(request);
  requireAllowed(canEditSettings(actor), 'admin.errors.adminsSettings');
  const body = (request.body ?? {}) as FormBody;
  const parsed = parseSettingsForm(body);
  let reason = '';
  try {
    reason = requireReason(body, 'settings-reason');
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    parsed.errors['settings-reason'] = { key: error.message, params: error.params };
  }
  parsed.form['settings-reason'] = typeof body['settings-reason'] === 'string' ? body['settings-reason'] : '';
  if (!parsed.values || parsed.errors['settings-reason']) return renderSettings(request, reply, parsed.form, parsed.errors);
  const changed = await saveSettings({ app: request.server, actor, values: parsed.values, reason });
  const groups = changed.map((group) => request.t(GROUP_NAMES[group])).join(', ');
  flash(reply, changed.length > 0 ? request.t('admin.settings.saved', { groups }) : request.t('admin.settings.nothingChanged'));
  return reply.redirect('/admin/settings', 303);
}

export async function settingsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/admin/settings', settingsPage);
  app.post('/admin/settings', settingsSave);
}
