// The v1 file list (BEP 3): either `length` (one file named `name`) or `files`, each with
// `length` and a `path` list. Padding files (BEP 47 `attr` containing "p") are kept for the
// piece count but are not content.
import { TorrentError } from './torrent-error.js';
import { dictGet, type BDict, type BNode } from './strict-bdecode.js';
import { MAX_FILES, MAX_PATH_SEGMENTS, asBytes, asBytesList, asDict, asLength, asList } from './fields.js';
import { checkPath, quote } from './paths.js';

export interface InfoFile {
  path: string;
  size: bigint;
  pad: boolean;
  /** v2 only: merkle root of the file's 16 KiB blocks (BEP 52) */
  root?: Buffer;
}

function readV1File(node: BNode, index: number): InfoFile {
  const what = `File ${index + 1} of the file list`;
  const entry = asDict(node, what);
  const size = asLength(dictGet(entry, 'length'), `The length of ${what.toLowerCase()}`);
  const attr = dictGet(entry, 'attr');
  const pad = attr !== undefined && asBytes(attr, `The attr of ${what.toLowerCase()}`).includes('p');
  const rawPath = asBytesList(dictGet(entry, 'path'), `The path of ${what.toLowerCase()}`, MAX_PATH_SEGMENTS);
  let path = checkPath(rawPath, 'File path');
  const utf8Node = dictGet(entry, 'path.utf-8');
  if (utf8Node !== undefined) path = checkPath(asBytesList(utf8Node, `The path.utf-8 of ${what.toLowerCase()}`, MAX_PATH_SEGMENTS), 'File path');
  return { path, size, pad };
}

export function readV1Files(info: BDict, name: string): InfoFile[] {
  const length = dictGet(info, 'length');
  const files = dictGet(info, 'files');
  if (length !== undefined && files !== undefined) throw new TorrentError('The info dictionary has both "length" and "files".');
  if (length !== undefined) return [{ path: name, size: asLength(length, 'The file length'), pad: false }];
  if (files === undefined) throw new TorrentError('The info dictionary has neither "length" nor "files".');
  const list = asList(files, 'The file list');
  if (list.length === 0) throw new TorrentError('The file list is empty.');
  if (list.length > MAX_FILES) throw new TorrentError(`The torrent has more than ${MAX_FILES} files.`);
  return Array.from(list.items(), readV1File);
}

/**
 * Two files with the same path, or a file that is also a directory, would overwrite each
 * other. Directories get numeric ids keyed by (parent id, segment), so the check is linear
 * in the total path length even for deep hostile trees.
 */
export function checkDistinctPaths(files: InfoFile[]): void {
  const ids = new Map<string, number>();
  const isFile: boolean[] = [false];
  for (const file of files) {
    if (file.pad) continue;
    const segments = file.path.split('/');
    let parent = 0;
    segments.forEach((segment, i) => {
      const key = `${parent}/${segment}`;
      const last = i === segments.length - 1;
      const id = ids.get(key);
      if (id === undefined) {
        ids.set(key, isFile.length);
        parent = isFile.push(last) - 1;
      } else if (last || isFile[id]) {
        const where = segments.slice(0, i + 1).join('/');
        throw new TorrentError(last && isFile[id] ? `The path ${quote(where)} appears twice.` : `The path ${quote(where)} is both a file and a directory.`);
      } else {
        parent = id;
      }
    });
  }
}
