// Names and file paths are attacker-controlled: a client that joins them naively could write
// outside its download directory. Segments are checked at the byte level on every variant
// a client might use (`path` and `path.utf-8`, `name` and `name.utf-8`), then the UTF-8 one
// is decoded for display. BEP 3 (info name, files/path), BEP 52 (file tree keys).
import { escapeHidden, nameProblem } from './safe-name.js';
import { TorrentError } from './torrent-error.js';

const MAX_SEGMENT_BYTES = 255;
const MAX_NAME_CHARS = 255;
// ignoreBOM keeps a leading U+FEFF in the text: a client would keep it in the file name too
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Short, printable form of member data for an error message (the view escapes it). */
export function quote(value: Buffer | string): string {
  const text = typeof value === 'string' ? value : value.toString('utf8');
  const clipped = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return escapeHidden(JSON.stringify(clipped));
}

export function decodeUtf8(bytes: Buffer, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new TorrentError(`${what} is not valid UTF-8.`);
  }
}

function hasControlByte(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte < 0x20 || byte === 0x7f) return true;
  return false;
}

/** Why a single path segment is unsafe, or null when it is fine. */
export function segmentProblem(segment: Buffer, first: boolean): string | null {
  if (segment.length === 0) return 'an empty path segment';
  if (segment.length > MAX_SEGMENT_BYTES) return `a path segment longer than ${MAX_SEGMENT_BYTES} bytes`;
  const text = segment.toString('latin1');
  if (text === '.' || text === '..') return `a "${text}" path segment`;
  if (text.includes('/') || text.includes('\\')) return 'a slash inside a path segment';
  if (hasControlByte(segment)) return 'a control character';
  // "C:" alone; a title such as "A: Film" is fine (Windows clients replace the colon)
  if (first && /^[A-Za-z]:$/.test(text)) return 'a Windows drive prefix';
  return null;
}

/** Checks a v1 `path` / `path.utf-8` list or v2 file tree path and returns it joined with '/'. */
export function checkPath(segments: Buffer[], what: string): string {
  if (segments.length === 0) throw new TorrentError(`${what} has an empty path.`);
  segments.forEach((segment, i) => {
    const problem = segmentProblem(segment, i === 0);
    if (problem) throw new TorrentError(`${what} ${quote(Buffer.concat(joinable(segments)))} has ${problem}.`);
  });
  return segments.map((segment) => decodeUtf8(segment, `${what} ${quote(segment)}`)).join('/');
}

function joinable(segments: Buffer[]): Buffer[] {
  return segments.flatMap((segment, i) => (i === 0 ? [segment] : [Buffer.from('/'), segment]));
}

/**
 * The torrent name is shown to members and used by clients as the top file or directory:
 * no traversal, absolute path, slash, control, direction or invisible character, nor a
 * Windows device name (safe-name.ts). Names such as "<b>" are data, escaped by the views.
 */
export function checkName(bytes: Buffer, what: string): string {
  if (bytes.length === 0) throw new TorrentError(`The torrent ${what} is empty.`);
  const parts = bytes.toString('latin1').split(/[\\/]/);
  const traversal = parts.some((part) => part === '..') || parts.every((part) => part === '.' || part === '');
  if (traversal) throw new TorrentError(`The torrent ${what} ${quote(bytes)} is not a safe file name.`);
  if (parts[0] === '' || /^[A-Za-z]:$/.test(parts[0])) throw new TorrentError(`The torrent ${what} ${quote(bytes)} is an absolute path.`);
  if (hasControlByte(bytes)) throw new TorrentError(`The torrent ${what} contains a control character.`);
  const text = decodeUtf8(bytes, `The torrent ${what}`);
  if ([...text].length > MAX_NAME_CHARS) throw new TorrentError(`The torrent ${what} is longer than ${MAX_NAME_CHARS} characters.`);
  const problem = nameProblem(text);
  if (problem) throw new TorrentError(`The torrent ${what} ${quote(text)} ${problem}: rename it and make the torrent again.`);
  return text;
}
