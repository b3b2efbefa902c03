// The staff forms' parsing, with no database: byte amounts, the settings form and its
// round trip, and the SVG chart's escaping.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { translator } from '../../src/i18n/index.js';
import { defaultSettings } from '../../src/settings.js';
import type { Problem } from '../../src/settings-kinds.js';
import { parseByteAmount, requireReason } from '../../src/web/admin/form.js';
import { formGroups, parseSettingsForm, settingsToForm, textFields, type FormValues } from '../../src/web/admin/settings-form.js';

const GIB = 1024n ** 3n;

/** A problem as an English reader sees it beside the field. */
const say = (problem: Problem): string => translator('en')(problem.key, problem.params);

describe('byte amounts', () => {
  it('reads bytes and binary units, with decimals', () => {
    assert.equal(parseByteAmount('123'), 123n);
    assert.equal(parseByteAmount('1.5 GiB'), (3n * GIB) / 2n);
    assert.equal(parseByteAmount('500mib'), 500n * 1024n * 1024n);
    assert.equal(parseByteAmount('2 TB'), 2n * 1024n * GIB);
  });
  it('refuses anything else', () => {
    for (const bad of ['', 'lots', '-5', '1e9', '1.5 XB', '12 GiB extra']) assert.equal(parseByteAmount(bad), null, bad);
  });
});

describe('reasons', () => {
  it('needs 3 to 500 characters, named for its field', () => {
    assert.throws(() => requireReason({ 'warn-reason': ' a ' }, 'warn-reason'), (e: Error & { field?: string }) => e.field === 'warn-reason');
    assert.throws(() => requireReason({ reason: 'x'.repeat(501) }), (e: Error & { params?: Record<string, unknown> }) => /under 500/.test(translator('en')(e.message, e.params)));
    assert.equal(requireReason({ reason: '  spam  ' }), 'spam');
  });
});

describe('settings form', () => {
  const all = defaultSettings({ siteName: 'seedkeep', announceInterval: 1800, minInterval: 300, newMemberCredit: 5n * 1024n ** 3n });
  const { site, policy, tracker } = formGroups({ ...all, registrationMode: 'invite', clientDeny: ['-XL', '-SD'] });
  const values: FormValues = { ...site, ...policy, ...tracker };

  it('round-trips the current settings through the form', () => {
    const parsed = parseSettingsForm(settingsToForm(values));
    assert.deepEqual(parsed.errors, {});
    assert.deepEqual(parsed.values, values);
  });

  it('holds the site, policy and tracker groups, not the settings set elsewhere', () => {
    assert.deepEqual(Object.keys(site), ['registrationMode', 'inviteExpiryDays', 'invitesForNewMembers', 'defaultLocale', 'staffTwoFactor', 'siteName', 'sourceTag', 'commentEditMinutes', 'descriptionImages']);
    assert.deepEqual(Object.keys(tracker).sort(), ['announceInterval', 'clientAllow', 'clientDeny', 'maxPeersPerMember', 'maxPeersPerRelease', 'minInterval']);
    assert.ok(!('siteFreeleech' in values) && !('numwantCap' in values));
  });

  it('draws a text field per entry in its fieldset, with the typed value and its problem', () => {
    const parsed = parseSettingsForm({ ...settingsToForm(values), hnrMaxMarks: '1.5', minInterval: '4000' });
    const english = translator('en');
    const said = Object.fromEntries(Object.entries(parsed.errors).map(([field, p]) => [field, english(p.key, p.params)]));
    const fields = textFields(parsed.form, said, (key) => english(key));
    assert.deepEqual(fields.hnr.map((f) => f.id), ['hnrMinPercent', 'hnrSeedHours', 'hnrWindowDays', 'hnrMaxMarks']);
    assert.deepEqual(fields.hnr[3], { id: 'hnrMaxMarks', label: 'Active marks that withdraw download rights', hint: '0 never withdraws.', value: '1.5', error: 'Enter a whole number.' });
    assert.equal(fields.tracker.find((f) => f.id === 'minInterval')?.error, 'Enter whole seconds, at most the announce interval.');
    assert.equal(parsed.values, null);
  });

  it('reads the peer caps as whole numbers within their bounds, naming each bad one', () => {
    const ok = parseSettingsForm({ ...settingsToForm(values), maxPeersPerMember: '25000', maxPeersPerRelease: '5' });
    assert.equal(ok.values?.maxPeersPerMember, 25_000);
    assert.equal(ok.values?.maxPeersPerRelease, 5);
    const bad = parseSettingsForm({ ...settingsToForm(values), maxPeersPerMember: '0', maxPeersPerRelease: 'lots' });
    assert.equal(bad.values, null);
    assert.ok(bad.errors.maxPeersPerMember);
    assert.ok(bad.errors.maxPeersPerRelease);
    assert.ok(parseSettingsForm({ ...settingsToForm(values), maxPeersPerRelease: '1001' }).errors.maxPeersPerRelease);
  });

  it('ignores empty table rows and names a half-filled one', () => {
    const form = { ...settingsToForm(values), band_from_11: '200', band_max_11: '', band_min_11: '' };
    assert.match(say(parseSettingsForm(form).errors.ratioTable), /Row 12: fill in all three/);
  });

  it('refuses a table whose first band does not start at 0', () => {
    const form = { ...settingsToForm(values), band_from_0: '1' };
    assert.match(say(parseSettingsForm(form).errors.ratioTable), /start at 0 GiB/);
  });
});
