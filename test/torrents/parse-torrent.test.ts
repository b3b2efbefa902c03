import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { parseTorrent } from '../../src/torrents/index.js';
import { strictDecode, type BDict } from '../../src/torrents/strict-bdecode.js';
import { SOURCE, expected, fixture } from './helpers.js';

const limits = { maxDepth: 64, maxElements: 1_000_000 };

function topLevel(stored: Buffer): BDict {
  const root = strictDecode(stored, limits);
  assert.equal(root.kind, 'dict');
  return root as BDict;
}

function infoBytes(stored: Buffer): Buffer {
  const info = topLevel(stored).get('info');
  assert.ok(info);
  return stored.subarray(info.start, info.end);
}

function hex(value: Buffer | null): string | null {
  return value ? value.toString('hex') : null;
}

describe('parseTorrent on torrents made by libtorrent', () => {
  for (const [name, exp] of Object.entries(expected)) {
    describe(name, () => {
      it('gives the v1 and v2 hashes libtorrent reports for the private, sourced torrent', () => {
        const parsed = parseTorrent(fixture(name), { source: SOURCE });
        assert.equal(hex(parsed.infoHashV1), exp.infoHashV1);
        assert.equal(hex(parsed.infoHashV2), exp.infoHashV2);
        assert.equal(hex(parsed.infoHashV2Short), exp.infoHashV2 ? exp.infoHashV2.slice(0, 40) : null);
      });

      it('forces private=1 and the source on a public torrent, giving the same hashes', () => {
        const parsed = parseTorrent(fixture(`${name}-public`), { source: SOURCE });
        assert.equal(hex(parsed.infoHashV1), exp.infoHashV1);
        assert.equal(hex(parsed.infoHashV2), exp.infoHashV2);
        assert.notEqual(hex(parsed.infoHashV1 ?? parsed.infoHashV2), exp.publicHashes.infoHashV1 ?? exp.publicHashes.infoHashV2);
      });

      it('reports the version, name, size, piece length and content files (padding excluded)', () => {
        const parsed = parseTorrent(fixture(name), { source: SOURCE });
        assert.equal(parsed.version, exp.version);
        assert.equal(parsed.name, exp.name);
        assert.equal(parsed.size, BigInt(exp.size));
        assert.equal(parsed.pieceLength, exp.pieceLength);
        const single = exp.files.length === 1 && exp.files[0].path === exp.name;
        const want = exp.files.map((f) => ({ path: single ? f.path : f.path.slice(exp.name.length + 1), size: BigInt(f.size) }));
        assert.deepEqual(parsed.files, want);
      });

      it('hashes exactly the stored info bytes, and those carry private=1 and the source', () => {
        const parsed = parseTorrent(fixture(`${name}-public`), { source: SOURCE });
        const info = infoBytes(parsed.stored);
        if (parsed.infoHashV1) assert.deepEqual(createHash('sha1').update(info).digest(), parsed.infoHashV1);
        if (parsed.infoHashV2) assert.deepEqual(createHash('sha256').update(info).digest(), parsed.infoHashV2);
        const infoDict = strictDecode(info, limits) as BDict;
        const priv = infoDict.get('private');
        const source = infoDict.get('source');
        assert.ok(priv?.kind === 'int' && priv.value === 1n);
        assert.ok(source?.kind === 'bytes' && source.value.toString() === SOURCE);
      });

      it('drops announce, comment and created by but keeps creation date and the v2 piece layers', () => {
        const parsed = parseTorrent(fixture(name), { source: SOURCE });
        const keys = Array.from(topLevel(parsed.stored).entries(), (e) => e.key.toString());
        const layers = exp.version === 'v1' ? [] : ['piece layers'];
        assert.deepEqual(keys, ['creation date', 'info', ...layers]);
      });

      it('is idempotent: parsing the stored file gives the same hashes and the same bytes', () => {
        const first = parseTorrent(fixture(`${name}-public`), { source: SOURCE });
        const again = parseTorrent(first.stored, { source: SOURCE });
        assert.deepEqual(again.stored, first.stored);
        assert.deepEqual(again.infoHashV1, first.infoHashV1);
        assert.deepEqual(again.infoHashV2, first.infoHashV2);
      });
    });
  }

  it('gives different hashes for a different source (no cross-site swarm sharing)', () => {
    const ours = parseTorrent(fixture('hybrid-multi'), { source: SOURCE });
    const theirs = parseTorrent(fixture('hybrid-multi'), { source: 'other-site' });
    assert.notDeepEqual(ours.infoHashV1, theirs.infoHashV1);
    assert.notDeepEqual(ours.infoHashV2, theirs.infoHashV2);
  });
});
