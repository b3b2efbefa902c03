// Announce requests made from the orchestrator itself: the pre-run sample (does seedkeep
// accept the load's announces at all?) and the flush probe.
import { request } from 'node:http';

export function percentEncode(bytes: Buffer): string {
  let out = '';
  for (const byte of bytes) out += '%' + byte.toString(16).padStart(2, '0');
  return out;
}

export interface ProbeAnnounce {
  passkey: string;
  infoHash: Buffer;
  peerId: string;
  uploaded: bigint;
  left: bigint;
  event?: string;
}

export function announcePath(a: ProbeAnnounce): string {
  return `/${a.passkey}/announce?info_hash=${percentEncode(a.infoHash)}&peer_id=${encodeURIComponent(a.peerId)}` +
    `&port=6881&uploaded=${a.uploaded}&downloaded=0&left=${a.left}&compact=1&numwant=10${a.event ? `&event=${a.event}` : ''}`;
}

/** GET with Connection: close; resolves with the raw body (bencoded replies are binary). */
export async function httpGet(baseUrl: string, path: string, timeoutMs = 10_000): Promise<Buffer> {
  return (await httpGetFull(baseUrl, path, {}, timeoutMs)).body;
}

export function httpGetFull(baseUrl: string, path: string, headers: Record<string, string>, timeoutMs = 10_000): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}${path}`, { agent: false, headers: { Connection: 'close', ...headers }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** Replies' failure reasons for a few announces shaped like the load's; empty when all succeed. */
export async function sampleFailures(baseUrl: string, passkeys: string[], hashes: Buffer[], count = 5): Promise<string[]> {
  const failures: string[] = [];
  for (let i = 0; i < count; i++) {
    const m = (i * 997) % passkeys.length;
    const r = (i * 1009) % hashes.length;
    const body = await httpGet(baseUrl, announcePath({ passkey: passkeys[m], infoHash: hashes[r], peerId: `-qB4650-sample${String(i).padStart(6, '0')}`, uploaded: 0n, left: 1000n, event: 'started' }));
    const text = body.toString('latin1');
    if (text.includes('failure reason')) failures.push(text.slice(0, 200));
  }
  return failures;
}
