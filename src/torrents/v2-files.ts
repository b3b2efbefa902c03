// The v2 `file tree` (BEP 52): nested dicts whose keys are UTF-8 path segments; a file is a
// dict with the single key "" holding `length` and, for non-empty files, the 32-byte
// `pieces root`. The decoder's depth cap bounds the recursion here.
import { TorrentError } from './torrent-error.js';
import { dictGet, type BDict } from './strict-bdecode.js';
import { MAX_FILES, MAX_PATH_SEGMENTS, asBytes, asDict, asLength } from './fields.js';
import { checkPath, quote } from './paths.js';
import type { InfoFile } from './v1-files.js';

function readLeaf(node: BDict, segments: Buffer[]): InfoFile {
  const path = checkPath(segments, 'File path');
  const props = asDict(dictGet(node, ''), `The properties of ${quote(path)} in the file tree`);
  const size = asLength(dictGet(props, 'length'), `The length of ${quote(path)} in the file tree`);
  const rootNode = dictGet(props, 'pieces root');
  if (size === 0n) return { path, size, pad: false };
  const root = asBytes(rootNode, `The pieces root of ${quote(path)}`);
  if (root.length !== 32) throw new TorrentError(`The pieces root of ${quote(path)} is not 32 bytes.`);
  return { path, size, pad: false, root };
}

function walk(dir: BDict, segments: Buffer[], out: InfoFile[]): void {
  if (dir.length === 0) throw new TorrentError(`The file tree has an empty directory${segments.length ? ` ${quote(segments.map(String).join('/'))}` : ''}.`);
  for (const { key, value } of dir.entries()) {
    if (key.length === 0) throw new TorrentError('The file tree has an entry with an empty name.');
    if (segments.length >= MAX_PATH_SEGMENTS) throw new TorrentError(`The file tree is deeper than ${MAX_PATH_SEGMENTS} levels.`);
    const path = [...segments, key];
    const node = asDict(value, `The file tree entry ${quote(key)}`);
    // a file is a dict whose only key is ""
    const isFile = node.get('') !== undefined;
    if (isFile && node.length > 1) throw new TorrentError(`The file tree entry ${quote(key)} is both a file and a directory.`);
    if (isFile) {
      if (out.length >= MAX_FILES) throw new TorrentError(`The torrent has more than ${MAX_FILES} files.`);
      out.push(readLeaf(node, path));
    } else {
      walk(node, path, out);
    }
  }
}

/** The files in file-tree order (sorted keys, depth first: the order BEP 52 clients use). */
export function readFileTree(info: BDict): InfoFile[] {
  const tree = asDict(dictGet(info, 'file tree'), 'The v2 file tree');
  const files: InfoFile[] = [];
  walk(tree, [], files);
  return files;
}
