// Encoding of the few values seedkeep writes into a .torrent (private, source, announce,
// announce-list, comment, created by) with the `bencode` package, and assembly of a dict
// from already-encoded values. Everything else in the stored file keeps the uploader's
// exact bytes (see strict-bdecode.ts for why we never re-encode decoded values).
// @ts-ignore -- bencode@4 ships no type declarations; the one function used is typed below
import bencodeUntyped from 'bencode';

const bencode = bencodeUntyped as { encode(value: unknown): Uint8Array };

/** A dict entry whose value is already bencoded. */
export interface RawEntry { key: Buffer; raw: Uint8Array }

export function encodeValue(value: string | number | string[][]): Buffer {
  const bytes = bencode.encode(value);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** `d<key><value>...e` with keys in raw byte order, as BEP 3 requires. */
export function encodeDictFromRaw(entries: RawEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => Buffer.compare(a.key, b.key));
  const parts: Uint8Array[] = [Buffer.from('d')];
  for (const { key, raw } of sorted) parts.push(Buffer.from(`${key.length}:`), key, raw);
  parts.push(Buffer.from('e'));
  return Buffer.concat(parts);
}
