// BEP 52 `piece layers`: for every file larger than one piece, the concatenated SHA-256
// hashes of its pieces, keyed by the file's `pieces root`. We check the lengths and that the
// layer really hashes up to the root, so a torrent whose v2 data cannot be verified by
// clients is refused at upload rather than failing for every downloader.
import { createHash } from 'node:crypto';
import { TorrentError } from './torrent-error.js';
import { asDict } from './fields.js';
import type { BNode } from './strict-bdecode.js';
import { quote } from './paths.js';
import type { InfoFile } from './v1-files.js';

const BLOCK = 16384;

function sha256(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(left).update(right).digest();
}

/** Root of a subtree of `pieceLength / 16 KiB` zero leaves: the pad beyond a file's last piece. */
function zeroPieceHash(pieceLength: number): Buffer {
  let hash: Buffer = Buffer.alloc(32);
  for (let width = BLOCK; width < pieceLength; width *= 2) hash = sha256(hash, hash);
  return hash;
}

function merkleRoot(layer: Buffer, pad: Buffer): Buffer {
  let level: Buffer[] = [];
  for (let i = 0; i < layer.length; i += 32) level.push(layer.subarray(i, i + 32));
  let padding = pad;
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(sha256(level[i], level[i + 1] ?? padding));
    level = next;
    padding = sha256(padding, padding);
  }
  return level[0];
}

/** Layers by hex root; each key must be the root of one of our files (checked as we go, so junk stops early). */
function layersByRoot(node: BNode | undefined, files: InfoFile[]): Map<string, Buffer> {
  const layers = new Map<string, Buffer>();
  if (node === undefined) return layers;
  const roots = new Set(files.flatMap((file) => (file.root ? [file.root.toString('hex')] : [])));
  for (const { key, value } of asDict(node, 'The piece layers').entries()) {
    if (key.length !== 32) throw new TorrentError('A piece layers key is not a 32-byte pieces root.');
    if (!roots.has(key.toString('hex'))) throw new TorrentError('The piece layers have an entry that matches no file.');
    if (value.kind !== 'bytes') throw new TorrentError('A piece layer is not a string.');
    layers.set(key.toString('hex'), value.value);
  }
  return layers;
}

export function checkPieceLayers(node: BNode | undefined, files: InfoFile[], pieceLength: number): void {
  const layers = layersByRoot(node, files);
  const pad = zeroPieceHash(pieceLength);
  for (const file of files) {
    if (!file.root || file.size <= BigInt(pieceLength)) continue;
    const layer = layers.get(file.root.toString('hex'));
    if (!layer) throw new TorrentError(`The piece layers are missing for ${quote(file.path)}.`);
    const pieces = (file.size + BigInt(pieceLength) - 1n) / BigInt(pieceLength);
    if (BigInt(layer.length) !== pieces * 32n) throw new TorrentError(`The piece layer of ${quote(file.path)} has the wrong length.`);
    if (!merkleRoot(layer, pad).equals(file.root)) throw new TorrentError(`The piece layer of ${quote(file.path)} does not match its pieces root.`);
  }
}
