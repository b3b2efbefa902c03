import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseTorrent, personalizeTorrent } from '../../src/torrents/index.js';
import { strictDecode, type BDict, type BNode } from '../../src/torrents/strict-bdecode.js';
import { SOURCE, fixture } from './helpers.js';

const passkey = '0123456789abcdef0123456789abcdef';
const options = {
  announce: `http://tracker.test/${passkey}/announce`,
  announceList: [[`http://tracker.test/${passkey}/announce`], [`udp://tracker.test:6969/${passkey}/announce`]],
  comment: 'http://tracker.test/releases/42',
  createdBy: 'seedkeep',
};

function top(torrent: Buffer): BDict {
  return strictDecode(torrent, { maxDepth: 64, maxElements: 1_000_000 }) as BDict;
}

function text(node: BNode | undefined): string {
  assert.ok(node?.kind === 'bytes');
  return node.value.toString('utf8');
}

function span(torrent: Buffer, key: string): Buffer {
  const node = top(torrent).get(key);
  assert.ok(node);
  return torrent.subarray(node.start, node.end);
}

describe('personalizeTorrent', () => {
  for (const name of ['v1-single', 'v1-multi', 'v2-multi', 'hybrid-multi']) {
    it(`keeps the info bytes and so the hashes of a ${name} torrent`, () => {
      const parsed = parseTorrent(fixture(`${name}-public`), { source: SOURCE });
      const personal = personalizeTorrent(parsed.stored, options);
      assert.deepEqual(span(personal, 'info'), span(parsed.stored, 'info'));
      const again = parseTorrent(personal, { source: SOURCE });
      assert.deepEqual(again.infoHashV1, parsed.infoHashV1);
      assert.deepEqual(again.infoHashV2, parsed.infoHashV2);
      if (parsed.version !== 'v1') assert.deepEqual(span(personal, 'piece layers'), span(parsed.stored, 'piece layers'));
    });
  }

  it('sets announce, the announce-list tiers in order, comment and created by', () => {
    const personal = top(personalizeTorrent(parseTorrent(fixture('v1-single'), { source: SOURCE }).stored, options));
    assert.equal(text(personal.get('announce')), options.announce);
    assert.equal(text(personal.get('comment')), options.comment);
    assert.equal(text(personal.get('created by')), options.createdBy);
    const tiers = personal.get('announce-list');
    assert.ok(tiers?.kind === 'list');
    const urls = Array.from(tiers.items(), (tier) => (tier.kind === 'list' ? Array.from(tier.items(), text) : []));
    assert.deepEqual(urls, options.announceList);
  });

  it('replaces earlier announce URLs and comment rather than adding to them', () => {
    const stored = parseTorrent(fixture('v1-single'), { source: SOURCE }).stored;
    const first = personalizeTorrent(stored, { ...options, comment: 'old' });
    const second = personalizeTorrent(first, { announce: 'http://other.test/announce', announceList: [] });
    const dict = top(second);
    assert.equal(text(dict.get('announce')), 'http://other.test/announce');
    assert.equal(dict.get('announce-list'), undefined);
    assert.equal(dict.get('comment'), undefined);
    assert.equal(dict.get('created by'), undefined);
  });

  it('drops empty tiers and writes non-ASCII comments as UTF-8', () => {
    const stored = parseTorrent(fixture('v1-single'), { source: SOURCE }).stored;
    const dict = top(personalizeTorrent(stored, { announce: 'http://t/a', announceList: [[], ['http://t/a']], comment: 'détails 詳細' }));
    assert.equal(text(dict.get('comment')), 'détails 詳細');
    const tiers = dict.get('announce-list');
    assert.ok(tiers?.kind === 'list' && tiers.length === 1);
  });

  it('produces canonical bencode (keys sorted) that strict parsing accepts', () => {
    const stored = parseTorrent(fixture('hybrid-single'), { source: SOURCE }).stored;
    const keys = Array.from(top(personalizeTorrent(stored, options)).entries(), (e) => e.key.toString());
    assert.deepEqual(keys, ['announce', 'announce-list', 'comment', 'created by', 'creation date', 'info', 'piece layers']);
  });
});
