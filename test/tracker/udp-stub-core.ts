// A TrackerCore stand-in for the UDP specs: records what the transport parsed and answers
// with whatever the spec sets, so the transport is tested without the real core or a database.
import { TrackerError, type AnnounceRequest, type AnnounceResult, type ScrapeEntry, type TrackerCore } from '../../src/tracker/core/types.js';
import { PASSKEY } from './udp-client.js';

export class StubCore implements TrackerCore {
  announces: AnnounceRequest[] = [];
  scrapes: { passkey: string; infoHashes: Buffer[] }[] = [];
  result: AnnounceResult = StubCore.result();
  scrapeEntries: ScrapeEntry[] = [];
  /** thrown by the next announce/scrape when set */
  failure: Error | null = null;

  static result(overrides: Partial<AnnounceResult> = {}): AnnounceResult {
    return { interval: 1800, minInterval: 300, complete: 3, incomplete: 5, downloaded: 7, peers4: [], peers6: [], ...overrides };
  }

  get last(): AnnounceRequest {
    return this.announces[this.announces.length - 1];
  }

  announce(request: AnnounceRequest): AnnounceResult {
    // copy: the transport hands out views of the packet
    this.announces.push({ ...request, infoHash: Buffer.from(request.infoHash), peerId: Buffer.from(request.peerId) });
    if (this.failure) throw this.failure;
    if (request.passkey !== PASSKEY) throw new TrackerError('Invalid passkey: download the .torrent again');
    return this.result;
  }

  scrape(passkey: string, infoHashes: Buffer[]): ScrapeEntry[] {
    this.scrapes.push({ passkey, infoHashes: infoHashes.map((hash) => Buffer.from(hash)) });
    if (this.failure) throw this.failure;
    return this.scrapeEntries.filter((entry) => infoHashes.some((hash) => hash.equals(entry.infoHash)));
  }
}
