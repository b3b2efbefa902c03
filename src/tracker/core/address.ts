// Peer addresses in the forms the tracker keeps and sends: IPv4 as an int32, compact BEP 23
// (6 bytes) and BEP 7 (18 bytes) entries as latin1 strings, and back to text for non-compact
// replies and the UDP PeerEntry.

/** IPv4 dotted quad -> the address as an int32 (a Smi: no allocation), or null. */
export function parseIPv4(ip: string): number | null {
  let value = 0;
  let octet = 0;
  let part = 0;
  let digits = 0;
  for (let i = 0; i < ip.length; i++) {
    const code = ip.charCodeAt(i);
    if (code === 46) {
      if (digits === 0 || ++part > 3) return null;
      value = (value << 8) | octet;
      octet = 0;
      digits = 0;
    } else if (code >= 48 && code <= 57 && digits < 3) {
      octet = octet * 10 + (code - 48);
      if (octet > 255) return null;
      digits++;
    } else return null;
  }
  if (part !== 3 || digits === 0) return null;
  return (value << 8) | octet;
}

/** IPv6 text + port -> 18-byte compact form as latin1 (BEP 7). */
export function compactIPv6(ip: string, port: number): string | null {
  const bytes = parseIPv6(ip);
  if (bytes === null) return null;
  return bytes.toString('latin1') + String.fromCharCode(port >> 8, port & 0xff);
}

function parseIPv6(ip: string): Buffer | null {
  const zone = ip.indexOf('%');
  if (zone >= 0) ip = ip.slice(0, zone);
  const halves = ip.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const groups: number[] = [];
  const pushGroups = (list: string[], into: number[]): boolean => {
    for (const group of list) {
      if (group.includes('.')) {
        const v4 = parseIPv4(group);
        if (v4 === null) return false;
        into.push((v4 >>> 16) & 0xffff, v4 & 0xffff);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return false;
        into.push(parseInt(group, 16));
      }
    }
    return true;
  };
  const tailGroups: number[] = [];
  if (!pushGroups(head, groups) || !pushGroups(tail, tailGroups)) return null;
  const missing = 8 - groups.length - tailGroups.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return null;
  for (let i = 0; i < missing; i++) groups.push(0);
  groups.push(...tailGroups);
  const out = Buffer.allocUnsafe(16);
  groups.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}

/** Compact latin1 address back to text + port (non-compact replies, UDP PeerEntry). */
export function expandCompact(compact: string): { ip: string; port: number } {
  const port = (compact.charCodeAt(compact.length - 2) << 8) | compact.charCodeAt(compact.length - 1);
  if (compact.length === 6) {
    return { ip: `${compact.charCodeAt(0)}.${compact.charCodeAt(1)}.${compact.charCodeAt(2)}.${compact.charCodeAt(3)}`, port };
  }
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((compact.charCodeAt(i) << 8) | compact.charCodeAt(i + 1)).toString(16));
  return { ip: groups.join(':'), port };
}
