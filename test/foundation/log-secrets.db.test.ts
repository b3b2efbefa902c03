// No passkey or token in the log: the app runs with a real pino logger at the default level
// (info) writing to a stream, is driven over real sockets (announces in both URL forms, scrape,
// the RSS feed, a download by feed token, an invite link, a failing request), with and without
// TRUSTED_PROXIES (without it, announces take the fast path, and a kept-alive connection's
// later requests go through Fastify), and the captured lines are searched for every secret.
import assert from 'node:assert/strict';
import { request as httpRequest, Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { testConfig } from '../../src/config.js';
import { redactSecrets } from '../../src/log-redact.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';
import { addTrackedRelease } from '../helpers/admin.js';
import { createMember, type Member } from '../helpers/releases.js';

const pct = (bytes: Buffer): string => [...bytes].map((b) => '%' + b.toString(16).padStart(2, '0')).join('');
const PEER = Buffer.from('-qB4520-logsecret000', 'latin1');

function get(port: number, path: string, agent?: Agent, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent: agent ?? false, headers, timeout: 20_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout on ${path}`)));
    req.on('error', reject);
    req.end();
  });
}

describe('secrets in logs', () => {
  let db: TestDatabase;
  let lines: string[];
  let member: Member;
  let hash: Buffer;
  const invite = randomBytes(16).toString('hex');

  async function start(trustedProxies: string[]): Promise<{ app: FastifyInstance; port: number }> {
    const config = testConfig({ dataDir: db.dataDir, databaseUrl: db.url, logLevel: 'info', trustedProxies });
    const app = await buildApp(config, { db, logStream: { write: (line: string) => void lines.push(line) } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { app, port: (app.server.address() as AddressInfo).port };
  }

  async function drive(port: number): Promise<void> {
    const query = `info_hash=${pct(hash)}&peer_id=${pct(PEER)}&port=6881&uploaded=0&downloaded=0&left=0&compact=1`;
    const paths = [
      `/${member.passkey}/announce?${query}&event=started`,
      `/announce/${member.passkey}?${query}`,
      `/${member.passkey.toUpperCase()}/announce?${query}`,
      `/announce?passkey=${member.passkey}&${query}`,
      `/${member.passkey}/scrape?info_hash=${pct(hash)}`,
      `/scrape/${member.passkey}?info_hash=${pct(hash)}`,
      `/rss/${member.rssToken}`,
      `/rss/${member.rssToken}?category=nope`,
      `/releases/1/download?rss=${member.rssToken}`,
      `/register?invite=${invite}`,
      `/login?next=${encodeURIComponent(`/releases/1/download?rss=${member.rssToken}`)}`,
    ];
    for (const path of paths) await get(port, path);
    // a kept-alive connection: its second request reaches Fastify even with the fast path on
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    await get(port, `/announce/${member.passkey}?${query}`, agent);
    await get(port, `/${member.passkey}/announce?${query}`, agent);
    agent.destroy();
  }

  function assertNoSecret(): void {
    const log = lines.join('');
    assert.ok(lines.length > 5, 'the logger wrote lines');
    for (const secret of [member.passkey, member.passkey.toUpperCase(), member.rssToken, invite]) {
      const at = log.toLowerCase().indexOf(secret.toLowerCase());
      assert.equal(at, -1, `a secret in the log: …${log.slice(Math.max(0, at - 200), at + 40)}`);
    }
  }

  before(async () => {
    db = await openTestDatabase();
  });
  after(async () => {
    await db.destroy();
  });

  it('logs announces, scrapes, feeds and links through Fastify (TRUSTED_PROXIES set) without them', async () => {
    lines = [];
    const { app, port } = await start(['127.0.0.1']);
    member = await createMember(app, 'logged');
    hash = (await addTrackedRelease(app)).hash;
    await drive(port);
    await app.close();
    assert.ok(lines.some((line) => line.includes('"url":"/[redacted]/announce?')), 'announce URLs are logged, redacted');
    assert.ok(lines.some((line) => line.includes('"url":"/rss/[redacted]"')));
    assertNoSecret();
  });

  it('without TRUSTED_PROXIES too (fast path, kept-alive connections)', async () => {
    lines = [];
    const { app, port } = await start([]);
    hash = (await addTrackedRelease(app)).hash;
    await drive(port);
    await app.close();
    assertNoSecret();
  });

  it('keeps them out of a failing request\'s error log (database stopped)', async () => {
    lines = [];
    const { app, port } = await start(['127.0.0.1']);
    await db.close();
    assert.equal(await get(port, `/rss/${member.rssToken}`), 500);
    assert.equal(await get(port, `/releases/1/download?rss=${member.rssToken}`), 500);
    await app.close().catch(() => {});
    assert.ok(lines.some((line) => line.includes('"level":50')), 'the failure was logged');
    assertNoSecret();
    db = await openTestDatabase(); // after() destroys a fresh one
  });
});

describe('redactSecrets', () => {
  const key = 'ab'.repeat(16);
  it('takes passkeys and tokens out of every URL form and of text quoting them', () => {
    const cases: Array<[string, string]> = [
      [`/${key}/announce?info_hash=%01`, '/[redacted]/announce?info_hash=%01'],
      [`/announce/${key}?x=1`, '/announce/[redacted]?x=1'],
      ['/not-a-passkey/scrape', '/[redacted]/scrape'],
      ['/rss/anything', '/rss/[redacted]'],
      [`/announce?passkey=zz&left=0`, '/announce?passkey=[redacted]&left=0'],
      ['/register?invite=short', '/register?invite=[redacted]'],
      [`/login?next=%2Frss%2F${key}`, '/login?next=%2Frss%2F[redacted]'],
      [`Invalid invocation: { rssToken: "${key.toUpperCase()}" }`, 'Invalid invocation: { rssToken: "[redacted]" }'],
      ['/releases?q=film&sort=name', '/releases?q=film&sort=name'],
    ];
    for (const [input, output] of cases) assert.equal(redactSecrets(input), output, input);
  });
});
