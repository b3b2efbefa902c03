// The staff forms' parsing, with no database: byte amounts, the settings form and its
// round trip, and the SVG chart's escaping.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_POLICY_SETTINGS } from '../../src/policy/settings.js';
import { parseByteAmount, requireReason } from '../../src/web/admin/form.js';
import { renderLineChart } from '../../src/web/admin/line-chart.js';
import { parseSettingsForm, settingsToForm, type SettingsValues } from '../../src/web/admin/settings-form.js';

const GIB = 1024n ** 3n;

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
    assert.throws(() => requireReason({ reason: 'x'.repeat(501) }), /under 500/);
    assert.equal(requireReason({ reason: '  spam  ' }), 'spam');
  });
});

describe('settings form', () => {
  const values: SettingsValues = {
    site: { registrationMode: 'invite', inviteExpiryDays: 7, invitesForNewMembers: 0, siteName: 'seedkeep', sourceTag: 'seedkeep' },
    policy: { ...DEFAULT_POLICY_SETTINGS, ratioTable: DEFAULT_POLICY_SETTINGS.ratioTable.map((b) => ({ ...b })) },
    tracker: { clientDeny: ['-XL', '-SD'], clientAllow: [], announceInterval: 1800, minInterval: 300, maxPeersPerMember: 10_000, maxPeersPerRelease: 3 },
  };

  it('round-trips the current settings through the form', () => {
    const parsed = parseSettingsForm(settingsToForm(values));
    assert.deepEqual(parsed.errors, {});
    assert.deepEqual(parsed.values, values);
  });

  it('reads the peer caps as whole numbers within their bounds, naming each bad one', () => {
    const ok = parseSettingsForm({ ...settingsToForm(values), maxPeersPerMember: '25000', maxPeersPerRelease: '5' });
    assert.equal(ok.values?.tracker.maxPeersPerMember, 25_000);
    assert.equal(ok.values?.tracker.maxPeersPerRelease, 5);
    const bad = parseSettingsForm({ ...settingsToForm(values), maxPeersPerMember: '0', maxPeersPerRelease: 'lots' });
    assert.equal(bad.values, null);
    assert.ok(bad.errors.maxPeersPerMember);
    assert.equal(bad.errors.maxPeersPerRelease, 'Enter a whole number.');
    assert.ok(parseSettingsForm({ ...settingsToForm(values), maxPeersPerRelease: '1001' }).errors.maxPeersPerRelease);
  });

  it('ignores empty table rows and names a half-filled one', () => {
    const form = { ...settingsToForm(values), band_from_11: '200', band_max_11: '', band_min_11: '' };
    assert.match(parseSettingsForm(form).errors.ratioTable, /Row 12: fill in all three/);
  });

  it('refuses a table whose first band does not start at 0', () => {
    const form = { ...settingsToForm(values), band_from_0: '1' };
    assert.match(parseSettingsForm(form).errors.ratioTable, /start at 0 GiB/);
  });
});

describe('line chart', () => {
  it('escapes labels and says when there is no data', () => {
    const svg = renderLineChart({ series: [{ label: '<script>x</script>', points: [{ x: new Date(0), y: 1 }, { x: new Date(86400_000), y: 3 }] }] });
    assert.doesNotMatch(svg, /<script>/);
    assert.match(svg, /&#60;script&#62;/);
    assert.match(renderLineChart({ series: [{ label: 'a', points: [] }] }), /No data yet/);
  });
});
