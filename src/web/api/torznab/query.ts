// Torznab request parameters -> a search. Everything is checked here and refused with the
// Newznab codes: 200 missing parameter, 201 incorrect parameter, 202 no such function,
// 203 function not available. Repeated parameters count by their first value; names are read
// one by one (never by a key the client chose), so `__proto__` and friends are just ignored.
import { splitWords } from '../../releases/search-releases.js';
import { parseImdbId, parseNumericId } from '../media-ids.js';
import { ApiProblem } from '../problem.js';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 100;
export const MAX_OFFSET = 10_000;
const MAX_TEXT = 256;

/** The search functions we answer; `caps` is answered apart. */
export const SEARCH_FUNCTIONS = new Set(['search', 'tvsearch', 'movie', 'music', 'book']);
/** Newznab functions we know but do not offer. */
const UNAVAILABLE = new Set(['get', 'details', 'getnfo', 'comments', 'comments-add', 'cart-add', 'cart-del', 'register', 'user']);

export interface TorznabSearch {
  fn: string;
  words: string[];
  /** Newznab category ids asked for (empty: all) */
  cats: number[];
  limit: number;
  offset: number;
  imdbId: string | null;
  tmdbId: number | null;
  tvdbId: number | null;
}

type Query = Record<string, unknown>;

/** The first value of a parameter, as text; absent is ''. */
export function param(query: Query, name: string): string {
  if (!Object.hasOwn(query, name)) return '';
  const raw = query[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (typeof value !== 'string') return '';
  if (value.length > MAX_TEXT) throw new ApiProblem('invalid_parameter', `Incorrect parameter: ${name} is longer than ${MAX_TEXT} characters`, name);
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new ApiProblem('invalid_parameter', `Incorrect parameter: ${name} contains control characters`, name);
  return value.trim();
}

function wholeNumber(query: Query, name: string, fallback: number, max: number): number {
  const text = param(query, name);
  if (text === '') return fallback;
  if (!/^\d{1,9}$/.test(text)) throw new ApiProblem('invalid_parameter', `Incorrect parameter: ${name} must be a whole number`, name);
  return Math.min(Number(text), max);
}

function categories(query: Query): number[] {
  const text = param(query, 'cat');
  if (text === '') return [];
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length > 50 || !parts.every((p) => /^\d{1,7}$/.test(p))) throw new ApiProblem('invalid_parameter', 'Incorrect parameter: cat must be category ids separated by commas', 'cat');
  return [...new Set(parts.map(Number))];
}

function mediaId<T>(query: Query, name: string, parse: (text: string) => T | null): T | null {
  const text = param(query, name);
  if (text === '') return null;
  const value = parse(text);
  if (value === null) throw new ApiProblem('invalid_parameter', `Incorrect parameter: ${name} is not a valid id`, name);
  return value;
}

/** Sonarr's season/ep: S01E02 and S01 as they appear in release names, or a daily date. */
function episodeWords(query: Query): string[] {
  const season = param(query, 'season');
  const ep = param(query, 'ep');
  if (season === '' && ep === '') return [];
  if (!/^\d{1,4}$/.test(season)) throw new ApiProblem('invalid_parameter', 'Incorrect parameter: season must be a number', 'season');
  const daily = /^(\d{1,2})\/(\d{1,2})$/.exec(ep);
  if (daily) return [season, daily[1].padStart(2, '0'), daily[2].padStart(2, '0')];
  if (ep !== '' && !/^\d{1,4}$/.test(ep)) throw new ApiProblem('invalid_parameter', 'Incorrect parameter: ep must be a number', 'ep');
  const s = `s${season.padStart(2, '0')}`;
  return [ep === '' ? s : `${s}e${ep.padStart(2, '0')}`];
}

/** The function name, or the problem that refuses it. */
export function parseFunction(query: Query): string {
  const fn = param(query, 't').toLowerCase();
  if (fn === '') throw new ApiProblem('missing_parameter', 'Missing parameter (t)', 't');
  if (fn === 'caps' || SEARCH_FUNCTIONS.has(fn)) return fn;
  if (UNAVAILABLE.has(fn)) throw new ApiProblem('function_not_available', `Function not available (${fn})`, 't');
  throw new ApiProblem('no_such_function', 'No such function', 't');
}

export function parseTorznabSearch(query: Query, fn: string): TorznabSearch {
  const text = [param(query, 'q'), param(query, 'artist'), param(query, 'album'), param(query, 'author'), param(query, 'title')].join(' ');
  return {
    fn,
    words: splitWords([text, ...(fn === 'tvsearch' ? episodeWords(query) : [])].join(' ')),
    cats: categories(query),
    limit: Math.max(1, wholeNumber(query, 'limit', DEFAULT_LIMIT, MAX_LIMIT)),
    offset: wholeNumber(query, 'offset', 0, MAX_OFFSET),
    imdbId: mediaId(query, 'imdbid', parseImdbId),
    tmdbId: mediaId(query, 'tmdbid', parseNumericId),
    tvdbId: mediaId(query, 'tvdbid', parseNumericId),
  };
}
