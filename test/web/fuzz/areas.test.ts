// The web fuzz areas split the site between them: no page, path or form is driven twice.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AREAS } from '../../helpers/fuzz-areas.js';
import type { FuzzSite } from '../../helpers/fuzz.js';
import type { Member } from '../../helpers/releases.js';

const member = { id: 2, rssToken: 'member-feed' } as Member;
const admin = { id: 1, rssToken: 'admin-feed' } as Member;
const site = { admin, member, victim: { id: 3, rssToken: 'victim-feed' } as Member, releaseId: 4, community: { ticket: 5, victimTicket: 6, report: 7, comment: 8, news: 9 } } as FuzzSite;

function repeated(lists: string[][]): string[] {
  const all = lists.flat();
  return all.filter((item, index) => all.indexOf(item) !== index);
}

describe('web fuzz areas', () => {
  const areas = Object.values(AREAS);
  it('give each page to one area', () => {
    assert.deepEqual(repeated(areas.map((area) => area.pages(site))), []);
  });
  it('give each path with an id to one area', () => {
    assert.deepEqual(repeated(areas.map((area) => ('idPaths' in area ? area.idPaths('ID', site) : []))), []);
  });
  it('give each form to one area, for the member and for staff', () => {
    for (const who of [member, admin]) assert.deepEqual(repeated(areas.map((area) => area.forms(who, site))), []);
  });
});
