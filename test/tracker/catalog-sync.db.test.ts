// The tracker service's catalog sync: after the web side or a job changes a member or a
// release, syncMember/syncRelease re-read the row and the next announce sees the change.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { addTrackedRelease } from '../helpers/admin.js';
import { createMember } from '../helpers/releases.js';

describe('catalog sync', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
    await createMember(t.app, 'founder');
  });
  after(() => t.close());

  it('learns a new passkey and forgets the old one, with the flags of the row', async () => {
    const member = await createMember(t.app, 'syncee');
    const catalog = t.app.tracker.catalog;
    assert.equal(catalog.userByPasskey(member.passkey)?.id, member.id, 'createUser told the tracker');
    const passkey = randomBytes(16).toString('hex');
    await t.db.prisma.user.update({ where: { id: member.id }, data: { passkey, canLeech: false } });
    assert.equal(catalog.userByPasskey(passkey), undefined, 'nothing changes before the sync');
    await t.app.tracker.syncMember(member.id);
    assert.equal(catalog.userByPasskey(member.passkey), undefined);
    const { perks, ...flags } = catalog.userByPasskey(passkey)!;
    assert.deepEqual(flags, { id: member.id, passkey, enabled: true, canLeech: false, locale: null });
    assert.deepEqual(perks, { userClass: 'User', freeleechUntil: 0, doubleUploadUntil: 0, tokens: new Map() });
  });

  it('forgets a member whose row is gone', async () => {
    const member = await createMember(t.app, 'leaver');
    await t.db.prisma.session.deleteMany({ where: { userId: member.id } });
    await t.db.prisma.user.delete({ where: { id: member.id } });
    await t.app.tracker.syncMember(member.id);
    assert.equal(t.app.tracker.catalog.userById(member.id), undefined);
  });

  it('follows a release through freeleech and deletion', async () => {
    const { id, hash } = await addTrackedRelease(t.app);
    const catalog = t.app.tracker.catalog;
    assert.equal(catalog.releaseByHash(hash)?.id, id);
    await t.db.prisma.release.update({ where: { id }, data: { freeleech: 'double_upload' } });
    await t.app.tracker.syncRelease(id);
    assert.equal(catalog.releaseByHash(hash)?.freeleech, 'double_upload');
    await t.db.prisma.release.update({ where: { id }, data: { deletedAt: new Date(), deleteReason: 'Dupe' } });
    await t.app.tracker.syncRelease(id);
    assert.equal(catalog.releaseByHash(hash)?.deletedReason, 'Dupe');
  });

  it('forgets a release whose row is gone', async () => {
    const { id, hash } = await addTrackedRelease(t.app);
    await t.db.prisma.releaseFile.deleteMany({ where: { releaseId: id } });
    await t.db.prisma.release.delete({ where: { id } });
    await t.app.tracker.syncRelease(id);
    assert.equal(t.app.tracker.catalog.releaseByHash(hash), undefined);
    assert.equal(t.app.tracker.catalog.releaseById(id), undefined);
  });
});
