import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_POLICY_SETTINGS, ratioTableProblem, sanitizePolicySettings } from '../../src/policy/settings.js';

describe('policy settings', () => {
  it('falls back to the defaults for a missing or broken stored value', () => {
    assert.deepEqual(sanitizePolicySettings(null), DEFAULT_POLICY_SETTINGS);
    assert.deepEqual(sanitizePolicySettings('junk'), DEFAULT_POLICY_SETTINGS);
  });

  it('keeps valid fields and replaces invalid ones one by one', () => {
    const s = sanitizePolicySettings({ watchDays: 7, watchAllowanceGiB: -1, hnrMaxMarks: 2.5, bonusPerHour: 3 });
    assert.equal(s.watchDays, 7);
    assert.equal(s.watchAllowanceGiB, DEFAULT_POLICY_SETTINGS.watchAllowanceGiB);
    assert.equal(s.hnrMaxMarks, DEFAULT_POLICY_SETTINGS.hnrMaxMarks);
    assert.equal(s.bonusPerHour, 3);
  });

  it('accepts a valid custom ratio table and refuses a non-ascending one', () => {
    const table = [{ fromGiB: 0, max: 0, min: 0 }, { fromGiB: 1, max: 1, min: 0.5 }];
    assert.deepEqual(sanitizePolicySettings({ ratioTable: table }).ratioTable, table);
    const bad = [{ fromGiB: 0, max: 0, min: 0 }, { fromGiB: 0, max: 1, min: 0.5 }];
    assert.deepEqual(sanitizePolicySettings({ ratioTable: bad }).ratioTable, DEFAULT_POLICY_SETTINGS.ratioTable);
  });

  it('names the problem with a table', () => {
    assert.match(ratioTableProblem([])!, /at least one band/);
    assert.match(ratioTableProblem([{ fromGiB: 1, max: 0, min: 0 }])!, /start at 0 GiB/);
    assert.match(ratioTableProblem([{ fromGiB: 0, max: 0.1, min: 0.2 }])!, /Band 1/);
    assert.equal(ratioTableProblem([...DEFAULT_POLICY_SETTINGS.ratioTable]), null);
  });
});
