// Staff configure the economy: the class ladder and the shop (admins only, a reason, checked
// like every setting), the economy numbers on /admin/settings, perks given to a member, and the
// upload right that a class without the upload perk takes away from plain members.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { postForm } from '../helpers/admin.js';
import { createMember, type Member } from '../helpers/releases.js';
import { ladderToForm, shopToForm } from '../../src/web/admin/economy-forms.js';
import { settingsToForm } from '../../src/web/admin/settings-form.js';

let t: TestApp;
let admin: Member;
let moderator: Member;
let member: Member;

before(async () => {
  t = await buildTestApp();
  admin = await createMember(t.app, 'boss');
  moderator = await createMember(t.app, 'mod', 'moderator');
  member = await createMember(t.app, 'plain');
});

after(async () => {
  await t.close();
});

describe('the class ladder page', () => {
  it('saves an edited ladder with a reason and logs it', async () => {
    const form = ladderToForm(t.app.settings.get('userClasses'));
    form.c1_tokensPerMonth = '3';
    form.c1_mayUpload = '';
    const res = await postForm(t.app, admin, '/admin/classes', { ...form, reason: 'more tokens' }, { from: '/admin/classes' });
    assert.equal(res.statusCode, 303);
    const member1 = t.app.settings.get('userClasses')[1];
    assert.deepEqual([member1.tokensPerMonth, member1.mayUpload, member1.mayRequest], [3, false, true]);
    const log = await t.app.db.prisma.moderationLog.findFirst({ where: { action: 'settings_change', reason: 'more tokens' } });
    assert.ok(log);
  });

  it('refuses a bad ladder with a 400 and the reason why, keeping the old one', async () => {
    const before = t.app.settings.get('userClasses');
    const form = { ...ladderToForm(before), c0_minDays: '3', reason: 'try' };
    const res = await postForm(t.app, admin, '/admin/classes', form, { from: '/admin/classes' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /first class is where every member starts/);
    const dup = await postForm(t.app, admin, '/admin/classes', { ...ladderToForm(before), c1_name: 'User', reason: 'try' }, { from: '/admin/classes' });
    assert.match(dup.body, /already the name/);
    const junk = await postForm(t.app, admin, '/admin/classes', { ...ladderToForm(before), c2_minRatio: 'lots', reason: 'try' }, { from: '/admin/classes' });
    assert.equal(junk.statusCode, 400);
    assert.deepEqual(t.app.settings.get('userClasses'), before);
  });

  it('is for admins only', async () => {
    assert.equal((await t.app.inject({ url: '/admin/classes', headers: { cookie: moderator.cookie } })).statusCode, 403);
    assert.equal((await t.app.inject({ url: '/admin/shop', headers: { cookie: member.cookie } })).statusCode, 403);
  });
});

describe('the shop page', () => {
  it('saves items and refuses bad ones', async () => {
    const form = shopToForm(t.app.settings.get('shopItems'));
    form.s2_price = '999';
    assert.equal((await postForm(t.app, admin, '/admin/shop', { ...form, reason: 'cheaper tokens' }, { from: '/admin/shop' })).statusCode, 303);
    assert.equal(t.app.settings.get('shopItems')[2].price, 999);
    const bad = await postForm(t.app, admin, '/admin/shop', { ...form, s1_key: form.s0_key, reason: 'x y z' }, { from: '/admin/shop' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /used twice/);
    const kind = await postForm(t.app, admin, '/admin/shop', { ...form, s1_kind: 'yacht', reason: 'x y z' }, { from: '/admin/shop' });
    assert.equal(kind.statusCode, 400);
  });

  it('shows the latest purchases of all members', async () => {
    await t.app.db.prisma.user.update({ where: { id: member.id }, data: { bonusPoints: 5000 } });
    assert.equal((await postForm(t.app, member, '/shop/upload-1', {}, { from: '/shop' })).statusCode, 303);
    const page = await t.app.inject({ url: '/admin/shop', headers: { cookie: admin.cookie } });
    assert.match(page.body, /plain<\/a><\/td><td>upload-1: 1 GiB of upload credit/);
  });

  it('changes the token length and smallest bounty on the settings page', async () => {
    const form = settingsToForm(t.app.settings.all());
    const res = await postForm(t.app, admin, '/admin/settings', { ...form, tokenHours: '48', requestMinBountyMiB: '50', 'settings-reason': 'shorter tokens' }, { from: '/admin/settings' });
    assert.equal(res.statusCode, 303);
    assert.deepEqual([t.app.settings.get('tokenHours'), t.app.settings.get('requestMinBountyMiB')], [48, 50]);
    const bad = await postForm(t.app, admin, '/admin/settings', { ...form, tokenHours: '0', 'settings-reason': 'x y z' }, { from: '/admin/settings' });
    assert.equal(bad.statusCode, 400);
  });
});

describe('perks given by staff', () => {
  it('gives tokens and hours of freeleech with a reason, in the log and the credit history', async () => {
    const res = await postForm(t.app, moderator, `/admin/users/${member.id}/perks`, { 'perks-tokens': '2', 'perks-freeleech': '24', 'perks-double': '', 'perks-reason': 'contest prize' }, { from: `/admin/users/${member.id}` });
    assert.equal(res.statusCode, 303);
    const row = await t.app.db.prisma.user.findUniqueOrThrow({ where: { id: member.id }, select: { freeleechTokens: true, personalFreeleechUntil: true, doubleUploadUntil: true } });
    assert.equal(row.freeleechTokens, 2);
    assert.ok(row.personalFreeleechUntil);
    assert.equal(row.doubleUploadUntil, null);
    assert.equal(await t.app.db.prisma.creditLog.count({ where: { userId: member.id, kind: 'staff_gift' } }), 1);
    assert.equal(await t.app.db.prisma.moderationLog.count({ where: { targetUserId: member.id, action: 'give_perks' } }), 1);
  });

  it('refuses nothing to give, numbers out of range, and members acting as staff', async () => {
    const none = await postForm(t.app, admin, `/admin/users/${member.id}/perks`, { 'perks-reason': 'nothing' }, { from: `/admin/users/${member.id}` });
    assert.equal(none.statusCode, 400);
    const big = await postForm(t.app, admin, `/admin/users/${member.id}/perks`, { 'perks-tokens': '1000', 'perks-reason': 'too many' }, { from: `/admin/users/${member.id}` });
    assert.equal(big.statusCode, 400);
    const self = await postForm(t.app, member, `/admin/users/${member.id}/perks`, { 'perks-tokens': '1', 'perks-reason': 'me me me' }, { from: '/shop' });
    assert.equal(self.statusCode, 403);
  });
});

describe('the upload right', () => {
  it('follows the class perk, and the uploader role overrides it', async () => {
    const ladder = t.app.settings.get('userClasses');
    await t.app.settings.update({ userClasses: ladder.map((c, i) => (i === 0 ? { ...c, mayUpload: false } : c)) });
    const refused = await t.app.inject({ url: '/upload', headers: { cookie: member.cookie } });
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /uploader role/);
    await t.app.db.prisma.user.update({ where: { id: member.id }, data: { role: 'uploader' } });
    assert.equal((await t.app.inject({ url: '/upload', headers: { cookie: member.cookie } })).statusCode, 200);
    await t.app.settings.update({ userClasses: ladder });
  });
});

describe('the rules page', () => {
  it('shows the live class ladder with its perks, the shop, the token length and the bounty rules', async () => {
    const page = await t.app.inject({ url: '/rules' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /id="classes"/);
    assert.match(page.body, /Torrent Master<\/td><td>56 days a member, 500 GiB uploaded, ratio 1\.05, 500 uploads/);
    assert.match(page.body, /immune from hit-and-run marks/);
    assert.match(page.body, /for <strong>48 hours<\/strong>/);
    assert.match(page.body, /at least 50 MiB/);
  });
});
