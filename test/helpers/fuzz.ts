// Hostile input on the web pages, through app.inject, as a member and as staff: every GET page
// with odd query strings (prototype keys, NUL, invalid UTF-8 escapes, huge values, repeated
// keys, unknown ids, negative and overflowing numbers) and every form with odd posts. Whatever
// comes in, the answer is a page or a 4xx: never a 500. The specs in test/web/fuzz/ each drive
// one area of the site (its lists in test/helpers/fuzz-areas.ts) on a site of their own, so the
// runner takes them in parallel.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from './app.js';
import type { FuzzArea } from './fuzz-areas.js';
import { createMember, firstCategoryId, getCsrf, seedReleases, type Member } from './releases.js';

/** Raw query-string values (already percent-encoded where they need to be). */
export const VALUES = [
  'constructor', '__proto__', 'toString', 'hasOwnProperty', 'prototype', 'valueOf',
  '%00', 'a%00b', '%ff', '%C3%28', '%E0%A4', '%ED%A0%80', '%', '%%', '%zz', '%u0041',
  'x'.repeat(5000), '%41'.repeat(3000),
  '-1', '0', '1.5', '1e308', '-9999999999999999999', '99999999999999999999', '9007199254740993', 'NaN', 'Infinity', '0x10',
  '', '%20', '%0A%0D', '%E2%80%AE', "'%3B%20DROP%20TABLE%20users%3B--", '%5B%5D', '%7B%7D', '..%2F..%2Fetc%2Fpasswd',
];
/** Every query key a page reads, and some no page reads. */
export const KEYS = ['q', 'sort', 'order', 'page', 'category', 'freeleech', 'filter', 'status', 'action', 'actor', 'target', 'ip', 'name', 'mode', 'next', 'invite', 'rss', 'deleted', 'view', 'id', 'member', 'release', 'comments', 'uploads'];
export const PROTO_QUERIES = ['__proto__[sort]=name', 'constructor[prototype][x]=1', '__proto__=1&sort=__proto__', 'sort[]=name&sort[]=size', 'page[0]=1', 'q[a]=b'];
/** Ids no row has, or that are no id at all, for the `:id` in paths. */
export const ODD_IDS = ['0', '-1', '99999999', '99999999999999999999', '1.5', '1e3', '0x1', 'constructor', '__proto__', '%00', '%ff', 'abc', '%201'];
/** Every field name a form reads, and some no form reads. */
export const FIELD_NAMES = ['username', 'password', 'confirm', 'email', 'invite', 'next', 'amount', 'points', 'count', 'current', 'name', 'category', 'description', 'mode', 'reason',
  'warn-reason', 'days', 'role', 'enabled', 'uploaded', 'downloaded', 'hours', 'ids', 'release', 'udpFirst', 'announceInterval', 'minInterval', 'maxPeersPerMember',
  'maxPeersPerRelease', 'registrationMode', 'siteName', 'sourceTag', 'clientDeny', 'clientAllow', 'band_from_0', 'band_max_0', 'band_min_0', 'watchDays',
  'edit-reason', 'settings-reason', 'delete-reason', 'traffic-reason', 'role-reason', 'leech-reason', 'enabled-reason', 'invites-reason', 'hnr-reason', 'freeleech-reason', 'id', 'transfer',
  'subject', 'body', 'assignee', 'resolve', 'kind', 'outcome', 'action', 'title', 'preview', 'imdbId', 'tmdbId', 'tvdbId',
  'code', 'disable-password', 'disable-code', 'renew-code', 'listsVisibleTo', 'back', 'words', 'categoryId', 'freeleechOnly', 'two-factor-reason', 'staffTwoFactor',
  'bounty', 'links', 'c0_name', 'c0_minDays', 'c0_minRatio', 'c0_mayUpload', 's0_key', 's0_kind', 's0_amount', 's0_price', 'perks-tokens', 'perks-freeleech', 'perks-reason', 'tokenHours'];

/** Form bodies carrying a valid CSRF token, so the posts get past the token check to the handlers. */
export function hostileBodies(token: string): string[] {
  return [
    '',
    ...VALUES.filter((v) => v.length < 100).map((value) => [...FIELD_NAMES.map((name) => `${name}=${value}`), `_csrf=${token}`].join('&')),
    [...FIELD_NAMES.map((name) => `${name}=1&${name}=2`), `_csrf=${token}`].join('&'),
    [...FIELD_NAMES.map((name) => `${name}=${'x'.repeat(70_000 / FIELD_NAMES.length)}`), `_csrf=${token}`].join('&'),
    `__proto__[isAdmin]=1&constructor[prototype][x]=1&_csrf=${token}`,
    `_csrf=${token}&_csrf=${token}`,
    `_csrf[]=${token}`,
  ];
}

export interface Fault {
  method: string;
  url: string;
  status: number;
  body: string;
}

/** One of each community row, so the forms reach their handlers' checks. */
export interface CommunityRows {
  ticket: number;
  victimTicket: number;
  report: number;
  comment: number;
  news: number;
}

export interface FuzzSite {
  t: TestApp;
  admin: Member;
  member: Member;
  victim: Member;
  releaseId: number;
  community: CommunityRows;
  /** Sends one request; an answer of 500 or more is kept in `faults`. */
  hit(method: 'GET' | 'POST', url: string, cookie: string, payload?: string | Buffer, contentType?: string): Promise<void>;
  /** The faults kept since the last call, emptied. */
  takeFaults(): Fault[];
}

/** A fresh site with a member, a staff member, a third member to act upon, a release and one row of each community kind. */
export async function openFuzzSite(): Promise<FuzzSite> {
  const t = await buildTestApp();
  const admin = await createMember(t.app, 'fuzzadmin', 'admin');
  const member = await createMember(t.app, 'fuzzmember');
  const victim = await createMember(t.app, 'fuzzvictim');
  const [releaseId] = await seedReleases(t.app, [{ name: 'Fuzz target', categoryId: await firstCategoryId(t.app), uploaderId: member.id }]);
  const community = await seedCommunity(t, { admin, member, victim, releaseId });
  const faults: Fault[] = [];
  let ipCounter = 0;
  // A new client address per request: the rate limits are per address and are not under test here.
  const nextIp = (): string => `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter++ & 255}`;
  const hit: FuzzSite['hit'] = async (method, url, cookie, payload, contentType) => {
    const headers: Record<string, string> = { cookie };
    if (contentType) headers['content-type'] = contentType;
    const res = await t.app.inject({ method, url, headers, payload, remoteAddress: nextIp() });
    if (res.statusCode >= 500) faults.push({ method, url: url.slice(0, 200), status: res.statusCode, body: res.body.slice(0, 200) });
  };
  return { t, admin, member, victim, releaseId, community, hit, takeFaults: () => faults.splice(0) };
}

async function seedCommunity(t: TestApp, who: { admin: Member; member: Member; victim: Member; releaseId: number }): Promise<CommunityRows> {
  const prisma = t.app.db.prisma;
  const { admin, member, victim, releaseId } = who;
  const ticket = await prisma.ticket.create({ data: { memberId: member.id, subject: 'fuzz', messages: { create: { authorId: member.id, body: 'hi' } } }, select: { id: true } });
  const victimTicket = await prisma.ticket.create({ data: { memberId: victim.id, subject: 'victim', messages: { create: { authorId: victim.id, body: 'hi' } } }, select: { id: true } });
  const report = await prisma.report.create({ data: { reporterId: member.id, releaseId, kind: 'fake', reason: 'fuzz report' }, select: { id: true } });
  const comment = await prisma.comment.create({ data: { releaseId, authorId: member.id, body: 'fuzz comment' }, select: { id: true } });
  const news = await prisma.newsPost.create({ data: { authorId: admin.id, title: 'fuzz', body: 'news' }, select: { id: true } });
  return { ticket: ticket.id, victimTicket: victimTicket.id, report: report.id, comment: comment.id, news: news.id };
}

/** Every page, as the member and as staff, with each hostile value under every key, prototype queries and repeated keys. */
export async function fuzzPages(site: FuzzSite, pages: string[]): Promise<Fault[]> {
  for (const who of [site.member, site.admin]) {
    for (const page of pages) {
      for (const value of VALUES) await site.hit('GET', `${page}?${KEYS.map((key) => `${key}=${value}`).join('&')}`, who.cookie);
      for (const query of PROTO_QUERIES) await site.hit('GET', `${page}?${query}`, who.cookie);
      await site.hit('GET', `${page}?${KEYS.map((key) => `${key}=1&${key}=2`).join('&')}`, who.cookie);
    }
  }
  return site.takeFaults();
}

/** Every path with each odd id in it, as the member and as staff. */
export async function fuzzIdPaths(site: FuzzSite, paths: (id: string) => string[]): Promise<Fault[]> {
  for (const who of [site.member, site.admin]) {
    for (const id of ODD_IDS) for (const path of paths(id)) await site.hit('GET', path, who.cookie);
  }
  return site.takeFaults();
}

/**
 * Every form, as the member and as staff, with the hostile bodies and two JSON bodies. One CSRF
 * token per form serves all its bodies: a token stays valid for the session that fetched it.
 */
export async function fuzzForms(site: FuzzSite, forms: (who: Member) => string[]): Promise<Fault[]> {
  for (const who of [site.member, site.admin]) {
    for (const url of forms(who)) {
      const { token, cookie } = await getCsrf(site.t.app, who.cookie, `/users/${who.id}/settings`);
      for (const body of hostileBodies(token)) await site.hit('POST', url, cookie, body, 'application/x-www-form-urlencoded');
      await site.hit('POST', url, cookie, '{"__proto__":{"x":1}}', 'application/json');
      await site.hit('POST', url, cookie, 'not json', 'application/json');
    }
  }
  return site.takeFaults();
}

/**
 * The three hostile-input specs for one area of the site, on a site of its own; `more` adds the
 * area's own specs, given the open site.
 */
export function describeFuzzArea(title: string, area: FuzzArea, more?: (site: () => FuzzSite) => void): void {
  describe(`web fuzz: ${title}`, () => {
    let site: FuzzSite;
    before(async () => {
      site = await openFuzzSite();
    });
    after(async () => {
      await site.t.close();
    });

    it('answers every page with hostile query strings without a 500, member and staff', async () => {
      assert.deepEqual(await fuzzPages(site, area.pages(site)), []);
    });
    const idPaths = area.idPaths;
    if (idPaths) {
      it('answers unknown and odd ids in paths with a 4xx', async () => {
        assert.deepEqual(await fuzzIdPaths(site, (id) => idPaths(id, site)), []);
      });
    }
    it('answers hostile form posts without a 500', async () => {
      assert.deepEqual(await fuzzForms(site, (who) => area.forms(who, site)), []);
    });
    more?.(() => site);
  });
}
