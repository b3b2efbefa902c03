// .torrent parsing, validation, info hashes (v1, v2, hybrid) and passkey injection.
export { TorrentError } from './torrent-error.js';
export { parseTorrent, DEFAULT_MAX_BYTES } from './parse-torrent.js';
export type { ParsedTorrent, TorrentFileEntry, ParseOptions } from './parse-torrent.js';
export { personalizeTorrent } from './personalize-torrent.js';
export type { PersonalizeOptions } from './personalize-torrent.js';
export { NAME_ISSUES, nameIssue, nameProblem, visibleName, windowsDevice, type NameIssue } from './safe-name.js';
