// Upload-side handling of a .torrent (BEP 3 v1, BEP 52 v2 and hybrid, BEP 27 private, BEP 47
// padding files): strict validation, then the file to store with `private=1` and our
// `source` forced into `info`, and the v1 (SHA-1) and v2 (SHA-256) hashes of exactly the
// stored info bytes, since those are what clients announce.
import { createHash } from 'node:crypto';
import { TorrentError } from './torrent-error.js';
import { dictGet, strictDecode, type BDict } from './strict-bdecode.js';
import { asBytes, asDict, asInt } from './fields.js';
import { checkName } from './paths.js';
import { checkDistinctPaths, readV1Files, type InfoFile } from './v1-files.js';
import { readFileTree } from './v2-files.js';
import { checkPieceLayers } from './piece-layers.js';
import { encodeDictFromRaw, encodeValue, type RawEntry } from './bencode-values.js';

export interface TorrentFileEntry { path: string; size: bigint }

export interface ParsedTorrent {
  /** info.name (name.utf-8 preferred when present) */
  name: string;
  /** SHA-1 of the stored bencoded info (v1 and hybrid) */
  infoHashV1: Buffer | null;
  /** SHA-256 of the stored bencoded info (v2 and hybrid) */
  infoHashV2: Buffer | null;
  /** first 20 bytes of infoHashV2: what v2 clients announce */
  infoHashV2Short: Buffer | null;
  version: 'v1' | 'v2' | 'hybrid';
  /** content bytes, padding files excluded */
  size: bigint;
  pieceLength: number;
  /** content files (padding excluded); paths relative to the torrent's top directory, or the name for a single file */
  files: TorrentFileEntry[];
  /** the .torrent to store: private=1 and source forced in info; announce, announce-list, comment, created by removed */
  stored: Buffer;
}

export interface ParseOptions { source: string; maxBytes?: number }

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
const MAX_DEPTH = 64;
const MAX_ELEMENTS = 2_000_000;
/** Real info dicts have about ten keys; a bound keeps the re-assembly small. */
const MAX_INFO_KEYS = 1000;
const MIN_PIECE_LENGTH = 16 * 1024;
const MAX_PIECE_LENGTH = 512 * 1024 * 1024;
/** Top-level keys worth keeping; trackers, web seeds, DHT nodes and comments are dropped. */
const KEPT_TOP_LEVEL = new Set(['creation date', 'encoding']);

function readPieceLength(info: BDict): number {
  const value = asInt(dictGet(info, 'piece length'), 'The piece length');
  const isPowerOfTwo = value > 0n && (value & (value - 1n)) === 0n;
  if (!isPowerOfTwo || value < MIN_PIECE_LENGTH || value > MAX_PIECE_LENGTH) {
    throw new TorrentError(`The piece length ${value} is not a power of two between 16 KiB and 512 MiB.`);
  }
  return Number(value);
}

function readName(info: BDict): string {
  const name = checkName(asBytes(dictGet(info, 'name'), 'The torrent name'), 'name');
  const utf8 = dictGet(info, 'name.utf-8');
  return utf8 === undefined ? name : checkName(asBytes(utf8, 'The torrent name.utf-8'), 'name.utf-8');
}

function readVersion(info: BDict): ParsedTorrent['version'] {
  const meta = dictGet(info, 'meta version');
  const hasV1 = dictGet(info, 'pieces') !== undefined;
  if (meta === undefined) {
    if (!hasV1) throw new TorrentError('The info dictionary has no "pieces".');
    return 'v1';
  }
  if (asInt(meta, 'The meta version') !== 2n) throw new TorrentError('The meta version is not 2 (only BEP 52 v2 is supported).');
  return hasV1 ? 'hybrid' : 'v2';
}

function totalSize(files: InfoFile[], includePadding: boolean): bigint {
  return files.reduce((sum, file) => (file.pad && !includePadding ? sum : sum + file.size), 0n);
}

function checkPieces(info: BDict, files: InfoFile[], pieceLength: number): void {
  const pieces = asBytes(dictGet(info, 'pieces'), 'The pieces');
  if (pieces.length % 20 !== 0) throw new TorrentError('The pieces length is not a multiple of 20.');
  const expected = (totalSize(files, true) + BigInt(pieceLength) - 1n) / BigInt(pieceLength);
  if (BigInt(pieces.length / 20) !== expected) {
    throw new TorrentError(`The torrent has ${pieces.length / 20} piece hashes but its size needs ${expected}.`);
  }
}

/** BEP 52: a hybrid's v1 file list, padding aside, must describe the same files as its file tree. */
function checkHybridAgreement(v1: InfoFile[], v2: InfoFile[]): void {
  const content = v1.filter((file) => !file.pad);
  const same = content.length === v2.length && content.every((file, i) => file.path === v2[i].path && file.size === v2[i].size);
  if (!same) throw new TorrentError('The v1 file list and the v2 file tree of this hybrid torrent do not match.');
}

interface Layout { version: ParsedTorrent['version']; name: string; pieceLength: number; files: InfoFile[] }

function readLayout(root: BDict, info: BDict): Layout {
  const name = readName(info);
  const pieceLength = readPieceLength(info);
  const version = readVersion(info);
  const v1 = version === 'v2' ? null : readV1Files(info, name);
  const v2 = version === 'v1' ? null : readFileTree(info);
  if (v1) checkPieces(info, v1, pieceLength);
  if (v2) checkPieceLayers(dictGet(root, 'piece layers'), v2, pieceLength);
  if (v1 && v2) checkHybridAgreement(v1, v2);
  const files = v2 ?? v1 ?? [];
  checkDistinctPaths(files);
  if (totalSize(files, false) === 0n) throw new TorrentError('The torrent contains no data (total size 0).');
  return { version, name, pieceLength, files };
}

function storedInfo(info: BDict, data: Buffer, source: string): Buffer {
  const entries: RawEntry[] = [];
  for (const { key, value } of info.entries()) {
    if (!['private', 'source'].includes(key.toString('latin1'))) entries.push({ key, raw: data.subarray(value.start, value.end) });
  }
  entries.push({ key: Buffer.from('private'), raw: encodeValue(1) });
  entries.push({ key: Buffer.from('source'), raw: encodeValue(source) });
  return encodeDictFromRaw(entries);
}

function storedTorrent(root: BDict, data: Buffer, info: Buffer, version: ParsedTorrent['version']): Buffer {
  const entries: RawEntry[] = [{ key: Buffer.from('info'), raw: info }];
  for (const { key, value } of root.entries()) {
    const name = key.toString('latin1');
    const keep = KEPT_TOP_LEVEL.has(name) || (name === 'piece layers' && version !== 'v1');
    if (keep) entries.push({ key, raw: data.subarray(value.start, value.end) });
  }
  return encodeDictFromRaw(entries);
}

function decodeRoot(input: Buffer, maxBytes: number): BDict {
  if (input.length === 0) throw new TorrentError('The torrent file is empty.');
  if (input.length > maxBytes) throw new TorrentError(`The torrent file is larger than ${formatMiB(maxBytes)}.`);
  const root = strictDecode(input, { maxDepth: MAX_DEPTH, maxElements: MAX_ELEMENTS });
  if (root.kind !== 'dict') throw new TorrentError('The torrent file is not a bencoded dictionary.');
  return root;
}

/** Callers may hand us a plain Uint8Array (e.g. from a multipart stream); view it as a Buffer without copying. */
export function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function formatMiB(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return Number.isInteger(mib) ? `${mib} MiB` : `${bytes} bytes`;
}

export function parseTorrent(upload: Buffer, options: ParseOptions): ParsedTorrent {
  const input = asBuffer(upload);
  const root = decodeRoot(input, options.maxBytes ?? DEFAULT_MAX_BYTES);
  const info = asDict(dictGet(root, 'info'), 'The info dictionary');
  if (info.length > MAX_INFO_KEYS) throw new TorrentError(`The info dictionary has more than ${MAX_INFO_KEYS} keys.`);
  const layout = readLayout(root, info);
  const infoBytes = storedInfo(info, input, options.source);
  const hasV1 = layout.version !== 'v2';
  const hasV2 = layout.version !== 'v1';
  const infoHashV2 = hasV2 ? createHash('sha256').update(infoBytes).digest() : null;
  return {
    name: layout.name,
    infoHashV1: hasV1 ? createHash('sha1').update(infoBytes).digest() : null,
    infoHashV2,
    infoHashV2Short: infoHashV2 ? Buffer.from(infoHashV2.subarray(0, 20)) : null,
    version: layout.version,
    size: totalSize(layout.files, false),
    pieceLength: layout.pieceLength,
    files: layout.files.filter((file) => !file.pad).map(({ path, size }) => ({ path, size })),
    stored: storedTorrent(root, input, infoBytes, layout.version),
  };
}
