// Reports: a member reports a release or a member with a reason; staff claim it, act on the
// release or member (with the action's own reason and log entry), and resolve it naming that
// action; the reporter is told the outcome in their inbox. Bad input is a clear 4xx.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { flashOf, postForm } from '../helpers/admin.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createMember, firstCategoryId, seedReleases, type Member } from '../helpers/releases.js';

let t: TestApp;
let moderator: Member;
let alice: Member;
let bob: Member;
let uploader: Member;
let releaseId: number;
let otherReleaseId: number;

before(async () => {
  t = await buildTestApp();
  await createMember(t.app, 'boss', 'admin');
  moderator = await createMember(t.app, 'mod', 'moderator');
  alice = await createMember(t.app, 'alice');
  bob = await createMember(t.app, 'bob');
  uploader = await createMember(t.app, 'upper');
  const categoryId = await firstCategoryId(t.app);
  [releaseId, otherReleaseId] = await seedReleases(t.app, [
    { name: 'Fake.Movie.2026.1080p', categoryId, uploaderId: uploader.id },
    { name: 'Another.Release.2026', categoryId, uploaderId: uploader.id },
  ]);
});
after(() => t.close());

const get = (url: string, who: Member) => t.app.inject({ method: 'GET', url, headers: { cookie: who.cookie } });
const report = (who: Member, target: string, fields: Record<string, string>) => postForm(t.app, who, `/report?${target}`, fields, { from: `/report?${target}` });
const reportIdOf = async (where: { releaseId?: number; targetUserId?: number }) => (await t.app.db.prisma.report.findFirstOrThrow({ where, select: { id: true }, orderBy: { id: 'desc' } })).id;

describe('filing a report', () => {
  it('reports a release from its page, and staff see it in the open queue', async () => {
    assert.match((await get(`/releases/${releaseId}`, alice)).body, new RegExp(`href="/report\\?release=${releaseId}">Report`));
    const form = await get(`/report?release=${releaseId}`, alice);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Fake: not what the name says/);
    const res = await report(alice, `release=${releaseId}`, { kind: 'fake', reason: 'The video is a <script>alert(1)</script> trailer only.' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/releases/${releaseId}`);
    assert.match(flashOf(res) ?? '', /outcome in your inbox/);
    const queue = await get('/admin/reports', moderator);
    assert.match(queue.body, /Fake\.Movie\.2026\.1080p[\s\S]*<span class="badge neutral">fake<\/span>[\s\S]*alice/);
    const id = await reportIdOf({ releaseId });
    const page = await get(`/admin/reports/${id}`, moderator);
    assert.match(page.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt; trailer only/);
    assert.doesNotMatch(page.body, /<script>alert/);
  });

  it('refuses a second open report of the same release by the same member (409), but not by another', async () => {
    const again = await report(alice, `release=${releaseId}`, { kind: 'fake', reason: 'Still a trailer, really.' });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /already reported this/);
    assert.equal((await report(bob, `release=${releaseId}`, { kind: 'dupe', reason: 'Same as the other release.' })).statusCode, 303);
  });

  it('answers bad input with a clear 4xx: no kind, short or huge reason, no CSRF, unknown or deleted release, oneself', async () => {
    const noKind = await report(bob, `release=${otherReleaseId}`, { reason: 'Something is wrong with it.' });
    assert.equal(noKind.statusCode, 400);
    assert.match(noKind.body, /Choose what is wrong/);
    assert.equal((await report(bob, `release=${otherReleaseId}`, { kind: 'fake', reason: 'short' })).statusCode, 400);
    assert.equal((await report(bob, `release=${otherReleaseId}`, { kind: 'fake', reason: 'x'.repeat(2001) })).statusCode, 400);
    assert.equal((await report(bob, `release=${otherReleaseId}`, { kind: 'evil', reason: 'Something is wrong with it.' })).statusCode, 400);
    assert.equal((await postForm(t.app, bob, `/report?release=${otherReleaseId}`, { kind: 'fake', reason: 'Something is wrong with it.' }, { from: '/inbox/new', csrf: false })).statusCode, 403);
    assert.equal((await get('/report?release=999999', bob)).statusCode, 404);
    assert.equal((await get('/report?release=abc', bob)).statusCode, 404);
    assert.equal((await get('/report', bob)).statusCode, 404);
    const [gone] = await seedReleases(t.app, [{ name: 'Gone', categoryId: await firstCategoryId(t.app), deletedAt: new Date(), deleteReason: 'dupe' }]);
    assert.equal((await get(`/report?release=${gone}`, bob)).statusCode, 404);
    assert.equal((await get(`/report?member=${bob.id}`, bob)).statusCode, 400);
    assert.equal((await get('/report?member=999999', bob)).statusCode, 404);
  });

  it('reports a member from their profile', async () => {
    assert.match((await get(`/users/${uploader.id}`, alice)).body, new RegExp(`href="/report\\?member=${uploader.id}">Report`));
    assert.doesNotMatch((await get(`/users/${alice.id}`, alice)).body, /href="\/report\?member=/);
    const res = await report(alice, `member=${uploader.id}`, { reason: 'Insulted me in the comments of a release.' });
    assert.equal(res.statusCode, 303);
    const row = await t.app.db.prisma.report.findFirstOrThrow({ where: { targetUserId: uploader.id }, select: { kind: true, releaseId: true } });
    assert.deepEqual(row, { kind: 'member', releaseId: null });
  });
});

describe('the staff report queue', () => {
  it('is staff only', async () => {
    const id = await reportIdOf({ releaseId });
    assert.equal((await get('/admin/reports', alice)).statusCode, 403);
    assert.equal((await get(`/admin/reports/${id}`, alice)).statusCode, 403);
    assert.equal((await postForm(t.app, alice, `/admin/reports/${id}/claim`, {}, { from: '/inbox/new' })).statusCode, 403);
    assert.equal((await get('/admin/reports/999999', moderator)).statusCode, 404);
  });

  it('claim, delete the release with a reason, resolve naming that action: the reporter reads the outcome', async () => {
    const id = (await t.app.db.prisma.report.findFirstOrThrow({ where: { releaseId, reporterId: alice.id }, select: { id: true } })).id;
    const claimed = await postForm(t.app, moderator, `/admin/reports/${id}/claim`, {}, { from: `/admin/reports/${id}` });
    assert.equal(claimed.statusCode, 303);
    assert.match((await get('/admin/reports?view=mine', moderator)).body, new RegExp(`href="/admin/reports/${id}"`));

    const page = await get(`/admin/reports/${id}`, moderator);
    assert.match(page.body, new RegExp(`href="/admin/releases/${releaseId}">Edit or delete the release`));
    const deleted = await postForm(t.app, moderator, `/admin/releases/${releaseId}/delete`, { 'delete-reason': 'Fake: a trailer' }, { from: `/admin/releases/${releaseId}` });
    assert.equal(deleted.statusCode, 303);
    const entry = await t.app.db.prisma.moderationLog.findFirstOrThrow({ where: { action: 'delete_release', releaseId }, select: { id: true } });
    assert.match((await get(`/admin/reports/${id}`, moderator)).body, new RegExp(`<option value="${entry.id}">delete_release by mod`));

    const resolved = await postForm(t.app, moderator, `/admin/reports/${id}/resolve`, { action: String(entry.id), outcome: 'It was a trailer; the release is deleted.' }, { from: `/admin/reports/${id}` });
    assert.equal(resolved.statusCode, 303, resolved.body);
    assert.match(flashOf(resolved) ?? '', /alice was told the outcome/);
    const inbox = await get('/inbox', alice);
    assert.match(inbox.body, /Your report: Fake\.Movie\.2026\.1080p<\/a> <span class="badge free">new/);
    const ticket = await t.app.db.prisma.ticket.findFirstOrThrow({ where: { memberId: alice.id, kind: 'report' }, select: { id: true } });
    const message = (await get(`/inbox/${ticket.id}`, alice)).body;
    assert.match(message, /It was a trailer; the release is deleted\./);
    assert.match(message, /Action taken: delete release/);
    const done = await get(`/admin/reports/${id}`, moderator);
    assert.match(done.body, /Action taken: <span class="badge neutral">delete_release<\/span> by mod/);
    const actions = (await t.app.db.prisma.moderationLog.findMany({ where: { releaseId, action: { startsWith: 'report_' } }, select: { action: true }, orderBy: { id: 'asc' } })).map((e) => e.action);
    assert.deepEqual(actions, ['report_claim', 'report_resolve']);

    const twice = await postForm(t.app, moderator, `/admin/reports/${id}/resolve`, { outcome: 'again' }, { from: `/admin/reports/${id}` });
    assert.equal(twice.statusCode, 409);
  });

  it("refuses an action that is not about the report's target, and an empty outcome", async () => {
    const id = await reportIdOf({ targetUserId: uploader.id });
    const unrelated = await t.app.db.prisma.moderationLog.findFirstOrThrow({ where: { action: 'delete_release' }, select: { id: true } });
    const wrong = await postForm(t.app, moderator, `/admin/reports/${id}/resolve`, { action: String(unrelated.id), outcome: 'Warned.' }, { from: `/admin/reports/${id}` });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /Choose an action taken on this report/);
    const empty = await postForm(t.app, moderator, `/admin/reports/${id}/resolve`, { action: '', outcome: '' }, { from: `/admin/reports/${id}` });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /Write the outcome/);
    const noAction = await postForm(t.app, moderator, `/admin/reports/${id}/resolve`, { action: '', outcome: 'Nothing against the rules.' }, { from: `/admin/reports/${id}` });
    assert.equal(noAction.statusCode, 303);
  });
});
