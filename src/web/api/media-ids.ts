// Optional media ids on a release (IMDb `tt…`, TMDB, TVDB), which Torznab clients search by
// (Radarr sends imdbid/tmdbid, Sonarr tvdbid/imdbid). One parser serves the upload form, the
// staff edit page, the JSON API and Torznab's query parameters, so all accept the same forms.
import { AppError } from '../../errors.js';

export interface MediaIds {
  imdbId: string | null;
  tmdbId: number | null;
  tvdbId: number | null;
}

export const NO_MEDIA_IDS: Readonly<MediaIds> = Object.freeze({ imdbId: null, tmdbId: null, tvdbId: null });

/** IMDb title ids are `tt` and 7 or 8 digits; clients also send the digits alone. */
export function parseImdbId(raw: string): string | null {
  const match = /^(?:tt)?(\d{7,8})$/i.exec(raw.trim());
  return match ? `tt${match[1]}` : null;
}

/** TMDB and TVDB ids are positive whole numbers (stored as INTEGER). */
export function parseNumericId(raw: string): number | null {
  const text = raw.trim();
  if (!/^\d{1,9}$/.test(text) || Number(text) === 0) return null;
  return Number(text);
}

type MediaField = 'imdbId' | 'tmdbId' | 'tvdbId';
type MediaInput = Partial<Record<MediaField, string>>;

/** catalog keys (locales/<code>/*.json): the pages translate them, the API answers in English */
const PROBLEMS: Record<MediaField, string> = {
  imdbId: 'media.problems.imdbId',
  tmdbId: 'media.problems.tmdbId',
  tvdbId: 'media.problems.tvdbId',
};

/** Form or API input -> ids, and a message per bad field; empty fields are "none". */
export function checkMediaIds(input: MediaInput): { ids: MediaIds; errors: Partial<Record<MediaField, string>> } {
  const errors: Partial<Record<MediaField, string>> = {};
  const read = <T>(field: MediaField, parse: (text: string) => T | null): T | null => {
    const text = (input[field] ?? '').trim();
    if (text === '') return null;
    const value = parse(text);
    if (value === null) errors[field] = PROBLEMS[field];
    return value;
  };
  return { ids: { imdbId: read('imdbId', parseImdbId), tmdbId: read('tmdbId', parseNumericId), tvdbId: read('tvdbId', parseNumericId) }, errors };
}

/** The ids, or a 400 beside the first bad field (`imdbId`, `tmdbId`, `tvdbId`). */
export function readMediaIds(input: MediaInput): MediaIds {
  const { ids, errors } = checkMediaIds(input);
  const [bad] = Object.entries(errors);
  if (bad) throw AppError.badRequest(bad[1], bad[0]);
  return ids;
}
