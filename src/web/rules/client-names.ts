// Names for the peer_id prefixes staff list, so the clients section of /rules reads as client
// names and not only codes. Azureus-style prefixes (`-qB4520-`), BEP 20; an unknown prefix is
// shown as its code alone.
const NAMES: Record<string, string> = {
  '-qB': 'qBittorrent',
  '-TR': 'Transmission',
  '-DE': 'Deluge',
  '-LT': 'libtorrent (rasterbar)',
  '-lt': 'rTorrent / libtorrent (rakshasa)',
  '-UT': 'µTorrent',
  '-UM': 'µTorrent for Mac',
  '-BT': 'BitTorrent',
  '-AZ': 'Vuze / Azureus',
  '-BI': 'BiglyBT',
  '-A2': 'aria2',
  '-KT': 'KTorrent',
  '-PI': 'PicoTorrent',
  '-TX': 'Tixati',
  '-WW': 'WebTorrent',
  '-FG': 'FlashGet',
  '-SD': 'Thunder (Xunlei)',
  '-XL': 'Xunlei',
  '-TT': 'TuoTu',
  '-QD': 'QQDownload',
  '-BN': 'Baidu',
  '-XF': 'Xfplay',
  '-GR': 'GetRight',
  '-RZ': 'ratio faker builds',
};

export interface ClientPrefix {
  prefix: string;
  name: string | null;
}

/** The longest known prefix a listed prefix starts with names it (`-qB4` is still qBittorrent). */
export function nameClients(prefixes: readonly string[]): ClientPrefix[] {
  return prefixes.map((prefix) => {
    const known = Object.keys(NAMES).filter((code) => prefix.startsWith(code)).sort((a, b) => b.length - a.length)[0];
    return { prefix, name: known ? NAMES[known] : null };
  });
}
