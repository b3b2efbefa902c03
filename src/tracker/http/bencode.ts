// Typed access to the `bencode` package (it ships no type declarations). Every tracker reply
// is encoded here (BEP 3).
// @ts-ignore -- untyped package; the two functions used are typed below
import bencodeUntyped from 'bencode';

interface BencodeModule {
  encode(value: unknown): Uint8Array;
  decode(data: Uint8Array, encoding?: string): unknown;
}

const bencode = bencodeUntyped as BencodeModule;

/** Encodes a reply dict; a Map keeps raw byte keys (scrape `files`, BEP 48). */
export function encodeReply(value: Record<string, unknown> | Map<unknown, unknown>): Buffer {
  const bytes = bencode.encode(value);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Decodes bencoded bytes (tests and tools); byte strings come back as Uint8Array. */
export function decodeBencode(data: Uint8Array): unknown {
  return bencode.decode(data);
}
