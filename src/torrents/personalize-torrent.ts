// Download-side: the stored torrent with one member's announce URLs (BEP 3 `announce`,
// BEP 12 `announce-list` tiers) and comment. `info` is copied byte for byte so the info
// hashes, and so the swarm, stay those of the stored file.
import { TorrentError } from './torrent-error.js';
import { asBuffer } from './parse-torrent.js';
import { strictDecode } from './strict-bdecode.js';
import { encodeDictFromRaw, encodeValue, type RawEntry } from './bencode-values.js';

export interface PersonalizeOptions {
  /** the member's HTTP announce URL (with passkey) */
  announce: string;
  /** BEP 12 tiers, in order; empty tiers are dropped */
  announceList: string[][];
  comment?: string;
  createdBy?: string;
}

const REPLACED = new Set(['announce', 'announce-list', 'comment', 'comment.utf-8', 'created by']);

function textEntry(key: string, value: string | undefined): RawEntry[] {
  return value === undefined ? [] : [{ key: Buffer.from(key), raw: encodeValue(value) }];
}

export function personalizeTorrent(storedFile: Buffer, options: PersonalizeOptions): Buffer {
  const stored = asBuffer(storedFile);
  const root = strictDecode(stored, { maxDepth: 64, maxElements: 2_000_000 });
  if (root.kind !== 'dict') throw new TorrentError('The stored torrent is not a bencoded dictionary.');
  const entries: RawEntry[] = [];
  for (const { key, value } of root.entries()) {
    if (!REPLACED.has(key.toString('latin1'))) entries.push({ key, raw: stored.subarray(value.start, value.end) });
  }
  const tiers = options.announceList.filter((tier) => tier.length > 0);
  if (tiers.length > 0) entries.push({ key: Buffer.from('announce-list'), raw: encodeValue(tiers) });
  entries.push(...textEntry('announce', options.announce), ...textEntry('comment', options.comment), ...textEntry('created by', options.createdBy));
  return encodeDictFromRaw(entries);
}
