// Tracker refusals in the member's language (docs/i18n.md, "Tracker messages"): a member set
// to Portuguese reads them in Portuguese over HTTP and UDP (BEP 15 error packets), a member
// who chose no language reads the site default, an unknown passkey reads English; the
// bencoded reply stays valid UTF-8 and short.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LOCALES, readCatalog } from '../../src/i18n/index.js';
import { REASON_CODES, REASONS } from '../../src/tracker/core/reasons.js';
import { decodeBencode } from '../../src/tracker/http/bencode.js';
import { createPacketHandler, type RemoteInfo } from '../../src/tracker/udp/packet.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { pct, seedRelease, seedUser, type SeededRelease, type SeededUser } from '../tracker/fixtures/seed.js';
import { announcePacket, connectPacket, errorText, passkeyOption } from '../tracker/udp-client.js';

const PT_LEECH = 'Acesso negado: seus downloads estão bloqueados';
const peerId = Buffer.from('-qB4520-abcdefghijkl', 'latin1');

describe('tracker refusals in the member\'s language', () => {
  let t: TestApp;
  let release: SeededRelease;
  let portuguese: SeededUser;
  let undecided: SeededUser;

  async function memberIn(locale: string | null): Promise<SeededUser> {
    const member = await seedUser(t.db.sql, null, { canLeech: false });
    await t.db.sql.query('UPDATE users SET locale = $1 WHERE id = $2', [locale, member.id]);
    await t.app.tracker.syncMember(member.id);
    return member;
  }

  before(async () => {
    t = await buildTestApp();
    release = await seedRelease(t.db.sql, t.app.tracker.catalog);
    portuguese = await memberIn('pt-BR');
    undecided = await memberIn(null);
  });
  after(() => t.close());

  async function httpFailure(passkey: string): Promise<{ text: string; raw: Buffer }> {
    const query = `info_hash=${pct(release.v1!)}&peer_id=${pct(peerId)}&port=6881&uploaded=0&downloaded=0&left=1000&event=started`;
    const res = await t.app.inject({ url: `/${passkey}/announce?${query}` });
    const raw = Buffer.from((decodeBencode(res.rawPayload) as Record<string, Uint8Array>)['failure reason']);
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(raw), raw };
  }

  it('answers a Portuguese member in Portuguese over HTTP, as valid UTF-8', async () => {
    const { text } = await httpFailure(portuguese.passkey);
    assert.equal(text, PT_LEECH);
  });

  it('answers a Portuguese member in Portuguese in a UDP error packet', async () => {
    const handle = createPacketHandler(t.app.tracker.core, { secret: t.config.trackerSecret, clock: t.app.clock });
    const rinfo: RemoteInfo = { address: '127.0.0.1', port: 7000, family: 'IPv4' };
    const connected = handle(connectPacket(), rinfo)!;
    const reply = handle(announcePacket({ connectionId: connected.subarray(8, 16), infoHash: release.v1!, peerId, event: 2, options: passkeyOption(portuguese.passkey) }), rinfo);
    assert.equal(errorText(reply), PT_LEECH);
  });

  it('uses the site default for a member who chose no language, and English for an unknown passkey', async () => {
    assert.equal((await httpFailure(undecided.passkey)).text, REASONS.leechForbidden);
    await t.app.settings.update({ defaultLocale: 'ru' });
    try {
      assert.equal((await httpFailure(undecided.passkey)).text, 'Доступ запрещён: скачивание для вас закрыто');
      assert.equal((await httpFailure('f'.repeat(32))).text, REASONS.unknownPasskey);
    } finally {
      await t.app.settings.update({ defaultLocale: 'en' });
    }
  });

  it('follows a member who changes language at once', async () => {
    await t.db.sql.query('UPDATE users SET locale = $1 WHERE id = $2', ['ru', portuguese.id]);
    await t.app.tracker.syncMember(portuguese.id);
    assert.match((await httpFailure(portuguese.passkey)).text, /^Доступ запрещён/);
    await t.db.sql.query('UPDATE users SET locale = $1 WHERE id = $2', ['pt-BR', portuguese.id]);
    await t.app.tracker.syncMember(portuguese.id);
  });

  it('keeps the English catalog identical to the core\'s own texts', () => {
    const english = readCatalog('en').tracker as Record<string, string>;
    for (const code of REASON_CODES) assert.equal(english[code], REASONS[code], code);
  });

  it('keeps every refusal, with a long value, within one UDP error packet and 200 bytes of text', () => {
    for (const locale of LOCALES) {
      const texts = readCatalog(locale).tracker as Record<string, string>;
      for (const code of REASON_CODES) {
        const bytes = Buffer.byteLength(texts[code].replace('{{param}}', '1000000'), 'utf8');
        assert.ok(bytes <= 200, `${locale} ${code}: ${bytes} bytes`);
      }
    }
  });
});
