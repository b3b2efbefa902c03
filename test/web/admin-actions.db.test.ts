// Every staff action through the real routes (app.inject): success, the log entry, the
// tracker learning at once, and the refusals: wrong role, missing reason, missing CSRF,
// moderators acting on staff.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newMemberCredit } from '../../src/settings.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { addTrackedRelease, announce, flashOf, postForm } from '../helpers/admin.js';
import { createMember, type Member } from '../helpers/releases.js';
import { fieldError } from '../helpers/web.js';

let t: TestApp;
let admin: Member;
let mod: Member;
let member: Member;
let other: Member;

const GIB = 1024n ** 3n;

async function act(actor: Member, targetId: number, action: string, fields: Record<string, string>, options: { csrf?: boolean } = {}) {
  return postForm(t.app, actor, `/admin/users/${targetId}/${action}`, fields, { from: `/admin/users/${targetId}`, ...options });
}

async function lastLog(where: { targetUserId?: number; releaseId?: number; action?: string } = {}) {
  return t.app.db.prisma.moderationLog.findFirstOrThrow({
    where,
    select: { action: true, reason: true, actorId: true, targetUserId: true, releaseId: true, details: true },
    orderBy: { id: 'desc' },
  });
}

before(async () => {
  t = await buildTestApp();
  admin = await createMember(t.app, 'boss'); // the first account is the admin
  mod = await createMember(t.app, 'mod', 'moderator');
  member = await createMember(t.app, 'member1');
  other = await createMember(t.app, 'member2');
});

after(async () => {
  await t.close();
});

describe('staff pages access', () => {
  it('sends visitors to log in, refuses members, and opens for moderators and admins', async () => {
    const anon = await t.app.inject({ url: '/admin' });
    assert.equal(anon.statusCode, 302);
    assert.match(String(anon.headers.location), /^\/login\?next=%2Fadmin/);
    for (const url of ['/admin', '/admin/users', `/admin/users/${other.id}`, '/admin/releases', '/admin/log', '/admin/settings']) {
      const res = await t.app.inject({ url, headers: { cookie: member.cookie } });
      assert.equal(res.statusCode, 403, url);
    }
    for (const url of ['/admin', '/admin/users', `/admin/users/${member.id}`, '/admin/releases', '/admin/log']) {
      assert.equal((await t.app.inject({ url, headers: { cookie: mod.cookie } })).statusCode, 200, url);
    }
    assert.equal((await t.app.inject({ url: '/admin/settings', headers: { cookie: mod.cookie } })).statusCode, 403);
    assert.equal((await t.app.inject({ url: '/admin/settings', headers: { cookie: admin.cookie } })).statusCode, 200);
  });

  it('refuses a member posting a staff action', async () => {
    const res = await act(member, other.id, 'warn', { 'warn-reason': 'nope' });
    assert.equal(res.statusCode, 403);
    assert.equal(await t.app.db.prisma.warning.count(), 0);
  });
});

describe('members table', () => {
  before(async () => {
    await t.app.db.prisma.user.update({ where: { id: member.id }, data: { uploaded: 1n * GIB, downloaded: 10n * GIB, watchDeadline: new Date(Date.now() + 86400_000) } });
    await t.app.db.prisma.user.update({ where: { id: other.id }, data: { uploaded: 5n * GIB, downloaded: 10n * GIB } });
    await t.app.db.prisma.userIp.create({ data: { userId: other.id, ip: '192.0.2.77', source: 'web' } });
  });

  const names = (html: string) => [...html.matchAll(/<td><a href="\/admin\/users\/\d+">([^<]+)<\/a>/g)].map((m) => m[1]);

  it('sorts by ratio, lowest first, with nothing downloaded (infinite) last', async () => {
    const res = await t.app.inject({ url: '/admin/users?sort=ratio&order=asc', headers: { cookie: admin.cookie } });
    assert.deepEqual(names(res.body).slice(0, 2), ['member1', 'member2']);
    const desc = await t.app.inject({ url: '/admin/users?sort=ratio&order=desc', headers: { cookie: admin.cookie } });
    assert.deepEqual(names(desc.body).slice(-2), ['member2', 'member1']);
  });

  it('sorts by every column without error', async () => {
    for (const sort of ['required', 'uploaded', 'downloaded', 'deadline', 'seen', 'joined', 'name']) {
      for (const order of ['asc', 'desc']) {
        const res = await t.app.inject({ url: `/admin/users?sort=${sort}&order=${order}`, headers: { cookie: admin.cookie } });
        assert.equal(res.statusCode, 200, `${sort} ${order}`);
        assert.equal(names(res.body).length, 4);
      }
    }
  });

  it('filters by watch and searches by name', async () => {
    const watch = await t.app.inject({ url: '/admin/users?filter=watch', headers: { cookie: admin.cookie } });
    assert.deepEqual(names(watch.body), ['member1']);
    const search = await t.app.inject({ url: '/admin/users?q=MEMBER2', headers: { cookie: admin.cookie } });
    assert.deepEqual(names(search.body), ['member2']);
  });

  it('searches by IP for admins only', async () => {
    const byAdmin = await t.app.inject({ url: '/admin/users?q=192.0.2.77', headers: { cookie: admin.cookie } });
    assert.deepEqual(names(byAdmin.body), ['member2']);
    const prefix = await t.app.inject({ url: '/admin/users?q=192.0.2.', headers: { cookie: admin.cookie } });
    assert.deepEqual(names(prefix.body), ['member2']);
    const byMod = await t.app.inject({ url: '/admin/users?q=192.0.2.77', headers: { cookie: mod.cookie } });
    assert.deepEqual(names(byMod.body), []);
  });
});

describe('member actions', () => {
  it('warns a member, who then sees the warning on their pages', async () => {
    const res = await act(mod, member.id, 'warn', { 'warn-reason': 'Hit-and-running <b>again</b>', 'warn-days': '7' });
    assert.equal(res.statusCode, 303);
    assert.equal(flashOf(res), 'Warning sent.');
    const log = await lastLog({ targetUserId: member.id });
    assert.equal(log.action, 'warn');
    assert.equal(log.actorId, mod.id);
    const page = await t.app.inject({ url: '/releases', headers: { cookie: member.cookie } });
    assert.match(page.body, /You have a warning from staff/);
    assert.match(page.body, /Hit-and-running &lt;b&gt;again&lt;\/b&gt;/);
  });

  it('requires a reason, shown beside the field', async () => {
    const res = await act(mod, member.id, 'warn', { 'warn-reason': ' ' });
    assert.equal(res.statusCode, 400);
    assert.match(fieldError(res.body, 'warn-reason') ?? '', /Give a reason/);
    assert.match(res.body, /id="warn-reason"[^>]*aria-invalid="true"/);
  });

  it('refuses a form without the CSRF token', async () => {
    const res = await act(admin, member.id, 'warn', { 'warn-reason': 'no token' }, { csrf: false });
    assert.equal(res.statusCode, 403);
    assert.equal(await t.app.db.prisma.warning.count({ where: { reason: 'no token' } }), 0);
  });

  it('withdraws and restores the leech right; the tracker knows at once', async () => {
    const withdraw = await act(mod, member.id, 'leech', { allow: 'false', 'leech-reason': 'cheating suspected' });
    assert.equal(withdraw.statusCode, 303);
    const row = await t.app.db.prisma.user.findUniqueOrThrow({ where: { id: member.id }, select: { canLeech: true, leechWithdrawnBy: true } });
    assert.deepEqual(row, { canLeech: false, leechWithdrawnBy: 'staff' });
    assert.equal(t.app.tracker.catalog.userById(member.id)?.canLeech, false);
    const release = await addTrackedRelease(t.app);
    const refused = await announce(t.app, member.passkey, release.hash, { peerId: 'W1', left: 100n, event: 'started' });
    assert.match(refused.failure ?? '', /leeching forbidden/);
    assert.equal((await lastLog({ targetUserId: member.id })).action, 'leech_withdraw');
    const restore = await act(mod, member.id, 'leech', { allow: 'true', 'leech-reason': 'cleared up' });
    assert.equal(restore.statusCode, 303);
    assert.equal(t.app.tracker.catalog.userById(member.id)?.canLeech, true);
    assert.equal((await lastLog({ targetUserId: member.id })).action, 'leech_restore');
  });

  it('disables an account: sessions end and the tracker refuses; enabling brings it back', async () => {
    const victim = await createMember(t.app, 'victim');
    const res = await act(admin, victim.id, 'enabled', { enabled: 'false', 'enabled-reason': 'sharing the account' });
    assert.equal(res.statusCode, 303);
    assert.equal(await t.app.db.prisma.session.count({ where: { userId: victim.id } }), 0);
    assert.equal(t.app.tracker.catalog.userById(victim.id)?.enabled, false);
    const release = await addTrackedRelease(t.app);
    const refused = await announce(t.app, victim.passkey, release.hash, { peerId: 'D1', left: 0n, event: 'started' });
    assert.match(refused.failure ?? '', /disabled/i);
    const page = await t.app.inject({ url: '/bonus', headers: { cookie: victim.cookie } });
    assert.equal(page.statusCode, 302, 'logged out');
    assert.equal((await lastLog({ targetUserId: victim.id })).action, 'disable');
    const enable = await act(admin, victim.id, 'enabled', { enabled: 'true', 'enabled-reason': 'appeal accepted' });
    assert.equal(enable.statusCode, 303);
    assert.equal(t.app.tracker.catalog.userById(victim.id)?.enabled, true);
  });

  it('edits credited traffic by amount, keeping an exact log of before and after', async () => {
    const res = await act(admin, other.id, 'traffic', { 'traffic-uploaded': '7.5 GiB', 'traffic-downloaded': '1073741824', 'traffic-reason': 'lost stats restored' });
    assert.equal(res.statusCode, 303);
    const row = await t.app.db.prisma.user.findUniqueOrThrow({ where: { id: other.id }, select: { uploaded: true, downloaded: true } });
    assert.equal(row.uploaded, (15n * GIB) / 2n);
    assert.equal(row.downloaded, GIB);
    const log = await lastLog({ targetUserId: other.id });
    assert.equal(log.action, 'edit_traffic');
    assert.deepEqual((log.details as Record<string, unknown>).uploaded, { from: String(5n * GIB), to: String((15n * GIB) / 2n) });
    const bad = await act(admin, other.id, 'traffic', { 'traffic-uploaded': 'lots', 'traffic-downloaded': '0', 'traffic-reason': 'typo' });
    assert.equal(bad.statusCode, 400);
    assert.match(fieldError(bad.body, 'traffic-uploaded') ?? '', /enter an amount/i);
  });

  it('resets a passkey: the old one stops working in the tracker', async () => {
    const before = member.passkey;
    const res = await act(mod, member.id, 'passkey', { 'passkey-reason': 'passkey leaked' });
    assert.equal(res.statusCode, 303);
    assert.equal(t.app.tracker.catalog.userByPasskey(before), undefined);
    const row = await t.app.db.prisma.user.findUniqueOrThrow({ where: { id: member.id }, select: { passkey: true } });
    assert.equal(t.app.tracker.catalog.userByPasskey(row.passkey)?.id, member.id);
    member.passkey = row.passkey;
    assert.equal((await lastLog({ targetUserId: member.id })).action, 'reset_passkey');
  });

  it('changes roles for admins only', async () => {
    const byMod = await act(mod, other.id, 'role', { role: 'uploader', 'role-reason': 'good uploads' });
    assert.equal(byMod.statusCode, 403);
    const res = await act(admin, other.id, 'role', { role: 'uploader', 'role-reason': 'good uploads' });
    assert.equal(res.statusCode, 303);
    assert.equal((await t.app.db.prisma.user.findUniqueOrThrow({ where: { id: other.id }, select: { role: true } })).role, 'uploader');
    assert.deepEqual((await lastLog({ targetUserId: other.id })).details, { from: 'member', to: 'uploader' });
    const bogus = await act(admin, other.id, 'role', { role: 'god', 'role-reason': 'why not' });
    assert.equal(bogus.statusCode, 400);
  });

  it('grants invites', async () => {
    const res = await act(mod, other.id, 'invites', { 'invites-count': '3', 'invites-reason': 'recruiting' });
    assert.equal(res.statusCode, 303);
    assert.equal((await t.app.db.prisma.user.findUniqueOrThrow({ where: { id: other.id }, select: { invitesLeft: true } })).invitesLeft, 3);
    const tooMany = await act(mod, other.id, 'invites', { 'invites-count': '1000', 'invites-reason': 'recruiting' });
    assert.equal(tooMany.statusCode, 400);
    assert.match(fieldError(tooMany.body, 'invites-count') ?? '', /from 1 to 100/);
  });

  it('forgives a hit-and-run mark', async () => {
    const release = await addTrackedRelease(t.app);
    await t.app.db.prisma.transfer.create({ data: { userId: other.id, releaseId: release.id, hitAndRunAt: new Date() } });
    const res = await act(mod, other.id, 'hnr', { 'hnr-release': String(release.id), 'hnr-reason': 'client crash' });
    assert.equal(res.statusCode, 303);
    const row = await t.app.db.prisma.transfer.findUniqueOrThrow({ where: { userId_releaseId: { userId: other.id, releaseId: release.id } }, select: { hitAndRunCleared: true } });
    assert.equal(row.hitAndRunCleared, true);
    assert.equal((await lastLog({ targetUserId: other.id })).action, 'hnr_forgive');
  });

  it('stops moderators from acting on admins or other moderators', async () => {
    const mod2 = await createMember(t.app, 'mod2', 'moderator');
    for (const target of [admin.id, mod2.id]) {
      const res = await act(mod, target, 'leech', { allow: 'false', 'leech-reason': 'power trip' });
      assert.equal(res.statusCode, 403);
    }
    const page = await t.app.inject({ url: `/admin/users/${admin.id}`, headers: { cookie: mod.cookie } });
    assert.match(page.body, /Moderators cannot act on other staff/);
    assert.equal(t.app.tracker.catalog.userById(admin.id)?.canLeech, true);
  });
});

describe('releases', () => {
  it('sets freeleech on several releases at once and tells the tracker', async () => {
    const a = await addTrackedRelease(t.app);
    const b = await addTrackedRelease(t.app);
    const res = await postForm(t.app, mod, '/admin/releases/freeleech', { ids: [String(a.id), String(b.id)], mode: 'freeleech', 'bulk-reason': 'holiday' }, { from: '/admin/releases' });
    assert.equal(res.statusCode, 303);
    for (const r of [a, b]) {
      assert.equal(t.app.tracker.catalog.releaseById(r.id)?.freeleech, 'freeleech');
      assert.equal((await lastLog({ releaseId: r.id })).action, 'set_freeleech');
    }
    const none = await postForm(t.app, mod, '/admin/releases/freeleech', { mode: 'neutral', 'bulk-reason': 'oops' }, { from: '/admin/releases' });
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /Tick at least one release/);
  });

  it('edits metadata with a reason', async () => {
    const r = await addTrackedRelease(t.app, { name: 'Old.Name' });
    const category = await t.app.db.prisma.category.findFirstOrThrow({ where: { name: 'Music' }, select: { id: true } });
    const res = await postForm(t.app, mod, `/admin/releases/${r.id}`, { name: 'New.Name', category: String(category.id), description: 'fixed', mode: 'double_upload', 'edit-reason': 'typo' }, { from: `/admin/releases/${r.id}` });
    assert.equal(res.statusCode, 303);
    const row = await t.app.db.prisma.release.findUniqueOrThrow({ where: { id: r.id }, select: { name: true, categoryId: true, description: true, freeleech: true } });
    assert.deepEqual(row, { name: 'New.Name', categoryId: category.id, description: 'fixed', freeleech: 'double_upload' });
    assert.equal(t.app.tracker.catalog.releaseById(r.id)?.freeleech, 'double_upload');
    const empty = await postForm(t.app, mod, `/admin/releases/${r.id}`, { name: '', category: String(category.id), 'edit-reason': 'typo' }, { from: `/admin/releases/${r.id}` });
    assert.equal(empty.statusCode, 400);
    assert.match(fieldError(empty.body, 'name') ?? '', /Give the release a name/);
  });

  it('deletes with a reason: the tracker answers "Unregistered torrent: <reason>"', async () => {
    const r = await addTrackedRelease(t.app);
    const noReason = await postForm(t.app, mod, `/admin/releases/${r.id}/delete`, {}, { from: `/admin/releases/${r.id}` });
    assert.equal(noReason.statusCode, 400);
    const res = await postForm(t.app, mod, `/admin/releases/${r.id}/delete`, { 'delete-reason': 'Dupe of #1' }, { from: `/admin/releases/${r.id}` });
    assert.equal(res.statusCode, 303);
    const reply = await announce(t.app, other.passkey, r.hash, { peerId: 'X1', left: 0n, event: 'started' });
    assert.equal(reply.failure, 'Unregistered torrent: Dupe of #1');
    assert.equal((await lastLog({ releaseId: r.id })).action, 'delete_release');
  });

  it('lets only admins switch the site-wide freeleech', async () => {
    const byMod = await postForm(t.app, mod, '/admin/site-freeleech', { 'site-hours': '5', 'site-reason': 'party' }, { from: '/admin/releases' });
    assert.equal(byMod.statusCode, 403);
    const res = await postForm(t.app, admin, '/admin/site-freeleech', { 'site-hours': '5', 'site-reason': 'party' }, { from: '/admin/releases' });
    assert.equal(res.statusCode, 303);
    assert.equal(t.app.tracker.policy().siteFreeleech, true);
    const stop = await postForm(t.app, admin, '/admin/site-freeleech', { 'site-hours': '0', 'site-reason': 'party over' }, { from: '/admin/releases' });
    assert.equal(stop.statusCode, 303);
    assert.equal(t.app.tracker.policy().siteFreeleech, false);
  });
});

describe('settings', () => {
  async function currentForm(): Promise<Record<string, string>> {
    const page = await t.app.inject({ url: '/admin/settings', headers: { cookie: admin.cookie } });
    const fields: Record<string, string> = {};
    for (const m of page.body.matchAll(/<input type="text"[^>]* name="([^"]+)" value="([^"]*)"/g)) fields[m[1]] = m[2];
    for (const m of page.body.matchAll(/<textarea id="[^"]+" name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g)) fields[m[1]] = m[2].replace(/&#x3D;/g, '=');
    fields.registrationMode = /<option value="(\w+)" selected>/.exec(page.body)?.[1] ?? 'open';
    fields.defaultLocale = /name="defaultLocale"[\s\S]*?<option value="([\w-]+)" selected/.exec(page.body)?.[1] ?? 'en';
    fields.staffTwoFactor = /id="staffTwoFactor"[^>]*>[^]*?<option value="(\w+)" selected>/.exec(page.body)?.[1] ?? 'optional';
    return fields;
  }

  it('saves valid settings, pushes the client lists and interval to the tracker, and logs the change', async () => {
    const form = await currentForm();
    assert.equal(form.band_max_1, '0.15');
    const res = await postForm(t.app, admin, '/admin/settings', { ...form, watchDays: '7', band_max_1: '0.25', clientDeny: '-XL\n-BAD', announceInterval: '900', minInterval: '60', registrationMode: 'invite', siteName: 'Seedkeep Test', newMemberCreditGiB: '2', 'settings-reason': 'tighten rules' }, { from: '/admin/settings' });
    assert.equal(res.statusCode, 303, fieldError(res.body, 'watchDays') ?? res.body.slice(0, 300));
    const policy = t.app.tracker.policy();
    assert.deepEqual(policy.clientDeny, ['-XL', '-BAD']);
    assert.equal(policy.announceInterval, 900);
    const stored = await t.app.db.prisma.setting.findUniqueOrThrow({ where: { key: 'ratio_policy' } });
    assert.equal((stored.value as { watchDays: number }).watchDays, 7);
    assert.equal((stored.value as { ratioTable: Array<{ max: number }> }).ratioTable[1].max, 0.25);
    assert.equal(t.app.settings.get('registrationMode'), 'invite');
    assert.equal(t.app.settings.get('siteName'), 'Seedkeep Test');
    assert.equal((await t.app.db.prisma.setting.findUniqueOrThrow({ where: { key: 'site_name' } })).value, 'Seedkeep Test');
    assert.equal(newMemberCredit(t.app.settings.all()), 2n * GIB);
    const log = await lastLog({ action: 'settings_change' });
    assert.equal(log.reason, 'tighten rules');
  });

  it('shows the peer caps, saves them, and the tracker refuses past them at once', async () => {
    const form = await currentForm();
    assert.equal(form.maxPeersPerMember, '10000');
    assert.equal(form.maxPeersPerRelease, '3');
    const res = await postForm(t.app, admin, '/admin/settings', { ...form, maxPeersPerMember: '20000', maxPeersPerRelease: '2', 'settings-reason': 'two boxes per torrent' }, { from: '/admin/settings' });
    assert.equal(res.statusCode, 303, fieldError(res.body, 'maxPeersPerRelease') ?? res.body.slice(0, 300));
    assert.equal(t.app.tracker.policy().maxPeersPerRelease, 2);
    assert.equal(t.app.tracker.policy().maxPeersPerMember, 20_000);
    const stored = await t.app.db.prisma.setting.findUniqueOrThrow({ where: { key: 'tracker_policy' } });
    assert.equal((stored.value as { maxPeersPerRelease: number }).maxPeersPerRelease, 2, 'kept for the next start');
    const release = await addTrackedRelease(t.app);
    assert.equal((await announce(t.app, other.passkey, release.hash, { peerId: 'box1', left: 1n })).failure, null);
    assert.equal((await announce(t.app, other.passkey, release.hash, { peerId: 'box2', left: 1n })).failure, null);
    const third = await announce(t.app, other.passkey, release.hash, { peerId: 'box3', left: 1n });
    assert.equal(third.failure, 'Too many peers on this torrent for your account (limit 2): stop the client elsewhere or wait for it to time out');
    const bad = await postForm(t.app, admin, '/admin/settings', { ...(await currentForm()), maxPeersPerMember: '0', maxPeersPerRelease: '-1', 'settings-reason': 'oops' }, { from: '/admin/settings' });
    assert.equal(bad.statusCode, 400);
    assert.ok(fieldError(bad.body, 'maxPeersPerMember'));
    assert.ok(fieldError(bad.body, 'maxPeersPerRelease'));
    assert.equal(t.app.tracker.policy().maxPeersPerRelease, 2);
  });

  it('explains every invalid field and saves nothing', async () => {
    const form = await currentForm();
    const res = await postForm(t.app, admin, '/admin/settings', { ...form, watchDays: 'soon', band_from_1: '0', hnrMaxMarks: '1.5', minInterval: '99999', clientAllow: 'has space', sourceTag: 'bad tag!', 'settings-reason': 'x' }, { from: '/admin/settings' });
    assert.equal(res.statusCode, 400);
    assert.match(fieldError(res.body, 'watchDays') ?? '', /Enter a number/);
    assert.match(fieldError(res.body, 'hnrMaxMarks') ?? '', /whole number/);
    assert.match(fieldError(res.body, 'minInterval') ?? '', /at most the announce interval/);
    assert.match(fieldError(res.body, 'clientAllow') ?? '', /not a peer_id prefix/);
    assert.match(fieldError(res.body, 'sourceTag') ?? '', /letters, digits/);
    assert.match(fieldError(res.body, 'settings-reason') ?? '', /Give a reason/);
    assert.match(res.body, /id="ratioTable-error"[^>]*>Band 2: bands must start at increasing/);
    const stored = await t.app.db.prisma.setting.findUniqueOrThrow({ where: { key: 'ratio_policy' } });
    assert.equal((stored.value as { watchDays: number }).watchDays, 7);
  });

  it('refuses moderators', async () => {
    const res = await postForm(t.app, mod, '/admin/settings', { 'settings-reason': 'sneaky' }, { from: '/admin' });
    assert.equal(res.statusCode, 403);
  });
});

describe('moderation log page', () => {
  it('lists every action with who, what, whom and why, filterable', async () => {
    const all = await t.app.inject({ url: '/admin/log', headers: { cookie: mod.cookie } });
    for (const action of ['warn', 'leech_withdraw', 'leech_restore', 'disable', 'enable', 'edit_traffic', 'reset_passkey', 'change_role', 'grant_invites', 'hnr_forgive', 'set_freeleech', 'edit_release', 'delete_release', 'site_freeleech_start', 'settings_change']) {
      assert.match(all.body, new RegExp(`badge neutral">${action}<`), action);
    }
    const filtered = await t.app.inject({ url: '/admin/log?action=warn', headers: { cookie: mod.cookie } });
    assert.equal((filtered.body.match(/badge neutral">/g) ?? []).length, 1);
    assert.match(filtered.body, /Hit-and-running &lt;b&gt;again/);
    const byActor = await t.app.inject({ url: '/admin/log?actor=boss', headers: { cookie: mod.cookie } });
    assert.doesNotMatch(byActor.body, /badge neutral">warn</);
    const byTarget = await t.app.inject({ url: `/admin/log?target=member2`, headers: { cookie: mod.cookie } });
    assert.match(byTarget.body, /badge neutral">change_role</);
    assert.doesNotMatch(byTarget.body, /badge neutral">reset_passkey</);
  });

  it('runs the policy job on demand from the dashboard', async () => {
    const res = await postForm(t.app, mod, '/admin/run-job', {}, { from: '/admin' });
    assert.equal(res.statusCode, 303);
    assert.match(flashOf(res) ?? '', /Policy job ran/);
  });
});
