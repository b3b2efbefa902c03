// The RSS 2.0 document for one member's feed. Pure: no database, no Fastify, so the escaping
// is unit-tested directly. Every text node and attribute goes through escapeXml; characters XML
// 1.0 forbids (C0 controls other than tab, LF, CR) are dropped, or a strict reader would
// reject the whole feed for one bad release name.
import { visibleName } from '../../torrents/index.js';
import { formatBytes } from '../view-helpers.js';
import type { FeedRelease } from './queries.js';

// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(value: string): string {
  return value.replace(FORBIDDEN, '').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

export interface FeedOptions {
  siteName: string;
  baseUrl: string;
  token: string;
  category: { name: string; slug: string } | null;
  releases: FeedRelease[];
  now: Date;
  /** a personal feed (bookmarks, a notification filter): its own title and path after /rss/<token> */
  personal?: { title: string; path: string; description: string };
}

export const feedDownloadUrl = (baseUrl: string, releaseId: number, token: string): string =>
  `${baseUrl}/releases/${releaseId}/download?rss=${token}`;

function feedItem(options: FeedOptions, release: FeedRelease): string {
  const link = `${options.baseUrl}/releases/${release.id}`;
  const description = `${release.categoryName} · ${formatBytes(release.size)}`;
  return [
    '<item>',
    `<title>${escapeXml(visibleName(release.name))}</title>`,
    `<link>${escapeXml(link)}</link>`,
    `<guid isPermaLink="true">${escapeXml(link)}</guid>`,
    `<pubDate>${release.createdAt.toUTCString()}</pubDate>`,
    `<category>${escapeXml(release.categoryName)}</category>`,
    `<description>${escapeXml(description)}</description>`,
    `<enclosure url="${escapeXml(feedDownloadUrl(options.baseUrl, release.id, options.token))}" length="${release.torrentBytes}" type="application/x-bittorrent"/>`,
    '</item>',
  ].join('');
}

export function buildFeed(options: FeedOptions): string {
  const { siteName, baseUrl, token, category, personal } = options;
  const title = personal ? `${siteName}: ${personal.title}` : category ? `${siteName}: new in ${category.name}` : `${siteName}: new releases`;
  const self = `${baseUrl}/rss/${token}${personal ? personal.path : category ? `?category=${encodeURIComponent(category.slug)}` : ''}`;
  const about = personal?.description ?? `The ${options.releases.length} newest releases on ${siteName}.`;
  const browse = `${baseUrl}/releases`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    '<channel>',
    `<title>${escapeXml(title)}</title>`,
    `<link>${escapeXml(browse)}</link>`,
    `<description>${escapeXml(`${about} Private feed: do not share its address.`)}</description>`,
    `<atom:link href="${escapeXml(self)}" rel="self" type="application/rss+xml"/>`,
    `<lastBuildDate>${options.now.toUTCString()}</lastBuildDate>`,
    '<ttl>15</ttl>',
    ...options.releases.map((release) => feedItem(options, release)),
    '</channel>',
    '</rss>',
    '',
  ].join('\n');
}
