// The one error parseTorrent/personalizeTorrent throw for bad input. The message is
// written for the member who uploaded the file; `field` lets the upload form show it
// beside the file input.
export class TorrentError extends Error {
  readonly field?: 'torrent' = 'torrent';

  constructor(message: string) {
    super(message);
    this.name = 'TorrentError';
  }
}
