// BEP 41 (UDP tracker protocol extensions): the bytes after a 98-byte announce are options.
// 0x00 EndOfOptions stops parsing, 0x01 NOP is a single byte, every other type is followed by
// a length byte and that many bytes. Type 0x02 URLData carries the tracker URL's path and
// query, split into chunks of at most 255 bytes that are concatenated in order. Unknown types
// are skipped; an option whose length runs past the end of the packet is dropped and ends
// parsing. aria2 sends `00 00` (no URL data); libtorrent sends one URLData chunk.

const END_OF_OPTIONS = 0x00;
const NOP = 0x01;
const URL_DATA = 0x02;

/** The concatenated URLData of the options starting at `offset`, or null when there is none. */
export function readUrlData(packet: Buffer, offset: number): string | null {
  let url: string | null = null;
  let i = offset;
  while (i < packet.length) {
    const type = packet[i];
    if (type === END_OF_OPTIONS) break;
    if (type === NOP) {
      i += 1;
      continue;
    }
    if (i + 1 >= packet.length) break; // no length byte: truncated
    const end = i + 2 + packet[i + 1];
    if (end > packet.length) break; // length past the end: truncated
    if (type === URL_DATA) url = (url ?? '') + packet.toString('latin1', i + 2, end);
    i = end;
  }
  return url;
}

// The two announce URL forms seedkeep hands out (docs/protocol.md, "URL forms"); a scrape URL is accepted
// too, for a client that sends URLData with a scrape. Passkeys are 32 hex chars.
const PASSKEY_PATHS = [
  /^\/([0-9a-fA-F]{32})\/(?:announce|scrape)$/,
  /^\/(?:announce|scrape)\/([0-9a-fA-F]{32})$/,
];

/** The passkey in a URL path (+ optional query), lower-cased, or null. */
export function passkeyFromUrl(url: string): string | null {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  for (const pattern of PASSKEY_PATHS) {
    const match = pattern.exec(path);
    if (match) return match[1].toLowerCase();
  }
  return null;
}
