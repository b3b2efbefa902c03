// The journals' checkpoint pace (src/tracker/journal-pace.ts): when the checkpoint stops
// yielding to the next flush, and when a checkpoint that goes on to the end may write the
// ledger between two parts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JournalPace } from '../../src/tracker/journal-pace.js';

describe('the journal checkpoint pace', () => {
  it('is behind once more rows wait than the bound, and not once parts applied them', () => {
    const pace = new JournalPace(10);
    pace.appended(10);
    assert.equal(pace.behind, false);
    pace.appended(3);
    assert.equal(pace.behind, true);
    pace.took(2);
    pace.took(2);
    assert.equal(pace.behind, false);
    assert.equal(pace.backlog, 9);
  });

  it('writes the ledger between two parts only after they applied what the last such write appended', async () => {
    const pace = new JournalPace(10);
    pace.restart();
    assert.equal(pace.repaid, true, 'nothing owed when a checkpoint begins');
    await pace.writeBetween(async () => pace.appended(5));
    assert.equal(pace.repaid, false);
    pace.took(2);
    pace.took(2);
    assert.equal(pace.repaid, false, '4 of 5 rows applied');
    pace.took(2);
    assert.equal(pace.repaid, true);
  });

  it('never counts below nothing, and is emptied when another reader applied the rows', () => {
    const pace = new JournalPace(10);
    pace.appended(20);
    pace.took(25);
    assert.equal(pace.backlog, 0);
    pace.appended(20);
    pace.emptied();
    assert.equal(pace.behind, false);
  });
});
