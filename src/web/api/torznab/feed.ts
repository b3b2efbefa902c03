// Torznab's XML: the caps document, the RSS 2.0 result feed with torznab:attr elements, and
// the Newznab error element. Built with xmlbuilder2, which escapes text and attributes;
// characters XML 1.0 cannot carry at all (C0 controls, lone surrogates) are dropped first.
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { CapsCategory } from './categories.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from './query.js';

export const TORZNAB_NS = 'http://torznab.com/schemas/2015/feed';
const ATOM_NS = 'http://www.w3.org/2005/Atom';

/** Drops what XML 1.0 forbids (the builder would otherwise write an unparseable document). */
export const xmlSafe = (text: string): string =>
  text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');

const document = () => create({ version: '1.0', encoding: 'UTF-8' });

export function errorXml(code: number, description: string): string {
  return document().ele('error', { code: String(code), description: xmlSafe(description) }).end();
}

export function capsXml(options: { siteName: string; categories: CapsCategory[] }): string {
  const caps = document().ele('caps');
  caps.ele('server', { version: '1.0', title: xmlSafe(options.siteName) });
  caps.ele('limits', { default: String(DEFAULT_LIMIT), max: String(MAX_LIMIT) });
  const searching = caps.ele('searching');
  const offer = (name: string, params: string) => searching.ele(name, { available: 'yes', supportedParams: params });
  offer('search', 'q');
  offer('tv-search', 'q,season,ep,imdbid,tvdbid');
  offer('movie-search', 'q,imdbid,tmdbid');
  offer('music-search', 'q,artist,album');
  offer('audio-search', 'q,artist,album');
  offer('book-search', 'q,title,author');
  const categories = caps.ele('categories');
  for (const category of options.categories) {
    const node = categories.ele('category', { id: String(category.id), name: xmlSafe(category.name) });
    for (const sub of category.subcats) node.ele('subcat', { id: String(sub.id), name: sub.name });
  }
  return caps.end();
}

export interface FeedItem {
  title: string;
  /** the details page: guid, link and comments */
  detailsUrl: string;
  downloadUrl: string;
  pubDate: Date;
  size: bigint;
  categories: number[];
  /** torznab:attr name -> value, in order */
  attrs: Array<[string, string]>;
}

/** RFC 822 dates, as RSS 2.0 wants them: `Sun, 06 Dec 2026 09:00:00 +0000`. */
export const rfc822 = (date: Date): string => date.toUTCString().replace(/GMT$/, '+0000');

function addItem(channel: XMLBuilder, item: FeedItem): void {
  const node = channel.ele('item');
  node.ele('title').txt(xmlSafe(item.title));
  node.ele('guid', { isPermaLink: 'true' }).txt(item.detailsUrl);
  node.ele('link').txt(item.detailsUrl);
  node.ele('comments').txt(item.detailsUrl);
  node.ele('pubDate').txt(rfc822(item.pubDate));
  node.ele('size').txt(item.size.toString());
  for (const id of item.categories) node.ele('category').txt(String(id));
  node.ele('enclosure', { url: item.downloadUrl, length: item.size.toString(), type: 'application/x-bittorrent' });
  for (const [name, value] of item.attrs) node.ele('torznab:attr', { name, value: xmlSafe(value) });
}

export function feedXml(options: { siteName: string; baseUrl: string; selfUrl: string; items: FeedItem[] }): string {
  const rss = document().ele('rss', { version: '2.0', 'xmlns:atom': ATOM_NS, 'xmlns:torznab': TORZNAB_NS });
  const channel = rss.ele('channel');
  channel.ele('atom:link', { href: options.selfUrl, rel: 'self', type: 'application/rss+xml' });
  channel.ele('title').txt(xmlSafe(options.siteName));
  channel.ele('description').txt(`${xmlSafe(options.siteName)} Torznab feed`);
  channel.ele('link').txt(options.baseUrl);
  channel.ele('language').txt('en-us');
  for (const item of options.items) addItem(channel, item);
  return rss.end();
}
