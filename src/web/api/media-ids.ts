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

/**
 * Form or API input -> ids; empty fields are "none". A bad value is a 400 beside its field
 * (`imdbId`, `tmdbId`, `tvdbId`).
 */
export function readMediaIds(input: { imdbId?: string; tmdbId?: string; tvdbId?: string }): MediaIds {
  const imdb = (input.imdbId ?? '').trim();
  const tmdb = (input.tmdbId ?? '').trim();
  const tvdb = (input.tvdbId ?? '').trim();
  const imdbId = imdb === '' ? null : parseImdbId(imdb);
  if (imdb !== '' && imdbId === null) throw AppError.badRequest('An IMDb id is "tt" followed by 7 or 8 digits, e.g. tt0111161.', 'imdbId');
  const tmdbId = tmdb === '' ? null : parseNumericId(tmdb);
  if (tmdb !== '' && tmdbId === null) throw AppError.badRequest('A TMDB id is a whole number, e.g. 278.', 'tmdbId');
  const tvdbId = tvdb === '' ? null : parseNumericId(tvdb);
  if (tvdb !== '' && tvdbId === null) throw AppError.badRequest('A TVDB id is a whole number, e.g. 81189.', 'tvdbId');
  return { imdbId, tmdbId, tvdbId };
}
