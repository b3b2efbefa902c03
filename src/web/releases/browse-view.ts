// What the browse template needs beyond the rows: sortable column headers, pagination links
// and the current filters, all as ready-made URLs (the template has no logic but if/each).
import { FALLBACK_LOCALE, type Locale } from '../../i18n/locales.js';
import { PAGE_SIZE, type SearchQuery, type SearchResult, type SortKey } from './search-releases.js';

interface Column {
  key: SortKey;
  label: string;
  num?: boolean;
  /** hidden on narrow screens */
  opt?: boolean;
}

/** labels are catalog keys, printed with {{t label}} */
export const COLUMNS: Column[] = [
  { key: 'name', label: 'releases.columns.name' },
  { key: 'category', label: 'releases.columns.category', opt: true },
  { key: 'size', label: 'releases.columns.size', num: true },
  { key: 'files', label: 'releases.columns.files', num: true, opt: true },
  { key: 'seeders', label: 'releases.columns.seeders', num: true },
  { key: 'leechers', label: 'releases.columns.leechers', num: true },
  { key: 'snatched', label: 'releases.columns.snatched', num: true, opt: true },
  { key: 'added', label: 'releases.columns.added', opt: true },
  { key: 'uploader', label: 'releases.columns.uploader', opt: true },
];

const DEFAULT_ORDER: Record<SortKey, 'asc' | 'desc'> = {
  name: 'asc', category: 'asc', size: 'desc', files: 'desc', seeders: 'desc', leechers: 'desc',
  snatched: 'desc', added: 'desc', uploader: 'asc',
};

/** The query string for the current search with some values changed. */
export function browseUrl(search: SearchQuery, change: Partial<Record<'sort' | 'order' | 'page', string>>): string {
  const params = new URLSearchParams();
  if (search.words.length > 0) params.set('q', search.words.join(' '));
  if (search.categoryId !== null) params.set('category', String(search.categoryId));
  if (search.freeleech !== null) params.set('freeleech', search.freeleech);
  params.set('sort', change.sort ?? search.sort);
  params.set('order', change.order ?? search.order);
  const page = change.page ?? String(search.page);
  if (page !== '1') params.set('page', page);
  return `/releases?${params.toString()}`;
}

function columnHeaders(search: SearchQuery) {
  return COLUMNS.map((column) => {
    const active = column.key === search.sort;
    const order = active ? (search.order === 'asc' ? 'desc' : 'asc') : DEFAULT_ORDER[column.key];
    return {
      ...column,
      active,
      ariaSort: active ? (search.order === 'asc' ? 'ascending' : 'descending') : 'none',
      arrow: active ? (search.order === 'asc' ? '▲' : '▼') : '',
      href: browseUrl(search, { sort: column.key, order, page: '1' }),
    };
  });
}

function pagination(search: SearchQuery, result: SearchResult) {
  const { page } = search;
  const last = result.pages;
  const near = [page - 2, page - 1, page, page + 1, page + 2].filter((p) => p >= 1 && p <= last);
  // A capped count does not know the last page: the pager ends with "…" and Next instead.
  const pages = [...new Set([1, ...near, ...(result.capped ? [] : [last])])].sort((a, b) => a - b);
  return {
    prev: page > 1 ? browseUrl(search, { page: String(page - 1) }) : null,
    next: page < last ? browseUrl(search, { page: String(page + 1) }) : null,
    pages: pages.map((p, i) => ({ number: p, current: p === page, gap: i > 0 && p - pages[i - 1] > 1, href: browseUrl(search, { page: String(p) }) })),
    more: result.capped && page < last,
    show: last > 1,
  };
}

export function browseView(search: SearchQuery, result: SearchResult, locale: Locale = FALLBACK_LOCALE) {
  const first = result.total === 0 ? 0 : (search.page - 1) * PAGE_SIZE + 1;
  return {
    columns: columnHeaders(search),
    sortLabel: COLUMNS.find((column) => column.key === search.sort)?.label ?? COLUMNS[0].label,
    directionLabel: search.order === 'asc' ? 'releases.browse.ascending' : 'releases.browse.descending',
    pagination: pagination(search, result),
    totalText: `${result.total.toLocaleString(locale)}${result.capped ? '+' : ''}`,
    range: { first, last: first === 0 ? 0 : first + result.rows.length - 1 },
    q: search.words.join(' '),
    sort: search.sort,
    order: search.order,
  };
}
