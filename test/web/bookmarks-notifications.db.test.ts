import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { flashOf, postForm } from '../helpers/admin.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createMember, firstCategoryId, makeTorrent, uploadOk, type Member } from '../helpers/releases.js';

describe('bookmarks and notification filters', () => {
  let t: TestApp;
  let uploader: Member;
  let ana: Member;
  let ivan: Member;
  let movies = 0;
  let music = 0;
  let n = 0;

  const get = (who: Member, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: who.cookie } });
  const feed = (url: string) => t.app.inject({ method: 'GET', url });
  const upload = (name: string, category = movies) => uploadOk(t.app, uploader, { torrent: makeTorrent({ name }), category, ip: `10.7.0.${++n}` });
  const addFilter = (who: Member, fields: Record<string, string>) => postForm(t.app, who, '/notifications/filters', fields, { from: '/notifications/filters' });
  const notificationsOf = (who: Member) => t.db.prisma.notification.findMany({ where: { userId: who.id }, include: { release: true, filter: true }, orderBy: { id: 'asc' } });

  before(async () => {
    t = await buildTestApp();
    uploader = await createMember(t.app, 'uploader');
    ana = await createMember(t.app, 'ana');
    ivan = await createMember(t.app, 'ivan');
    movies = await firstCategoryId(t.app, 'Movies');
    music = await firstCategoryId(t.app, 'Music');
  });
  after(() => t.close());

  describe('bookmarks', () => {
    let releaseId = 0;
    before(async () => {
      releaseId = await upload('Bookmarked.Film.2024.1080p');
    });

    it('adds a bookmark from the release page, lists it, and removes it', async () => {
      const page = await get(ana, `/releases/${releaseId}`);
      assert.match(page.body, /id="bookmark-form"[^]*?value="add"/);
      const added = await postForm(t.app, ana, `/releases/${releaseId}/bookmark`, { action: 'add' }, { from: `/releases/${releaseId}` });
      assert.equal(added.statusCode, 303);
      assert.equal(added.headers.location, `/releases/${releaseId}`);
      await postForm(t.app, ana, `/releases/${releaseId}/bookmark`, { action: 'add' }, { from: `/releases/${releaseId}` });
      assert.equal(await t.db.prisma.bookmark.count({ where: { userId: ana.id } }), 1, 'twice is once');
      assert.match((await get(ana, `/releases/${releaseId}`)).body, /Remove bookmark/);
      const list = await get(ana, '/bookmarks');
      assert.match(list.body, /Bookmarked\.Film\.2024\.1080p/);
      assert.match(list.body, new RegExp(`/rss/${ana.rssToken}/bookmarks`));
      assert.doesNotMatch((await get(ivan, '/bookmarks')).body, /Bookmarked\.Film/, 'bookmarks are personal');
      const removed = await postForm(t.app, ana, `/releases/${releaseId}/bookmark`, { action: 'remove', back: 'bookmarks' }, { from: '/bookmarks' });
      assert.equal(removed.headers.location, '/bookmarks');
      assert.equal(await t.db.prisma.bookmark.count({ where: { userId: ana.id } }), 0);
    });

    it('serves the bookmarks as a private RSS feed under the RSS token', async () => {
      await postForm(t.app, ana, `/releases/${releaseId}/bookmark`, { action: 'add' }, { from: `/releases/${releaseId}` });
      const rss = await feed(`/rss/${ana.rssToken}/bookmarks`);
      assert.equal(rss.statusCode, 200);
      assert.match(rss.headers['content-type'] as string, /application\/rss\+xml/);
      assert.equal(rss.headers['cache-control'], 'private, no-store');
      assert.match(rss.body, /<title>seedkeep: ana's bookmarks<\/title>|<title>[^<]*ana&apos;s bookmarks<\/title>/);
      assert.match(rss.body, /Bookmarked\.Film\.2024\.1080p/);
      assert.match(rss.body, new RegExp(`download\\?rss=${ana.rssToken}`));
      assert.doesNotMatch((await feed(`/rss/${ivan.rssToken}/bookmarks`)).body, /Bookmarked\.Film/);
      assert.equal((await feed(`/rss/${'0'.repeat(32)}/bookmarks`)).statusCode, 404);
      assert.equal((await feed('/rss/not-a-token/bookmarks')).statusCode, 404);
    });

    it('refuses a bookmark without CSRF, of a missing release, or with no action', async () => {
      assert.equal((await postForm(t.app, ivan, `/releases/${releaseId}/bookmark`, { action: 'add' }, { from: `/releases/${releaseId}`, csrf: false })).statusCode, 403);
      assert.equal((await postForm(t.app, ivan, '/releases/999999/bookmark', { action: 'add' }, { from: `/releases/${releaseId}` })).statusCode, 404);
      assert.equal((await postForm(t.app, ivan, `/releases/${releaseId}/bookmark`, { action: 'sideways' }, { from: `/releases/${releaseId}` })).statusCode, 400);
    });
  });

  describe('notification filters', () => {
    it('saves a search and notifies of each matching upload, by whole words, category and freeleech', async () => {
      assert.equal((await addFilter(ana, { words: 'Dune 2160P', categoryId: String(movies) })).statusCode, 303);
      assert.equal((await addFilter(ana, { words: '', categoryId: String(music), name: 'All music' })).statusCode, 303);
      assert.equal((await addFilter(ivan, { words: 'фильм', freeleechOnly: 'yes' })).statusCode, 303);
      const gone = await createMember(t.app, 'gone');
      assert.equal((await addFilter(gone, { words: 'dune' })).statusCode, 303);
      await t.db.prisma.user.update({ where: { id: gone.id }, data: { enabled: false } });
      await upload('Dune.Part.Two.2024.2160p.UHD');
      await upload('Dune.Part.Two.2024.1080p'); // not 2160p
      await upload('Dunes.2160p'); // "dunes" is not "dune"
      await upload('Dune.2160p.Soundtrack', music); // wrong category for the first, right for the second
      await upload('Мой.Фильм.2024.1080p'); // not freeleech yet
      const anas = await notificationsOf(ana);
      assert.deepEqual(anas.map((x) => [x.release.name, x.filter.name]), [['Dune.Part.Two.2024.2160p.UHD', 'dune 2160p'], ['Dune.2160p.Soundtrack', 'All music']]);
      assert.equal((await notificationsOf(uploader)).length, 0, 'nobody is told of their own upload');
      assert.equal((await notificationsOf(gone)).length, 0, 'nor is a disabled member');
      assert.equal((await notificationsOf(ivan)).length, 0);
    });

    it('tells a freeleech-only filter when staff make a matching release free', async () => {
      const release = await t.db.prisma.release.findFirstOrThrow({ where: { name: 'Мой.Фильм.2024.1080p' } });
      const res = await postForm(t.app, uploader, '/admin/releases/freeleech', { ids: String(release.id), mode: 'freeleech', 'bulk-reason': 'promo' }, { from: '/admin/releases' });
      assert.ok(res.statusCode < 400, `${res.statusCode} ${flashOf(res)}`);
      const ivans = await notificationsOf(ivan);
      assert.deepEqual(ivans.map((x) => x.release.name), ['Мой.Фильм.2024.1080p']);
    });

    it('shows the unread count in the header and the notifications page, until marked read', async () => {
      const home = await get(ana, '/');
      assert.match(home.body, /id="unread-count">2</);
      const page = await get(ana, '/notifications');
      assert.match(page.body, /Dune\.Part\.Two\.2024\.2160p\.UHD/);
      assert.match(page.body, /All music/);
      assert.equal(page.body.match(/class="unread"/g)?.length, 2);
      assert.doesNotMatch((await get(ivan, '/notifications')).body, /Dune\.Part/, 'another member’s notifications stay theirs');
      assert.equal((await postForm(t.app, ana, '/notifications/read', {}, { from: '/notifications', csrf: false })).statusCode, 403);
      const old = await t.db.prisma.notification.findFirstOrThrow({ where: { userId: ana.id } });
      const longAgo = new Date(Date.now() - 31 * 86400_000);
      const stale = await t.db.prisma.notification.create({ data: { userId: ana.id, filterId: old.filterId, releaseId: (await upload('Old.Dune.2160p', music)), createdAt: longAgo, readAt: longAgo } });
      assert.equal((await postForm(t.app, ana, '/notifications/read', {}, { from: '/notifications' })).statusCode, 303);
      assert.equal(await t.db.prisma.notification.count({ where: { id: stale.id } }), 0, 'read a month ago: forgotten');
      assert.doesNotMatch((await get(ana, '/')).body, /id="unread-count"/);
      assert.equal((await get(ana, '/notifications')).body.match(/class="unread"/g), null);
    });

    it('serves each filter’s matches as its own RSS feed, to its owner’s token only', async () => {
      const filter = await t.db.prisma.notificationFilter.findFirstOrThrow({ where: { userId: ana.id, name: 'dune 2160p' } });
      const rss = await feed(`/rss/${ana.rssToken}/filters/${filter.id}`);
      assert.equal(rss.statusCode, 200);
      assert.match(rss.body, /Dune\.Part\.Two\.2024\.2160p\.UHD/);
      assert.doesNotMatch(rss.body, /Soundtrack/);
      assert.equal((await feed(`/rss/${ivan.rssToken}/filters/${filter.id}`)).statusCode, 404, 'not under another member’s token');
      assert.equal((await feed(`/rss/${ana.rssToken}/filters/abc`)).statusCode, 404);
      assert.match((await get(ana, '/notifications/filters')).body, new RegExp(`/rss/${ana.rssToken}/filters/${filter.id}`));
    });

    it('fills the form from the browse page’s search', async () => {
      const browse = await get(ana, `/releases?q=dune&category=${movies}`);
      const link = /id="notify-link"/.test(browse.body) ? /href="([^"]+)" id="notify-link"/.exec(browse.body)![1].replace(/&amp;/g, '&').replace(/&#x3D;/g, '=') : '';
      assert.equal(link, `/notifications/filters?q=dune&category=${movies}`);
      const form = await get(ana, link);
      assert.match(form.body, /id="words" name="words" value="dune"/);
      assert.match(form.body, new RegExp(`<option value="${movies}" selected>`));
      assert.doesNotMatch((await get(ana, '/releases')).body, /id="notify-link"/);
    });

    it('refuses an empty filter, a bad category, too many words, and CSRF-less or foreign deletes', async () => {
      const empty = await addFilter(ana, { words: ' .. ' });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /id="words-error"/);
      assert.equal((await addFilter(ana, { words: 'x', categoryId: '99999' })).statusCode, 400);
      assert.equal((await addFilter(ana, { words: 'a b c d e f g h i' })).statusCode, 400);
      assert.equal((await postForm(t.app, ana, '/notifications/filters', { words: 'x' }, { from: '/notifications/filters', csrf: false })).statusCode, 403);
      const filter = await t.db.prisma.notificationFilter.findFirstOrThrow({ where: { userId: ana.id } });
      assert.equal((await postForm(t.app, ivan, `/notifications/filters/${filter.id}/delete`, {}, { from: '/notifications/filters' })).statusCode, 404);
      assert.equal((await postForm(t.app, ana, `/notifications/filters/${filter.id}/delete`, {}, { from: '/notifications/filters' })).statusCode, 303);
      assert.equal(await t.db.prisma.notification.count({ where: { filterId: filter.id } }), 0, 'its notifications went with it');
    });

    it('allows at most 20 filters a member', async () => {
      const have = await t.db.prisma.notificationFilter.count({ where: { userId: ivan.id } });
      for (let i = have; i < 20; i++) assert.equal((await addFilter(ivan, { words: `word${i}` })).statusCode, 303);
      assert.equal((await addFilter(ivan, { words: 'one-too-many' })).statusCode, 409);
    });
  });
});
