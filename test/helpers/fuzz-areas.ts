// What the web fuzz specs drive, by area of the site: each page, each path with an `:id`, and
// each form is in exactly one area (test/web/fuzz/areas.test.ts checks that no two areas share one).
import type { FuzzSite } from './fuzz.js';
import type { Member } from './releases.js';

export interface FuzzArea {
  /** GET pages, given hostile query strings. */
  pages(s: FuzzSite): string[];
  /** GET paths with an odd id in place of `id`. */
  idPaths?(id: string, s: FuzzSite): string[];
  /** Forms, given hostile posts as `who`. */
  forms(who: Member, s: FuzzSite): string[];
}

const TOKEN = 'A'.repeat(43);

export const AREAS = {
  /** Public and sign-in pages: home, registration, login, recovery, verification. */
  public: {
    pages: () => ['/', '/login', '/register', '/forgot', `/reset/${TOKEN}`, `/verify-email/${TOKEN}`, '/login/two-factor'],
    forms: (who) => ['/register', '/login', '/forgot', `/reset/${TOKEN}`, `/verify-email/${TOKEN}`, `/users/${who.id}/email/verify`, '/login/two-factor'],
  },
  /** Releases, upload, comments and the release feeds. */
  releases: {
    pages: (s) => [
      '/releases', `/releases/${s.releaseId}`, `/releases/${s.releaseId}/download`, '/upload', `/rss/${s.member.rssToken}`,
      `/users/${s.victim.id}/comments`, `/releases/${s.releaseId}/edit`, `/comments/${s.community.comment}/edit`,
    ],
    idPaths: (id) => [`/releases/${id}`, `/releases/${id}/download`, `/rss/${id}`, `/comments/${id}/edit`, `/users/${id}/comments`, `/releases/${id}/edit`],
    forms: (_who, s) => [`/releases/${s.releaseId}/comments`, `/comments/${s.community.comment}`, `/comments/${s.community.comment}/delete`, `/releases/${s.releaseId}/edit`],
  },
  /** Profiles, account settings, password, sessions and invites. */
  accounts: {
    pages: (s) => {
      const me = s.member.id;
      return [`/users/${me}`, `/users/${me}/settings`, `/users/${s.victim.id}`, `/users/${s.victim.id}/settings`, '/invites', `/users/${me}/sessions`, `/users/${s.victim.id}/sessions`, '/invites/invitees'];
    },
    idPaths: (id) => [`/users/${id}`, `/users/${id}/settings`],
    forms: (who, s) => [
      '/invites', '/invites/1/revoke', '/invites/999999/revoke',
      `/users/${who.id}/settings`, `/users/${who.id}/password`, `/users/${s.victim.id}/settings`, `/users/${s.victim.id}/password`, '/users/999999/settings', '/users/constructor/password',
      `/users/${who.id}/sessions/revoke`, `/users/${who.id}/sessions/revoke-others`, `/users/${s.victim.id}/sessions/revoke`,
    ],
  },
  /** Two-factor login, privacy, bookmarks, notifications and their personal feeds. */
  personal: {
    pages: (s) => {
      const me = s.member.id;
      return [`/users/${me}/two-factor`, `/users/${s.victim.id}/two-factor`, '/bookmarks', '/notifications', '/notifications/filters', `/rss/${s.member.rssToken}/bookmarks`, `/rss/${s.member.rssToken}/filters/1`];
    },
    idPaths: (id, s) => [`/users/${id}/two-factor`, `/rss/${id}/bookmarks`, `/rss/${s.member.rssToken}/filters/${id}`],
    forms: (who, s) => [
      `/users/${who.id}/two-factor/enable`, `/users/${who.id}/two-factor/disable`, `/users/${who.id}/two-factor/recovery-codes`, `/users/${s.victim.id}/two-factor/disable`,
      `/users/${who.id}/privacy`, `/users/${s.victim.id}/privacy`, `/releases/${s.releaseId}/bookmark`, '/releases/99999999999/bookmark',
      '/notifications/read', '/notifications/filters', '/notifications/filters/1/delete', '/notifications/filters/constructor/delete',
    ],
  },
  /** Inbox and staff inbox, appeals, reports and news. */
  community: {
    pages: (s) => [
      '/inbox', '/inbox/new', `/inbox/${s.community.ticket}`, `/inbox/${s.community.victimTicket}`, '/admin/inbox', '/admin/inbox/new', '/report', '/admin/reports',
      `/admin/reports/${s.community.report}`, '/admin/news',
    ],
    idPaths: (id) => [`/inbox/${id}`, `/admin/reports/${id}`, `/admin/inbox/new?member=${id}`, `/report?release=${id}`, `/report?member=${id}`],
    forms: (_who, s) => [
      '/inbox', `/inbox/${s.community.ticket}/reply`, `/inbox/${s.community.victimTicket}/reply`, ...['assign', 'resolve', 'reopen'].map((a) => `/inbox/${s.community.ticket}/${a}`),
      '/appeal', `/admin/inbox/new?member=${s.victim.id}`, `/report?release=${s.releaseId}`, `/report?member=${s.victim.id}`, '/report',
      ...['claim', 'unclaim', 'resolve'].map((a) => `/admin/reports/${s.community.report}/${a}`),
      '/admin/news', `/admin/news/${s.community.news}`, `/admin/news/${s.community.news}/delete`,
    ],
  },
  /** Staff pages and staff actions on members and releases. */
  admin: {
    pages: (s) => ['/admin', '/admin/users', `/admin/users/${s.victim.id}`, '/admin/releases', `/admin/releases/${s.releaseId}`, '/admin/log', '/admin/settings', `/admin/users/${s.victim.id}/invites`],
    idPaths: (id) => [`/admin/users/${id}`, `/admin/releases/${id}`, `/admin/users/${id}/invites`],
    forms: (_who, s) => [
      `/admin/releases/${s.releaseId}`, '/admin/releases/freeleech', '/admin/settings', '/admin/site-freeleech',
      ...['warn', 'leech', 'enabled', 'traffic', 'role', 'invites', 'hnr', 'reset-link', 'constructor', '__proto__', 'toString'].map((a) => `/admin/users/${s.victim.id}/${a}`),
      '/admin/users/99999999999/warn', `/admin/releases/${s.releaseId}/delete`, `/admin/users/${s.victim.id}/two-factor`,
    ],
  },
  /** The ratio economy: bonus points, shop, tokens, reseeds, requests, notices, classes and perks. */
  economy: {
    pages: () => ['/bonus'],
    forms: (_who, s) => [
      '/bonus', '/shop/token', '/shop/__proto__', `/releases/${s.releaseId}/token`, `/releases/${s.releaseId}/reseed`, '/releases/constructor/token', '/notices/read',
      '/requests', ...['bounty', 'fill', 'confirm', 'reject', 'withdraw'].map((a) => `/requests/1/${a}`), '/requests/constructor/fill',
      '/admin/classes', '/admin/shop', `/admin/users/${s.victim.id}/perks`,
    ],
  },
} satisfies Record<string, FuzzArea>;
