// The private RSS feed: /rss/:token lists the newest releases for feed readers and torrent
// clients' RSS downloaders, without a session; its enclosure links download with ?rss=<token>.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { bencode, createMember, firstCategoryId, seedReleases, type Member } from '../helpers/releases.js';
import { escapeXml } from '../../src/web/rss/build-feed.js';
import { text } from '../helpers/text.js';

const BASE = 'https://tracker.example';
const HOSTILE = '<script>alert("x")</script> & Tom\'s "Best" <b>';

/** A small well-formedness check: balanced tags, and no raw "<" or bare "&" in text or attributes. */
function assertWellFormedXml(xml: string): void {
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>'), 'XML declaration first');
  const body = xml.replace(/^<\?xml[^?]*\?>/, '');
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < body.length) {
    const lt = body.indexOf('<', i);
    const textPart = body.slice(i, lt === -1 ? body.length : lt);
    assert.doesNotMatch(textPart, /&(?!(amp|lt|gt|quot|apos|#\d+);)/, `bare & in text: ${textPart.slice(0, 80)}`);
    if (lt === -1) break;
    tag.lastIndex = lt;
    const m = tag.exec(body);
    assert.ok(m, `malformed markup near: ${body.slice(lt, lt + 80)}`);
    assert.doesNotMatch(m[3], /&(?!(amp|lt|gt|quot|apos|#\d+);)/, 'bare & in an attribute');
    if (m[1]) assert.equal(stack.pop(), m[2], `closing </${m[2]}> matches its opening tag`);
    else if (!m[4]) stack.push(m[2]);
    i = tag.lastIndex;
  }
  assert.deepEqual(stack, [], 'every element is closed');
}

const items = (xml: string): string[] => [...xml.matchAll(/<item>([\s\S]*?)<\/item>/g)].map((m) => m[1]);
const titles = (xml: string): string[] => items(xml).map((item) => /<title>([^<]*)<\/title>/.exec(item)![1]);

describe('rss feed', () => {
  let t: TestApp;
  let admin: Member;
  let member: Member;
  let hostileId: number;
  const feed = (token: string, query = '') => t.app.inject({ method: 'GET', url: `/rss/${token}${query}` });

  before(async () => {
    t = await buildTestApp({ config: { baseUrl: BASE } });
    admin = await createMember(t.app, 'rssadmin');
    member = await createMember(t.app, 'rssreader');
    const movies = await firstCategoryId(t.app, 'Movies');
    const music = await firstCategoryId(t.app, 'Music');
    const at = (minutes: number) => new Date(Date.UTC(2026, 10, 1, 12, minutes));
    const older = Array.from({ length: 52 }, (_, i) => ({ name: `Old.Movie.${i}`, categoryId: movies, createdAt: at(i) }));
    await seedReleases(t.app, older);
    [hostileId] = await seedReleases(t.app, [
      { name: HOSTILE, categoryId: music, createdAt: at(100), size: 3n * 1024n ** 2n, uploaderId: admin.id },
      { name: 'Gone.Album', categoryId: music, createdAt: at(101), deletedAt: at(102), deleteReason: 'dupe' },
      { name: 'New.Album', categoryId: music, createdAt: at(103) },
    ]);
  });
  after(async () => t.close());

  it('serves well-formed RSS 2.0 with the 50 newest releases that are not deleted', async () => {
    const res = await feed(member.rssToken);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/rss+xml; charset=utf-8');
    assert.match(String(res.headers['cache-control']), /no-store/);
    assertWellFormedXml(res.body);
    assert.match(res.body, /<rss version="2\.0"[^>]*>\s*<channel>/);
    const names = titles(res.body);
    assert.equal(names.length, 50);
    assert.equal(names[0], 'New.Album', 'newest first');
    assert.ok(!names.includes('Gone.Album'), 'deleted releases are left out');
    // 54 live releases: the 4 oldest fall off.
    assert.ok(!names.includes('Old.Movie.3') && names.includes('Old.Movie.4'), 'only the newest 50');
  });

  it('gives each item a link, guid, date, category, size and a download enclosure with the token', async () => {
    const res = await feed(member.rssToken);
    const item = items(res.body).find((i) => i.includes(`/releases/${hostileId}<`))!;
    assert.ok(item, 'the item is there');
    assert.match(item, new RegExp(`<link>${BASE}/releases/${hostileId}</link>`));
    assert.match(item, new RegExp(`<guid isPermaLink="true">${BASE}/releases/${hostileId}</guid>`));
    assert.match(item, /<pubDate>Sun, 01 Nov 2026 13:40:00 GMT<\/pubDate>/);
    assert.match(item, /<category>Music<\/category>/);
    assert.match(item, /<description>Music · 3\.00 MiB<\/description>/);
    assert.match(item, new RegExp(`<enclosure url="${BASE}/releases/${hostileId}/download\\?rss=${member.rssToken}" length="\\d+" type="application/x-bittorrent"/>`));
    assert.ok(!res.body.includes(member.passkey), 'the feed itself carries no passkey');
  });

  it('escapes release names: a name with <script> and & stays text', async () => {
    const res = await feed(member.rssToken);
    assert.ok(!res.body.includes('<script>'));
    assert.ok(res.body.includes(`<title>${escapeXml(HOSTILE)}</title>`));
    assert.ok(res.body.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Tom&apos;s'));
    assertWellFormedXml(res.body);
  });

  it('filters by category slug', async () => {
    const res = await feed(member.rssToken, '?category=music');
    assert.equal(res.statusCode, 200);
    assertWellFormedXml(res.body);
    assert.deepEqual(titles(res.body), ['New.Album', escapeXml(HOSTILE)]);
    assert.match(res.body, /<title>seedkeep[^<]*Music<\/title>|<title>[^<]*new in Music<\/title>/);
    const movies = await feed(member.rssToken, '?category=movies');
    assert.equal(titles(movies.body).length, 50);
    assert.ok(titles(movies.body).every((name) => name.startsWith('Old.Movie.')));
  });

  it('answers 404 for an unknown category', async () => {
    const res = await feed(member.rssToken, '?category=nope');
    assert.equal(res.statusCode, 404);
    assert.match(String(res.headers['content-type']), /^text\/plain/);
  });

  it('answers 404 in plain text for an unknown or malformed token', async () => {
    for (const token of ['0'.repeat(32), 'not-a-token', `${member.rssToken}x`]) {
      const res = await feed(token);
      assert.equal(res.statusCode, 404, token);
      assert.match(String(res.headers['content-type']), /^text\/plain/);
      assert.ok(!res.body.includes('<item>'));
    }
  });

  it('needs no session, and its download links work without one', async () => {
    const res = await feed(member.rssToken);
    const url = /<enclosure url="([^"]+)"/.exec(items(res.body)[0])![1];
    const download = await t.app.inject({ method: 'GET', url: url.slice(BASE.length) });
    assert.equal(download.statusCode, 200);
    assert.equal(download.headers['content-type'], 'application/x-bittorrent');
    const torrent = bencode.decode(download.rawPayload);
    assert.equal(text(torrent.announce), `${BASE}/announce/${member.passkey}`, "the torrent carries the feed owner's passkey");
  });

  it('stops working for a disabled member', async () => {
    await t.app.db.prisma.user.update({ where: { id: member.id }, data: { enabled: false } });
    try {
      assert.equal((await feed(member.rssToken)).statusCode, 404);
    } finally {
      await t.app.db.prisma.user.update({ where: { id: member.id }, data: { enabled: true } });
    }
  });
});

describe('rss escaping', () => {
  it('escapes the five XML specials and drops characters XML 1.0 forbids', () => {
    assert.equal(escapeXml(`a<b>&"c"'d`), 'a&lt;b&gt;&amp;&quot;c&quot;&apos;d');
    assert.equal(escapeXml('bell\u0007tab\tnl\nnul\u0000'), 'belltab\tnl\nnul');
    assert.equal(escapeXml('ünïcödé ✓'), 'ünïcödé ✓');
  });
});
