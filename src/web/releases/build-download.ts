// Download: the stored torrent with one member's announce URLs. The HTTP URL uses the
// `/announce/<passkey>` form, which libtorrent's SSRF rule accepts even on loopback (BEP 3,
// BEP 48). BEP 12 tiers: HTTP only by default, because rTorrent, Transmission and aria2
// cannot send the passkey over UDP (BEP 41): given a UDP tier they fall back to it, fail,
// and show that failure instead of the tracker's real message. Members using a libtorrent
// client (qBittorrent, Deluge) may add the UDP tier after HTTP or before it
// (docs/protocol.md, "HTTP and UDP tiers"). The info dict is untouched, so the info hashes
// are those of the stored file.
import type { Config } from '../../config.js';
import type { AnnounceTiers } from '../../generated/prisma/enums.js';
import { personalizeTorrent, visibleName, windowsDevice } from '../../torrents/index.js';

export interface BuildDownloadOptions {
  config: Pick<Config, 'baseUrl' | 'udpEnabled' | 'udpHost' | 'udpPort' | 'siteName'>;
  release: { id: number; name: string; torrentFile: Uint8Array };
  member: { passkey: string; announceTiers: AnnounceTiers };
}

export type { AnnounceTiers };
/** A member's choice of tiers (users.announce_tiers), in the order the settings page offers them. */
export const ANNOUNCE_TIERS: readonly AnnounceTiers[] = ['http_only', 'http_then_udp', 'udp_first'];

export interface Download {
  filename: string;
  body: Buffer;
}

export const httpAnnounceUrl = (baseUrl: string, passkey: string): string => `${baseUrl}/announce/${passkey}`;

/** IPv6 literals need brackets in a URL. */
const hostForUrl = (host: string): string => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

export const udpAnnounceUrl = (host: string, port: number, passkey: string): string =>
  `udp://${hostForUrl(host)}:${port}/${passkey}/announce`;

export function announceTiers(options: BuildDownloadOptions): string[][] {
  const { config, member } = options;
  const http = [httpAnnounceUrl(config.baseUrl, member.passkey)];
  if (!config.udpEnabled || member.announceTiers === 'http_only') return [http];
  const udp = [udpAnnounceUrl(config.udpHost, config.udpPort, member.passkey)];
  return member.announceTiers === 'udp_first' ? [udp, http] : [http, udp];
}

/** A filename every OS accepts: no path separators, control or reserved characters. */
export function torrentFilename(name: string): string {
  const cleaned = visibleName(name)
    .normalize('NFC')
    .replace(/\ufffd/g, '_')
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]+/g, '_')
    .replace(/^[\s.]+|[\s.]+$/g, '')
    .slice(0, 150);
  // "CON.torrent" is the console device on Windows, not a file
  return `${windowsDevice(cleaned) ? '_' : ''}${cleaned || 'release'}.torrent`;
}

/** RFC 6266: an ASCII fallback plus the UTF-8 name for clients that read filename*. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export function buildDownload(options: BuildDownloadOptions): Download {
  const { config, release } = options;
  const tiers = announceTiers(options);
  const body = personalizeTorrent(Buffer.from(release.torrentFile), {
    announce: httpAnnounceUrl(config.baseUrl, options.member.passkey),
    announceList: tiers,
    comment: `${config.baseUrl}/releases/${release.id}`,
    createdBy: config.siteName,
  });
  return { filename: torrentFilename(release.name), body };
}
