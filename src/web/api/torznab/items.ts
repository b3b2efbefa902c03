// One search result as the *arr apps read it (Prowlarr's Torznab parser): seeders and peers
// (seeders + leechers) live from the tracker, grabs (snatches), files, infohash, the media
// ids, and the site's rules: volume factors from the release's traffic rule and the site-wide
// freeleech, minimumratio and minimumseedtime from the ratio table and the hit-and-run rule.
import { bandFor } from '../../../policy/ratio-table.js';
import type { PolicySettings } from '../../../settings.js';
import { newznabIds } from './categories.js';
import type { FeedItem } from './feed.js';
import type { TorznabRow } from './search.js';

export interface ItemContext {
  baseUrl: string;
  /** the member's token, in the enclosure URL: the *arr app downloads without a session */
  token: string;
  siteFreeleech: boolean;
  policy: Pick<PolicySettings, 'ratioTable' | 'hnrSeedHours'>;
  /** the member's credited download: their band of the ratio table */
  downloaded: bigint;
  countsOf(releaseId: number): { seeders: number; leechers: number };
}

/** [download, upload] factors, as the tracker credits them (docs: "How the books are kept"). */
export function volumeFactors(mode: TorznabRow['freeleech'], siteFreeleech: boolean): [number, number] {
  if (mode === 'neutral') return [0, 0];
  const upload = mode === 'double_upload' ? 2 : 1;
  const download = mode === 'freeleech' || siteFreeleech ? 0 : 1;
  return [download, upload];
}

/**
 * The ratio a member keeps by seeding each release to it: their band's "seeding none" value,
 * the most the ratio table can ask of them at their current download.
 */
export const minimumRatio = (context: Pick<ItemContext, 'policy' | 'downloaded'>): number => bandFor(context.policy.ratioTable, context.downloaded).max;

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

function mediaAttrs(row: TorznabRow): Array<[string, string]> {
  const attrs: Array<[string, string]> = [];
  if (row.imdbId) attrs.push(['imdb', row.imdbId.slice(2)], ['imdbid', row.imdbId]);
  if (row.tmdbId !== null) attrs.push(['tmdbid', String(row.tmdbId)]);
  if (row.tvdbId !== null) attrs.push(['tvdbid', String(row.tvdbId)]);
  return attrs;
}

export function feedItem(row: TorznabRow, context: ItemContext): FeedItem {
  const { seeders, leechers } = context.countsOf(row.id);
  const [down, up] = volumeFactors(row.freeleech, context.siteFreeleech);
  const categories = newznabIds({ id: row.categoryId, slug: row.categorySlug });
  const attrs: Array<[string, string]> = [
    ...categories.map((id): [string, string] => ['category', String(id)]),
    ['size', row.size.toString()],
    ['files', String(row.fileCount)],
    ['grabs', String(row.snatched)],
    ['seeders', String(seeders)],
    ['leechers', String(leechers)],
    ['peers', String(seeders + leechers)],
  ];
  // v2-only torrents have no BitTorrent v1 info hash (BEP 52); Prowlarr reads this one as v1
  if (row.infoHashV1) attrs.push(['infohash', hex(row.infoHashV1)]);
  attrs.push(['downloadvolumefactor', String(down)], ['uploadvolumefactor', String(up)]);
  attrs.push(['minimumratio', String(minimumRatio(context))]);
  if (context.policy.hnrSeedHours > 0) attrs.push(['minimumseedtime', String(Math.round(context.policy.hnrSeedHours * 3600))]);
  attrs.push(...mediaAttrs(row));
  return {
    title: row.name,
    detailsUrl: `${context.baseUrl}/releases/${row.id}`,
    downloadUrl: `${context.baseUrl}/api/torznab/download/${row.id}?apikey=${encodeURIComponent(context.token)}`,
    pubDate: row.createdAt,
    size: row.size,
    categories,
    attrs,
  };
}
