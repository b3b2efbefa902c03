// Hostile input on every web page, through app.inject, as a member and as staff: every GET page
// with odd query strings (prototype keys, NUL, invalid UTF-8 escapes, huge values, repeated
// keys, unknown ids, negative and overflowing numbers) and every form with odd posts. Whatever
// comes in, the answer is a page or a 4xx: never a 500.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createMember, firstCategoryId, getCsrf, makeTorrent, multipart, seedReleases, type Member } from '../helpers/releases.js';

/** Raw query-string values (already percent-encoded where they need to be). */
const VALUES = [
  'constructor', '__proto__', 'toString', 'hasOwnProperty', 'prototype', 'valueOf',
  '%00', 'a%00b', '%ff', '%C3%28', '%E0%A4', '%ED%A0%80', '%', '%%', '%zz', '%u0041',
  'x'.repeat(5000), '%41'.repeat(3000),
  '-1', '0', '1.5', '1e308', '-9999999999999999999', '99999999999999999999', '9007199254740993', 'NaN', 'Infinity', '0x10',
  '', '%20', '%0A%0D', '%E2%80%AE', "'%3B%20DROP%20TABLE%20users%3B--", '%5B%5D', '%7B%7D', '..%2F..%2Fetc%2Fpasswd',
];
/** Every query key a page reads, and some no page reads. */
const KEYS = ['q', 'sort', 'order', 'page', 'category', 'freeleech', 'filter', 'status', 'action', 'actor', 'target', 'ip', 'name', 'mode', 'next', 'invite', 'rss', 'deleted', 'view', 'id', 'member', 'release', 'comments', 'uploads'];
const PROTO_QUERIES = ['__proto__[sort]=name', 'constructor[prototype][x]=1', '__proto__=1&sort=__proto__', 'sort[]=name&sort[]=size', 'page[0]=1', 'q[a]=b'];

interface Fault {
  method: string;
  url: string;
  status: number;
  body: string;
}

let ipCounter = 0;
/** A new client address per request: the rate limits are per address and are not under test here. */
const nextIp = (): string => `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter++ & 255}`;

describe('web fuzz', () => {
  let t: TestApp;
  let admin: Member;
  let member: Member;
  let victim: Member;
  let releaseId: number;
  let community: { ticket: number; victimTicket: number; report: number; comment: number; news: number };
  const faults: Fault[] = [];

  async function hit(method: 'GET' | 'POST', url: string, cookie: string, payload?: string | Buffer, contentType?: string): Promise<void> {
    const headers: Record<string, string> = { cookie };
    if (contentType) headers['content-type'] = contentType;
    const res = await t.app.inject({ method, url, headers, payload, remoteAddress: nextIp() });
    if (res.statusCode >= 500) faults.push({ method, url: url.slice(0, 200), status: res.statusCode, body: res.body.slice(0, 200) });
  }

  function pages(): string[] {
    const me = member.id;
    return [
      '/', '/releases', `/releases/${releaseId}`, `/releases/${releaseId}/download`, '/upload', `/users/${me}`, `/users/${me}/settings`,
      `/users/${victim.id}`, `/users/${victim.id}/settings`, '/invites', '/bonus', '/login', '/register', `/rss/${member.rssToken}`,
      '/admin', '/admin/users', `/admin/users/${victim.id}`, '/admin/releases', `/admin/releases/${releaseId}`, '/admin/log', '/admin/settings',
      '/forgot', `/reset/${'A'.repeat(43)}`, `/verify-email/${'A'.repeat(43)}`, `/users/${me}/sessions`, `/users/${victim.id}/sessions`,
      '/inbox', '/inbox/new', `/inbox/${community.ticket}`, `/inbox/${community.victimTicket}`, '/admin/inbox', '/admin/inbox/new', '/report', '/admin/reports',
      `/admin/reports/${community.report}`, '/admin/news', `/users/${victim.id}/comments`, `/releases/${releaseId}/edit`, `/comments/${community.comment}/edit`,
      `/users/${me}/two-factor`, `/users/${victim.id}/two-factor`, '/login/two-factor', '/bookmarks', '/notifications', '/notifications/filters',
      `/rss/${member.rssToken}/bookmarks`, `/rss/${member.rssToken}/filters/1`, '/invites/invitees', `/admin/users/${victim.id}/invites`,
    ];
  }

  before(async () => {
    t = await buildTestApp();
    admin = await createMember(t.app, 'fuzzadmin', 'admin');
    member = await createMember(t.app, 'fuzzmember');
    victim = await createMember(t.app, 'fuzzvictim');
    [releaseId] = await seedReleases(t.app, [{ name: 'Fuzz target', categoryId: await firstCategoryId(t.app), uploaderId: member.id }]);
    community = await seedCommunity();
  });

  /** One of each community row, so the forms reach their handlers' checks. */
  async function seedCommunity() {
    const prisma = t.app.db.prisma;
    const ticket = await prisma.ticket.create({ data: { memberId: member.id, subject: 'fuzz', messages: { create: { authorId: member.id, body: 'hi' } } }, select: { id: true } });
    const victimTicket = await prisma.ticket.create({ data: { memberId: victim.id, subject: 'victim', messages: { create: { authorId: victim.id, body: 'hi' } } }, select: { id: true } });
    const report = await prisma.report.create({ data: { reporterId: member.id, releaseId, kind: 'fake', reason: 'fuzz report' }, select: { id: true } });
    const comment = await prisma.comment.create({ data: { releaseId, authorId: member.id, body: 'fuzz comment' }, select: { id: true } });
    const news = await prisma.newsPost.create({ data: { authorId: admin.id, title: 'fuzz', body: 'news' }, select: { id: true } });
    return { ticket: ticket.id, victimTicket: victimTicket.id, report: report.id, comment: comment.id, news: news.id };
  }
  after(async () => {
    await t.close();
  });

  it('renders browse for the reported inputs, ignoring the bad value', async () => {
    for (const query of ['sort=constructor', 'sort=__proto__', 'sort=toString', 'q=%00', 'q=a%00b&sort=name', 'q=x&q=y', 'sort=name&sort=size']) {
      const res = await t.app.inject({ url: `/releases?${query}`, headers: { cookie: member.cookie } });
      assert.equal(res.statusCode, 200, query);
    }
  });

  it('answers every page with hostile query strings without a 500, member and staff', async () => {
    for (const who of [member, admin]) {
      for (const page of pages()) {
        for (const value of VALUES) await hit('GET', `${page}?${KEYS.map((key) => `${key}=${value}`).join('&')}`, who.cookie);
        for (const query of PROTO_QUERIES) await hit('GET', `${page}?${query}`, who.cookie);
        await hit('GET', `${page}?${KEYS.map((key) => `${key}=1&${key}=2`).join('&')}`, who.cookie);
      }
    }
    assert.deepEqual(faults.splice(0), []);
  });

  it('answers unknown and odd ids in paths with a 4xx', async () => {
    const ids = ['0', '-1', '99999999', '99999999999999999999', '1.5', '1e3', '0x1', 'constructor', '__proto__', '%00', '%ff', 'abc', ' 1'.replace(' ', '%20')];
    for (const who of [member, admin]) {
      for (const id of ids) {
        for (const path of [
          `/releases/${id}`, `/releases/${id}/download`, `/users/${id}`, `/users/${id}/settings`, `/admin/users/${id}`, `/admin/releases/${id}`, `/rss/${id}`,
          `/inbox/${id}`, `/admin/reports/${id}`, `/comments/${id}/edit`, `/users/${id}/comments`, `/releases/${id}/edit`, `/admin/inbox/new?member=${id}`, `/report?release=${id}`, `/report?member=${id}`,
          `/users/${id}/two-factor`, `/admin/users/${id}/invites`, `/rss/${id}/bookmarks`, `/rss/${member.rssToken}/filters/${id}`]) {
          await hit('GET', path, who.cookie);
        }
      }
    }
    assert.deepEqual(faults.splice(0), []);
  });

  it('answers hostile form posts without a 500', async () => {
    const forms = (who: Member): string[] => [
      '/register', '/login', '/invites', `/invites/1/revoke`, `/invites/999999/revoke`, '/bonus',
      `/users/${who.id}/settings`, `/users/${who.id}/password`, `/users/${victim.id}/settings`, `/users/${victim.id}/password`,
      `/users/999999/settings`, `/users/constructor/password`,
      '/forgot', `/reset/${'A'.repeat(43)}`, `/verify-email/${'A'.repeat(43)}`, `/users/${who.id}/email/verify`,
      `/users/${who.id}/sessions/revoke`, `/users/${who.id}/sessions/revoke-others`, `/users/${victim.id}/sessions/revoke`,
      `/admin/releases/${releaseId}`, '/admin/releases/freeleech', '/admin/settings', '/admin/site-freeleech',
      ...['warn', 'leech', 'enabled', 'traffic', 'role', 'invites', 'hnr', 'reset-link', 'constructor', '__proto__', 'toString'].map((a) => `/admin/users/${victim.id}/${a}`),
      `/admin/users/99999999999/warn`, `/admin/releases/${releaseId}/delete`,
      '/inbox', `/inbox/${community.ticket}/reply`, `/inbox/${community.victimTicket}/reply`, ...['assign', 'resolve', 'reopen'].map((a) => `/inbox/${community.ticket}/${a}`),
      '/appeal', `/admin/inbox/new?member=${victim.id}`, `/report?release=${releaseId}`, `/report?member=${victim.id}`, '/report',
      ...['claim', 'unclaim', 'resolve'].map((a) => `/admin/reports/${community.report}/${a}`),
      `/releases/${releaseId}/comments`, `/comments/${community.comment}`, `/comments/${community.comment}/delete`, `/releases/${releaseId}/edit`,
      '/admin/news', `/admin/news/${community.news}`, `/admin/news/${community.news}/delete`,
      `/users/${who.id}/two-factor/enable`, `/users/${who.id}/two-factor/disable`, `/users/${who.id}/two-factor/recovery-codes`, `/users/${victim.id}/two-factor/disable`,
      '/login/two-factor', `/users/${who.id}/privacy`, `/users/${victim.id}/privacy`, `/releases/${releaseId}/bookmark`, '/releases/99999999999/bookmark',
      '/notifications/read', '/notifications/filters', '/notifications/filters/1/delete', '/notifications/filters/constructor/delete', `/admin/users/${victim.id}/two-factor`,
    ];
    const fieldNames = ['username', 'password', 'confirm', 'email', 'invite', 'next', 'amount', 'points', 'count', 'current', 'name', 'category', 'description', 'mode', 'reason',
      'warn-reason', 'days', 'role', 'enabled', 'uploaded', 'downloaded', 'hours', 'ids', 'release', 'udpFirst', 'announceInterval', 'minInterval', 'maxPeersPerMember',
      'maxPeersPerRelease', 'registrationMode', 'siteName', 'sourceTag', 'clientDeny', 'clientAllow', 'band_from_0', 'band_max_0', 'band_min_0', 'watchDays',
      'edit-reason', 'settings-reason', 'delete-reason', 'traffic-reason', 'role-reason', 'leech-reason', 'enabled-reason', 'invites-reason', 'hnr-reason', 'freeleech-reason', 'id', 'transfer',
      'subject', 'body', 'assignee', 'resolve', 'kind', 'outcome', 'action', 'title', 'preview', 'imdbId', 'tmdbId', 'tvdbId',
      'code', 'disable-password', 'disable-code', 'renew-code', 'listsVisibleTo', 'back', 'words', 'categoryId', 'freeleechOnly', 'two-factor-reason', 'staffTwoFactor'];
    for (const who of [member, admin]) {
      for (const url of forms(who)) {
        const { token, cookie } = await getCsrf(t.app, who.cookie, `/users/${who.id}/settings`);
        const bodies = [
          '',
          ...VALUES.filter((v) => v.length < 100).map((value) => [...fieldNames.map((name) => `${name}=${value}`), `_csrf=${token}`].join('&')),
          [...fieldNames.map((name) => `${name}=1&${name}=2`), `_csrf=${token}`].join('&'),
          [...fieldNames.map((name) => `${name}=${'x'.repeat(70_000 / fieldNames.length)}`), `_csrf=${token}`].join('&'),
          `__proto__[isAdmin]=1&constructor[prototype][x]=1&_csrf=${token}`,
          `_csrf=${token}&_csrf=${token}`,
          `_csrf[]=${token}`,
        ];
        for (const body of bodies) await hit('POST', url, cookie, body, 'application/x-www-form-urlencoded');
        await hit('POST', url, cookie, '{"__proto__":{"x":1}}', 'application/json');
        await hit('POST', url, cookie, 'not json', 'application/json');
      }
    }
    assert.deepEqual(faults.splice(0), []);
  });

  it('answers hostile uploads without a 500', async () => {
    const { token, cookie } = await getCsrf(t.app, member.cookie, '/upload');
    const category = String(await firstCategoryId(t.app));
    const cases = [
      [{ name: '_csrf', value: token }, { name: 'category', value: category }, { name: 'category', value: '2' }, { name: 'torrent', value: makeTorrent(), filename: 'a.torrent' }],
      [{ name: '_csrf', value: token }, { name: '__proto__', value: 'x' }, { name: 'constructor', value: 'x' }, { name: 'torrent', value: makeTorrent(), filename: 'a.torrent' }],
      [{ name: '_csrf', value: token }, { name: 'category', value: 'constructor' }, { name: 'name', value: 'a\u0000b' }, { name: 'torrent', value: makeTorrent(), filename: 'a.torrent' }],
      [{ name: '_csrf', value: token }, { name: 'category', value: category }, { name: 'torrent', value: Buffer.from('d4:infod4:name1:\u0000ee'), filename: 'x.torrent' }],
      [{ name: '_csrf', value: token }, { name: 'category', value: category }, { name: 'torrent', value: makeTorrent(), filename: 'a.torrent' }, { name: 'torrent', value: makeTorrent(), filename: 'b.torrent' }],
      [{ name: '_csrf', value: token }, { name: 'category', value: '99999999999999999999' }, { name: 'description', value: '\u0000'.repeat(1000) }, { name: 'torrent', value: makeTorrent(), filename: 'a.torrent' }],
      [{ name: '_csrf', value: token }, { name: 'category', value: category }, { name: 'torrent', value: 'not a file' }],
    ];
    for (const parts of cases) {
      const body = multipart(parts);
      await hit('POST', '/upload', cookie, body.payload, body.contentType);
    }
    assert.deepEqual(faults.splice(0), []);
  });
});
