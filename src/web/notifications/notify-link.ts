// The browse page's "notify me of new uploads like this": the filters page with the current
// search filled in, or null when nothing is searched (a filter needs something to match on).
import type { SearchQuery } from '../releases/search-releases.js';

export function notifyLink(search: Pick<SearchQuery, 'words' | 'categoryId' | 'freeleech'>): string | null {
  if (search.words.length === 0 && search.categoryId === null && search.freeleech === null) return null;
  const params = new URLSearchParams();
  if (search.words.length > 0) params.set('q', search.words.join(' '));
  if (search.categoryId !== null) params.set('category', String(search.categoryId));
  if (search.freeleech !== null) params.set('freeleech', search.freeleech);
  return `/notifications/filters?${params.toString()}`;
}
