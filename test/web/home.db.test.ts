// The home page: the way in for visitors; for members the staff news (Markdown), the latest
// releases, the public statistics with the dashboard's charts and their own situation. Staff
// write the news on /admin/news, with a reason, logged.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fieldError, postForm } from '../helpers/admin.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createMember, firstCategoryId, seedReleases, type Member } from '../helpers/releases.js';

let t: TestApp;
let moderator: Member;
let member: Member;

before(async () => {
  t = await buildTestApp();
  await createMember(t.app, 'boss', 'admin');
  moderator = await createMember(t.app, 'mod', 'moderator');
  member = await createMember(t.app, 'reader');
  const categoryId = await firstCategoryId(t.app);
  await seedReleases(t.app, [
    { name: 'Older.Release', categoryId, createdAt: new Date(Date.now() - 3_600_000) },
    { name: 'Newest.Release', categoryId },
    { name: 'Deleted.Release', categoryId, deletedAt: new Date(), deleteReason: 'dupe' },
  ]);
});
after(() => t.close());

const get = (url: string, who?: Member) => t.app.inject({ method: 'GET', url, headers: who ? { cookie: who.cookie } : {} });
const postNews = (who: Member, url: string, fields: Record<string, string>) => postForm(t.app, who, url, fields, { from: '/inbox/new' });

describe('the home page', () => {
  it('shows visitors the way in and nothing of the site', async () => {
    const res = await get('/');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<a href="\/login">Log in<\/a> or <a href="\/register">register<\/a>/);
    assert.doesNotMatch(res.body, /Latest releases|Newest\.Release|id="stats-h"/);
  });

  it('shows a member the latest releases (not deleted ones), the statistics and the charts', async () => {
    const html = (await get('/', member)).body;
    assert.ok(html.indexOf('Newest.Release') < html.indexOf('Older.Release'), 'newest first');
    assert.doesNotMatch(html, /Deleted\.Release/);
    assert.match(html, /<div class="label">Members<\/div><div class="value">3<\/div>/);
    assert.match(html, /<div class="label">Releases<\/div><div class="value">2<\/div>/);
    assert.match(html, /<div class="label">Peers now<\/div><div class="value">0<\/div>/);
    assert.equal((html.match(/<svg class="chart"/g) ?? []).length, 3);
  });

  it("shows the member's ratio, watch deadline, download right and unread messages", async () => {
    const deadline = new Date(Date.now() + 5 * 86_400_000);
    await t.app.db.prisma.user.update({ where: { id: member.id }, data: { uploaded: 1n << 30n, downloaded: 2n << 30n, requiredRatio: 0.6, watchDeadline: deadline, canLeech: false } });
    await postForm(t.app, moderator, `/admin/inbox/new?member=${member.id}`, { subject: 'Hello', body: 'Welcome aboard.' }, { from: `/admin/inbox/new?member=${member.id}` });
    const html = (await get('/', member)).body;
    assert.match(html, /<div class="value bad">0\.50<\/div><div class="muted">required 0\.60/);
    assert.match(html, new RegExp(`until ${deadline.toISOString().slice(0, 10)}`));
    assert.match(html, /<div class="value bad">Withdrawn<\/div>/);
    assert.match(html, /<a href="\/inbox">1 unread<\/a>/);
  });
});

describe('news', () => {
  it('is written by staff only, with a CSRF token and a reason', async () => {
    assert.equal((await get('/admin/news', member)).statusCode, 403);
    assert.equal((await postNews(member, '/admin/news', { title: 'x', body: 'y', reason: 'because' })).statusCode, 403);
    assert.equal((await postForm(t.app, moderator, '/admin/news', { title: 'x', body: 'y', reason: 'because' }, { from: '/admin/news', csrf: false })).statusCode, 403);
    const noReason = await postNews(moderator, '/admin/news', { title: 'Upgrade', body: 'Downtime tonight.' });
    assert.equal(noReason.statusCode, 400);
    assert.ok(fieldError(noReason.body, 'reason-new'));
    assert.equal((await postNews(moderator, '/admin/news', { title: '', body: 'x'.repeat(20_001), reason: 'too big' })).statusCode, 400);
  });

  it('previews, posts, edits and deletes a post, each change logged, and the home page shows it rendered safely', async () => {
    const body = '**Tracker upgrade** tonight.\n\n<script>alert(1)</script> [evil](javascript:alert(1))';
    const preview = await postNews(moderator, '/admin/news', { title: 'Upgrade', body, preview: 'yes' });
    assert.match(preview.body, /<strong>Tracker upgrade<\/strong>/);
    assert.equal(await t.app.db.prisma.newsPost.count(), 0, 'a preview saves nothing');

    assert.equal((await postNews(moderator, '/admin/news', { title: 'Upgrade', body, reason: 'announce the downtime' })).statusCode, 303);
    const home = (await get('/', member)).body;
    assert.match(home, /<h3>Upgrade<\/h3>/);
    assert.match(home, /<strong>Tracker upgrade<\/strong> tonight\./);
    assert.doesNotMatch(home, /<script>alert/);
    assert.doesNotMatch(home, /href="javascript:/);

    const { id } = await t.app.db.prisma.newsPost.findFirstOrThrow({ select: { id: true } });
    assert.equal((await postNews(moderator, `/admin/news/${id}`, { title: 'Upgrade done', body: 'All back.', reason: 'update' })).statusCode, 303);
    assert.match((await get('/', member)).body, /<h3>Upgrade done<\/h3>/);
    assert.equal((await postNews(moderator, `/admin/news/${id}/delete`, { 'delete-reason': '' })).statusCode, 400);
    assert.equal((await postNews(moderator, `/admin/news/${id}/delete`, { 'delete-reason': 'old news' })).statusCode, 303);
    assert.match((await get('/', member)).body, /No news yet\./);
    const actions = (await t.app.db.prisma.moderationLog.findMany({ where: { action: { startsWith: 'news_' } }, select: { action: true }, orderBy: { id: 'asc' } })).map((e) => e.action);
    assert.deepEqual(actions, ['news_add', 'news_edit', 'news_delete']);
  });

  it('answers unknown posts with a 404', async () => {
    assert.equal((await postNews(moderator, '/admin/news/999999', { title: 'x', body: 'y', reason: 'because' })).statusCode, 404);
    assert.equal((await postNews(moderator, '/admin/news/abc/delete', { 'delete-reason': 'because' })).statusCode, 404);
  });
});
