import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { translator } from '../../src/i18n/index.js';
import { ratioTableProblem } from '../../src/policy/ratio-table.js';
import { decodeSettings, defaultSettings, SETTINGS, settingProblems, trackerPolicyOf } from '../../src/settings.js';
import { DEFAULT_CLIENT_DENY } from '../../src/tracker/core/tracker-policy.js';

const englishOf = (problem: { key: string; params?: Record<string, unknown> } | null): string => (problem ? translator('en')(problem.key, problem.params) : '');

const config = { siteName: 'example', announceInterval: 900, minInterval: 120, newMemberCredit: 3n * 1024n ** 3n };
const DEFAULTS = defaultSettings(config);
const decode = (rows: Record<string, unknown>) => decodeSettings(new Map(Object.entries(rows)), config);

describe('settings', () => {
  it('starts from the defaults, environment values included', () => {
    assert.equal(DEFAULTS.registrationMode, 'open');
    assert.equal(DEFAULTS.siteName, 'example');
    assert.equal(DEFAULTS.sourceTag, 'example', 'the source tag follows the site name until saved');
    assert.equal(DEFAULTS.announceInterval, 900);
    assert.equal(DEFAULTS.minInterval, 120);
    assert.equal(DEFAULTS.newMemberCreditGiB, 3);
    assert.deepEqual(DEFAULTS.clientDeny, [...DEFAULT_CLIENT_DENY]);
    assert.equal(DEFAULTS.siteFreeleechUntil, null);
  });

  it('reads the stored rows: fields of `site`, `ratio_policy` and `tracker_policy`, and rows of their own', () => {
    const values = decode({
      site: { registrationMode: 'invite', inviteExpiryDays: 3 },
      site_name: 'Named',
      source_tag: 'TAG',
      ratio_policy: { watchDays: 7, newMemberCreditGiB: 1 },
      tracker_policy: { siteFreeleech: true, clientAllow: ['-qB'], announceInterval: 600, numwantCap: 900 },
      site_freeleech_until: { until: '2026-12-24T00:00:00.000Z' },
    });
    assert.equal(values.registrationMode, 'invite');
    assert.equal(values.inviteExpiryDays, 3);
    assert.equal(values.invitesForNewMembers, 0);
    assert.equal(values.siteName, 'Named');
    assert.equal(values.sourceTag, 'TAG');
    assert.equal(values.watchDays, 7);
    assert.equal(values.newMemberCreditGiB, 1);
    assert.equal(values.siteFreeleech, true);
    assert.deepEqual(values.clientAllow, ['-qB']);
    assert.equal(values.numwantCap, 500, 'a stored cap above 500 reads as 500');
    assert.equal(values.siteFreeleechUntil?.toISOString(), '2026-12-24T00:00:00.000Z');
    assert.deepEqual(trackerPolicyOf(values), { siteFreeleech: true, clientDeny: [...DEFAULT_CLIENT_DENY], clientAllow: ['-qB'], announceInterval: 600, minInterval: 120, numwantDefault: 50, numwantCap: 500, maxPeersPerMember: 10_000, maxPeersPerRelease: 3, maxBaselinesPerRelease: 8, downloadSlots: { User: 0, Member: 0, 'Power User': 0, Elite: 0, 'Torrent Master': 0 } });
  });

  it('falls back to the default for a missing or broken stored value, field by field', () => {
    assert.deepEqual(decode({ ratio_policy: 'junk', site: null, tracker_policy: [1, 2] }), DEFAULTS);
    const values = decode({ ratio_policy: { watchDays: 7, watchAllowanceGiB: -1, hnrMaxMarks: 2.5, bonusPerHour: 3 }, site_freeleech_until: { until: 'soon' } });
    assert.equal(values.watchDays, 7);
    assert.equal(values.watchAllowanceGiB, DEFAULTS.watchAllowanceGiB);
    assert.equal(values.hnrMaxMarks, DEFAULTS.hnrMaxMarks);
    assert.equal(values.bonusPerHour, 3);
    assert.equal(values.siteFreeleechUntil, null);
  });

  it('accepts a valid custom ratio table and refuses a non-ascending one', () => {
    const table = [{ fromGiB: 0, max: 0, min: 0 }, { fromGiB: 1, max: 1, min: 0.5 }];
    assert.deepEqual(decode({ ratio_policy: { ratioTable: table } }).ratioTable, table);
    const bad = [{ fromGiB: 0, max: 0, min: 0 }, { fromGiB: 0, max: 1, min: 0.5 }];
    assert.deepEqual(decode({ ratio_policy: { ratioTable: bad } }).ratioTable, DEFAULTS.ratioTable);
  });

  it('names the problem with a table', () => {
    assert.match(englishOf(ratioTableProblem([])), /at least one band/);
    assert.match(englishOf(ratioTableProblem([{ fromGiB: 1, max: 0, min: 0 }])), /start at 0 GiB/);
    assert.match(englishOf(ratioTableProblem([{ fromGiB: 0, max: 0.1, min: 0.2 }])), /Band 1/);
    assert.equal(ratioTableProblem(DEFAULTS.ratioTable), null);
  });

  it('checks a value against the others: the minimum interval is at most the announce interval', () => {
    assert.deepEqual(settingProblems(DEFAULTS), {});
    const say = (problem: { key: string; params?: Record<string, unknown> }) => translator('en')(problem.key, problem.params);
    assert.match(say(settingProblems({ ...DEFAULTS, minInterval: 1000 }, ['minInterval']).minInterval!), /at most the announce interval/);
    assert.match(say(settingProblems({ ...DEFAULTS, clientDeny: ['has space'] }, ['clientDeny']).clientDeny!), /"has space" is not a peer_id prefix/);
  });

  it('gives every entry a default that passes its own check', () => {
    for (const key of Object.keys(SETTINGS) as (keyof typeof SETTINGS)[]) assert.equal(settingProblems(DEFAULTS, [key])[key], undefined, key);
  });
});
