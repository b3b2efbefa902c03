// A release's optional .nfo: the scene's text file of release notes and ASCII art. Most are
// CP437 (the DOS code page whose block and box characters the art is drawn with), newer ones
// UTF-8, a few UTF-16 with a byte-order mark. Valid UTF-8 is read as UTF-8 (pure ASCII reads
// the same either way); anything else as CP437, through iconv-lite. Stored as text and shown
// in a monospace block, escaped like any other text.
import iconv from 'iconv-lite';

/** The largest .nfo taken: real ones are a few KiB; this bounds what a release page shows. */
export const MAX_NFO_BYTES = 64 * 1024;

/** `problem` is a catalog key (locales/<code>/*.json), with its params */
export type NfoResult = { text: string } | { problem: string; params?: Record<string, unknown> };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function decode(data: Buffer): string {
  if (data[0] === 0xff && data[1] === 0xfe) return new TextDecoder('utf-16le').decode(data);
  if (data[0] === 0xfe && data[1] === 0xff) return new TextDecoder('utf-16be').decode(data);
  try {
    return utf8.decode(data);
  } catch {
    return iconv.decode(data, 'cp437');
  }
}

/**
 * Control characters other than tab and newline are dropped: DOS files end with ^Z, and
 * PostgreSQL text cannot hold NUL. A file with NULs in it (outside UTF-16) is not text.
 */
function clean(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').replace(/\s+$/, '');
}

export function readNfo(file: { filename: string; data: Buffer }): NfoResult {
  if (!/\.(nfo|txt)$/i.test(file.filename)) return { problem: 'upload.nfoNotNfo' };
  if (file.data.length === 0) return { problem: 'upload.nfoEmpty' };
  if (file.data.length > MAX_NFO_BYTES) return { problem: 'upload.nfoTooLarge', params: { max: MAX_NFO_BYTES / 1024 } };
  const utf16 = (file.data[0] === 0xff && file.data[1] === 0xfe) || (file.data[0] === 0xfe && file.data[1] === 0xff);
  if (!utf16 && file.data.includes(0)) return { problem: 'upload.nfoNotText' };
  const text = clean(decode(file.data));
  return text.length > 0 ? { text } : { problem: 'upload.nfoEmpty' };
}
