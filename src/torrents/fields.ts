// Typed reads of decoded bencode values, each failing with a message that names the field.
import { TorrentError } from './torrent-error.js';
import type { BDict, BList, BNode } from './strict-bdecode.js';

/** BEP 3 lengths are 64-bit: anything that does not fit was already refused by the decoder. */
export const MAX_FILES = 100_000;
/** Deeper than any real directory tree; a v2 file tree cannot go deeper anyway (the decoder caps nesting at 64). */
export const MAX_PATH_SEGMENTS = 64;

export function asDict(node: BNode | undefined, what: string): BDict {
  if (node?.kind !== 'dict') throw new TorrentError(node ? `${what} is not a dictionary.` : `${what} is missing.`);
  return node;
}

export function asList(node: BNode | undefined, what: string): BList {
  if (node?.kind !== 'list') throw new TorrentError(node ? `${what} is not a list.` : `${what} is missing.`);
  return node;
}

export function asBytes(node: BNode | undefined, what: string): Buffer {
  if (node?.kind !== 'bytes') throw new TorrentError(node ? `${what} is not a string.` : `${what} is missing.`);
  return node.value;
}

export function asInt(node: BNode | undefined, what: string): bigint {
  if (node?.kind !== 'int') throw new TorrentError(node ? `${what} is not an integer.` : `${what} is missing.`);
  return node.value;
}

export function asLength(node: BNode | undefined, what: string): bigint {
  const value = asInt(node, what);
  if (value < 0n) throw new TorrentError(`${what} is negative.`);
  return value;
}

/** A list of strings (a file path), at most `max` long so a hostile path cannot balloon. */
export function asBytesList(node: BNode | undefined, what: string, max: number): Buffer[] {
  const list = asList(node, what);
  if (list.length > max) throw new TorrentError(`${what} has more than ${max} elements.`);
  return Array.from(list.items(), (item) => asBytes(item, `An element of ${what.charAt(0).toLowerCase()}${what.slice(1)}`));
}

