// The admin settings form: every field parsed and checked, with a message per field, and the
// current values turned back into form values. Pure: no database.
import { NUMERIC_LIMITS, numberProblem, ratioTableProblem, type PolicySettings } from '../../policy/settings.js';
import type { RatioBand } from '../../policy/ratio-table.js';
import { PEER_CAP_LIMITS, type TrackerPolicy } from '../../tracker/policy.js';
import { text, type FormBody } from './form.js';
import { REGISTRATION_MODES, type AdminSiteSettings } from './site-settings.js';

export const TABLE_ROWS = 12;

export type TrackerSettings = Pick<
  TrackerPolicy,
  'clientDeny' | 'clientAllow' | 'announceInterval' | 'minInterval' | 'maxPeersPerMember' | 'maxPeersPerRelease'
>;

export interface SettingsValues {
  site: AdminSiteSettings;
  policy: PolicySettings;
  tracker: TrackerSettings;
}

export interface ParsedSettings {
  values: SettingsValues | null;
  errors: Record<string, string>;
  /** what was typed, to put back in the form */
  form: Record<string, string>;
}

const NUMBER = /^-?\d+(\.\d+)?$/;

function parseTable(body: FormBody, form: Record<string, string>, errors: Record<string, string>): RatioBand[] {
  const bands: RatioBand[] = [];
  for (let i = 0; i < TABLE_ROWS; i++) {
    const cells = ['from', 'max', 'min'].map((c) => (form[`band_${c}_${i}`] = text(body, `band_${c}_${i}`)));
    if (cells.every((c) => c === '')) continue;
    if (!cells.every((c) => NUMBER.test(c))) {
      errors.ratioTable = `Row ${i + 1}: fill in all three numbers, or leave the row empty.`;
      continue;
    }
    bands.push({ fromGiB: Number(cells[0]), max: Number(cells[1]), min: Number(cells[2]) });
  }
  const problem = errors.ratioTable ? null : ratioTableProblem(bands);
  if (problem) errors.ratioTable = problem;
  return bands;
}

function parsePrefixes(raw: string, field: string, errors: Record<string, string>): string[] {
  const lines = raw.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const bad = lines.find((l) => l.length > 20 || !/^[\x21-\x7e]+$/.test(l));
  if (bad) errors[field] = `"${bad.slice(0, 30)}" is not a peer_id prefix (1-20 printable characters, no spaces).`;
  if (lines.length > 200) errors[field] = 'At most 200 prefixes.';
  return [...new Set(lines)];
}

function parseSite(body: FormBody, form: Record<string, string>, errors: Record<string, string>): AdminSiteSettings {
  const mode = (form.registrationMode = text(body, 'registrationMode'));
  const siteName = (form.siteName = text(body, 'siteName'));
  const sourceTag = (form.sourceTag = text(body, 'sourceTag'));
  const expiry = (form.inviteExpiryDays = text(body, 'inviteExpiryDays'));
  const starting = (form.invitesForNewMembers = text(body, 'invitesForNewMembers'));
  const registrationMode = REGISTRATION_MODES.find((m) => m === mode);
  if (!registrationMode) errors.registrationMode = 'Choose open, invite only or closed.';
  if (siteName.length < 1 || siteName.length > 64) errors.siteName = 'The site name is 1 to 64 characters.';
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(sourceTag)) errors.sourceTag = 'The source tag is 1 to 64 letters, digits, ".", "_" or "-".';
  const expiryProblem = /^\d+$/.test(expiry) ? numberProblem(Number(expiry), 1, 365, true) : 'Enter a whole number.';
  if (expiryProblem) errors.inviteExpiryDays = expiryProblem;
  const startingProblem = /^\d+$/.test(starting) ? numberProblem(Number(starting), 0, 1000, true) : 'Enter a whole number.';
  if (startingProblem) errors.invitesForNewMembers = startingProblem;
  return { registrationMode: registrationMode ?? 'open', siteName, sourceTag, inviteExpiryDays: Number(expiry), invitesForNewMembers: Number(starting) };
}

function parseTracker(body: FormBody, form: Record<string, string>, errors: Record<string, string>): TrackerSettings {
  const clientDeny = parsePrefixes((form.clientDeny = text(body, 'clientDeny')), 'clientDeny', errors);
  const clientAllow = parsePrefixes((form.clientAllow = text(body, 'clientAllow')), 'clientAllow', errors);
  const interval = (form.announceInterval = text(body, 'announceInterval'));
  const min = (form.minInterval = text(body, 'minInterval'));
  const announceInterval = Number(interval);
  const minInterval = Number(min);
  if (!/^\d+$/.test(interval) || announceInterval < 60 || announceInterval > 86400) errors.announceInterval = 'Enter whole seconds from 60 to 86400.';
  if (!/^\d+$/.test(min) || minInterval > announceInterval) errors.minInterval = 'Enter whole seconds, at most the announce interval.';
  const maxPeersPerMember = parsePeerCap(body, 'maxPeersPerMember', form, errors);
  const maxPeersPerRelease = parsePeerCap(body, 'maxPeersPerRelease', form, errors);
  return { clientDeny, clientAllow, announceInterval, minInterval, maxPeersPerMember, maxPeersPerRelease };
}

function parsePeerCap(body: FormBody, key: 'maxPeersPerMember' | 'maxPeersPerRelease', form: Record<string, string>, errors: Record<string, string>): number {
  const raw = (form[key] = text(body, key));
  const [min, max] = PEER_CAP_LIMITS[key];
  const problem = /^\d+$/.test(raw) ? numberProblem(Number(raw), min, max, true) : 'Enter a whole number.';
  if (problem) errors[key] = problem;
  return Number(raw);
}

export function parseSettingsForm(body: FormBody | undefined): ParsedSettings {
  const input = body ?? {};
  const form: Record<string, string> = {};
  const errors: Record<string, string> = {};
  const site = parseSite(input, form, errors);
  const tracker = parseTracker(input, form, errors);
  const ratioTable = parseTable(input, form, errors);
  const policy = { ratioTable } as PolicySettings;
  for (const [key, min, max, whole] of NUMERIC_LIMITS) {
    const raw = (form[key] = text(input, key));
    const problem = NUMBER.test(raw) ? numberProblem(Number(raw), min, max, whole) : 'Enter a number.';
    if (problem) errors[key] = problem;
    policy[key] = Number(raw);
  }
  return { values: Object.keys(errors).length === 0 ? { site, policy, tracker } : null, errors, form };
}

/** Current settings as form values (the inverse of parseSettingsForm). */
export function settingsToForm(values: SettingsValues): Record<string, string> {
  const form: Record<string, string> = {
    registrationMode: values.site.registrationMode,
    siteName: values.site.siteName,
    sourceTag: values.site.sourceTag,
    inviteExpiryDays: String(values.site.inviteExpiryDays),
    invitesForNewMembers: String(values.site.invitesForNewMembers),
    clientDeny: values.tracker.clientDeny.join('\n'),
    clientAllow: values.tracker.clientAllow.join('\n'),
    announceInterval: String(values.tracker.announceInterval),
    minInterval: String(values.tracker.minInterval),
    maxPeersPerMember: String(values.tracker.maxPeersPerMember),
    maxPeersPerRelease: String(values.tracker.maxPeersPerRelease),
  };
  for (const [key] of NUMERIC_LIMITS) form[key] = String(values.policy[key]);
  values.policy.ratioTable.forEach((band, i) => {
    form[`band_from_${i}`] = String(band.fromGiB);
    form[`band_max_${i}`] = String(band.max);
    form[`band_min_${i}`] = String(band.min);
  });
  return form;
}
