// Comments on releases: Markdown rendered safely, a CSRF token and bounded bodies, the
// author's edit window, staff edits and deletes with a logged reason, and a member's comment
// history on their profile.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fieldError, flashOf, postForm } from '../helpers/admin.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createMember, firstCategoryId, seedReleases, type Member } from '../helpers/releases.js';

let t: TestApp;
let moderator: Member;
let alice: Member;
let bob: Member;
let releaseId: number;

before(async () => {
  t = await buildTestApp();
  await createMember(t.app, 'boss', 'admin');
  moderator = await createMember(t.app, 'mod', 'moderator');
  alice = await createMember(t.app, 'alice');
  bob = await createMember(t.app, 'bob');
  [releaseId] = await seedReleases(t.app, [{ name: 'Commented.Release.2026', categoryId: await firstCategoryId(t.app), uploaderId: bob.id }]);
});
after(() => t.close());

const get = (url: string, who: Member) => t.app.inject({ method: 'GET', url, headers: { cookie: who.cookie } });
const comment = (who: Member, body: string, release = releaseId) => postForm(t.app, who, `/releases/${release}/comments`, { body }, { from: `/releases/${releaseId}` });
const idOf = (res: { headers: Record<string, unknown> }) => Number(/#comment-(\d+)$/.exec(String(res.headers.location))?.[1]);

describe('posting a comment', () => {
  it('shows it on the release page, rendered from Markdown', async () => {
    const res = await comment(alice, 'Great **quality**, thanks!\n\n- video ok\n- audio ok');
    assert.equal(res.statusCode, 303);
    const id = idOf(res);
    assert.equal(res.headers.location, `/releases/${releaseId}?comments=1#comment-${id}`);
    const page = await get(`/releases/${releaseId}`, bob);
    assert.match(page.body, new RegExp(`<li class="message comment" id="comment-${id}">`));
    assert.match(page.body, /Great <strong>quality<\/strong>, thanks!/);
    assert.match(page.body, /<li>audio ok<\/li>/);
    assert.match(page.body, /Comments <span class="muted">\(1\)<\/span>/);
  });

  it('shows hostile Markdown as harmless text: no script, no javascript: link, no image, links nofollow', async () => {
    const res = await comment(alice, '<script>alert(1)</script> [x](javascript:alert(2)) ![pixel](https://tracker.example/p.png) [site](https://example.org/)');
    const html = (await get(`/releases/${releaseId}`, bob)).body;
    assert.equal(res.statusCode, 303);
    assert.doesNotMatch(html, /<script>alert/);
    assert.doesNotMatch(html, /href="javascript:/);
    assert.doesNotMatch(html, /<img[^>]*tracker\.example/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /<a href="https:\/\/example.org\/" rel="nofollow noopener">site<\/a>/);
  });

  it('answers an empty or huge comment, a missing CSRF token, an unknown or deleted release with a 4xx', async () => {
    const empty = await comment(alice, '   ');
    assert.equal(empty.statusCode, 400);
    assert.equal(fieldError(empty.body, 'body'), 'Write a comment.');
    const huge = await comment(alice, 'x'.repeat(5001));
    assert.equal(huge.statusCode, 400);
    assert.match(huge.body, /Keep the comment under 5,000 characters/);
    assert.match(huge.body, /xxxxx<\/textarea>/, 'the text comes back in the form');
    const forged = await postForm(t.app, alice, `/releases/${releaseId}/comments`, { body: 'hi' }, { from: `/releases/${releaseId}`, csrf: false });
    assert.equal(forged.statusCode, 403);
    assert.equal((await comment(alice, 'hi', 999999)).statusCode, 404);
    const [gone] = await seedReleases(t.app, [{ name: 'Gone', categoryId: await firstCategoryId(t.app), deletedAt: new Date(), deleteReason: 'dupe' }]);
    assert.equal((await comment(alice, 'hi', gone)).statusCode, 404);
    assert.equal((await get('/comments/999999/edit', alice)).statusCode, 404);
    assert.equal((await get('/comments/abc/edit', alice)).statusCode, 404);
  });
});

describe('editing and deleting', () => {
  it('lets the author edit within the window, and nobody else but staff', async () => {
    const id = idOf(await comment(alice, 'Typo hree.'));
    assert.match((await get(`/releases/${releaseId}`, alice)).body, new RegExp(`href="/comments/${id}/edit">Edit`));
    assert.doesNotMatch((await get(`/releases/${releaseId}`, bob)).body, new RegExp(`href="/comments/${id}/edit"`));
    assert.equal((await get(`/comments/${id}/edit`, bob)).statusCode, 403);
    assert.equal((await postForm(t.app, bob, `/comments/${id}`, { body: 'hijacked' }, { from: `/releases/${releaseId}` })).statusCode, 403);
    const saved = await postForm(t.app, alice, `/comments/${id}`, { body: 'Typo here.' }, { from: `/comments/${id}/edit` });
    assert.equal(saved.statusCode, 303);
    const page = (await get(`/releases/${releaseId}`, bob)).body;
    assert.match(page, /Typo here\./);
    assert.match(page, /\(edited\)/);

    const minutes = t.app.settings.get('commentEditMinutes');
    await t.app.db.prisma.comment.update({ where: { id }, data: { createdAt: new Date(Date.now() - (minutes + 1) * 60_000) } });
    const late = await get(`/comments/${id}/edit`, alice);
    assert.equal(late.statusCode, 403);
    assert.match(late.body, /time to edit this comment has passed/);
  });

  it('lets staff edit with a reason, logged with the old text', async () => {
    const id = idOf(await comment(bob, 'Download from my-other-site.example!'));
    const noReason = await postForm(t.app, moderator, `/comments/${id}`, { body: '[link removed]' }, { from: `/comments/${id}/edit` });
    assert.equal(noReason.statusCode, 400);
    assert.ok(fieldError(noReason.body, 'reason'));
    const saved = await postForm(t.app, moderator, `/comments/${id}`, { body: '[link removed]', reason: 'No links to other trackers' }, { from: `/comments/${id}/edit` });
    assert.equal(saved.statusCode, 303);
    const entry = await t.app.db.prisma.moderationLog.findFirstOrThrow({ where: { action: 'comment_edit' }, select: { reason: true, targetUserId: true, releaseId: true, details: true } });
    assert.equal(entry.reason, 'No links to other trackers');
    assert.equal(entry.targetUserId, bob.id);
    assert.equal(entry.releaseId, releaseId);
    assert.equal((entry.details as { before: string }).before, 'Download from my-other-site.example!');
  });

  it('lets only staff delete, with a reason, logged with the text', async () => {
    const id = idOf(await comment(bob, 'Rude words.'));
    assert.equal((await postForm(t.app, alice, `/comments/${id}/delete`, { 'delete-reason': 'rude' }, { from: `/releases/${releaseId}` })).statusCode, 403);
    assert.equal((await postForm(t.app, bob, `/comments/${id}/delete`, { 'delete-reason': 'rude' }, { from: `/releases/${releaseId}` })).statusCode, 403);
    const noReason = await postForm(t.app, moderator, `/comments/${id}/delete`, { 'delete-reason': '' }, { from: `/comments/${id}/edit` });
    assert.equal(noReason.statusCode, 400);
    const deleted = await postForm(t.app, moderator, `/comments/${id}/delete`, { 'delete-reason': 'Insults' }, { from: `/comments/${id}/edit` });
    assert.equal(deleted.statusCode, 303);
    assert.match(flashOf(deleted) ?? '', /Comment deleted/);
    assert.equal(await t.app.db.prisma.comment.count({ where: { id } }), 0);
    const entry = await t.app.db.prisma.moderationLog.findFirstOrThrow({ where: { action: 'comment_delete' }, select: { reason: true, details: true } });
    assert.equal(entry.reason, 'Insults');
    assert.equal((entry.details as { text: string }).text, 'Rude words.');
  });
});

describe('comment history', () => {
  it("shows a member's latest comments on their profile and all of them on their comments page", async () => {
    const profile = await get(`/users/${alice.id}`, bob);
    assert.match(profile.body, /<section aria-labelledby="comments-h" class="profile-comments">/);
    assert.match(profile.body, /on <a href="\/releases\/\d+">Commented\.Release\.2026<\/a>/);
    assert.match(profile.body, /Great <strong>quality<\/strong>/);
    const all = await get(`/users/${alice.id}/comments`, bob);
    assert.equal(all.statusCode, 200);
    assert.match(all.body, /Comments by <a href="\/users\/\d+">alice<\/a>/);
    assert.equal((await get('/users/999999/comments', bob)).statusCode, 404);
  });

  it('leaves out comments on deleted releases', async () => {
    const [soon] = await seedReleases(t.app, [{ name: 'Soon.Deleted', categoryId: await firstCategoryId(t.app) }]);
    await comment(alice, 'On a release about to go.', soon);
    await t.app.db.prisma.release.update({ where: { id: soon }, data: { deletedAt: new Date(), deleteReason: 'fake' } });
    assert.doesNotMatch((await get(`/users/${alice.id}/comments`, bob)).body, /Soon\.Deleted/);
  });
});
