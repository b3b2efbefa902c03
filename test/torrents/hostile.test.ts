// The hostile-input set: every bad upload ends in a TorrentError with a clear
// message, never another exception, a stack overflow or a hang.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseTorrent, personalizeTorrent } from '../../src/torrents/index.js';
import { PIECE, Raw, SOURCE, assertTorrentError, benc, fixture, replaceLast, v1MultiTorrent, v1Torrent } from './helpers.js';

const parse = (input: Buffer, maxBytes?: number) => parseTorrent(input, { source: SOURCE, maxBytes });

describe('parseTorrent refuses malformed bencode', () => {
  it('refuses a file over the size cap before decoding it', () => {
    assertTorrentError(() => parse(Buffer.alloc(10 * 1024 * 1024 + 1, 0x6c)), /larger than 10 MiB/);
    assertTorrentError(() => parse(v1Torrent(), 100), /larger than 100 bytes/);
  });

  it('refuses an empty file', () => {
    assertTorrentError(() => parse(Buffer.alloc(0)), /is empty/);
  });

  it('refuses 100k levels of nesting without overflowing the stack', () => {
    const deep = Buffer.concat([Buffer.alloc(100_000, 'l'), Buffer.alloc(100_000, 'e')]);
    assertTorrentError(() => parse(deep), /nested deeper than 64 levels/);
    const deepDicts = Buffer.from('d1:a'.repeat(100_000));
    assertTorrentError(() => parse(deepDicts), /nested deeper than 64 levels/);
  });

  it('refuses millions of tiny elements', () => {
    const flood = Buffer.concat([Buffer.from('d4:infol'), Buffer.alloc(5_000_000 * 2, 'le'), Buffer.from('ee')]);
    assertTorrentError(() => parse(flood), /more than 2000000 elements/);
  });

  it('refuses truncated bencode', () => {
    const whole = fixture('hybrid-multi');
    for (const cut of [1, 10, whole.length >> 1, whole.length - 1]) {
      assertTorrentError(() => parse(whole.subarray(0, cut)), /not valid bencode: (data ends early|string runs past the end)/);
    }
  });

  it('refuses trailing garbage after the root dict', () => {
    assertTorrentError(() => parse(Buffer.concat([fixture('v1-single'), Buffer.from('x')])), /trailing data after the end/);
    assertTorrentError(() => parse(Buffer.concat([fixture('v1-single'), Buffer.from('de')])), /trailing data/);
  });

  it('refuses a root that is not a dict', () => {
    for (const root of ['le', 'i42e', '4:spam', 'l4:infoe']) {
      assertTorrentError(() => parse(Buffer.from(root)), /not a bencoded dictionary/);
    }
  });

  it('refuses non-canonical integers and string lengths', () => {
    assertTorrentError(() => parse(v1Torrent({ length: new Raw(Buffer.from('i040000e')) })), /leading zero/);
    assertTorrentError(() => parse(v1Torrent({ private: new Raw(Buffer.from('i-0e')) })), /negative zero/);
    assertTorrentError(() => parse(v1Torrent({ name: new Raw(Buffer.from('08:file.bin')) })), /leading zero/);
    assertTorrentError(() => parse(v1Torrent({ length: new Raw(Buffer.from('ie')) })), /expected a digit/);
    assertTorrentError(() => parse(v1Torrent({ length: new Raw(Buffer.from('i4.5e')) })), /expected "e"/);
    assertTorrentError(() => parse(Buffer.from('d4:infod4:name-1:xee')), /unexpected byte 0x2d/);
  });

  it('refuses unsorted and duplicate dict keys and non-string keys', () => {
    assertTorrentError(() => parse(Buffer.from('d4:infod4:name1:a6:lengthi1eee')), /dictionary keys not sorted/);
    assertTorrentError(() => parse(Buffer.from('d4:infod4:name1:a4:name1:bee')), /duplicate dictionary key/);
    assertTorrentError(() => parse(Buffer.from('di1e4:spame')), /dictionary key is not a string/);
    assertTorrentError(() => parse(Buffer.from('d4:infoe')), /dictionary key without a value/);
  });

  it('refuses integers that do not fit in 64 bits', () => {
    assertTorrentError(() => parse(v1Torrent({ length: 2n ** 63n })), /integer does not fit in 64 bits/);
    assertTorrentError(() => parse(v1Torrent({ length: -(2n ** 63n) - 1n })), /integer does not fit in 64 bits/);
    assertTorrentError(() => parse(v1Torrent({ length: new Raw(Buffer.from(`i${'9'.repeat(400)}e`)) })), /number too long/);
  });
});

describe('parseTorrent refuses torrents missing what clients need', () => {
  it('refuses a torrent without info, or whose info is not a dict', () => {
    assertTorrentError(() => parse(benc({ announce: 'http://x/announce' })), /The info dictionary is missing/);
    assertTorrentError(() => parse(benc({ info: 'nope' })), /The info dictionary is not a dictionary/);
  });

  it('refuses a missing or empty name', () => {
    assertTorrentError(() => parse(v1Torrent({ name: undefined })), /The torrent name is missing/);
    assertTorrentError(() => parse(v1Torrent({ name: '' })), /The torrent name is empty/);
    assertTorrentError(() => parse(v1Torrent({ name: 5 })), /The torrent name is not a string/);
  });

  it('refuses a v1 torrent without pieces, or with pieces not a multiple of 20', () => {
    assertTorrentError(() => parse(v1Torrent({ pieces: undefined })), /has no "pieces"/);
    assertTorrentError(() => parse(v1Torrent({ pieces: Buffer.alloc(59) })), /not a multiple of 20/);
  });

  it('refuses a piece count that disagrees with the total size', () => {
    assertTorrentError(() => parse(v1Torrent({ pieces: Buffer.alloc(40) })), /has 2 piece hashes but its size needs 3/);
    assertTorrentError(() => parse(v1Torrent({ length: 1_000_000 })), /has 3 piece hashes but its size needs 62/);
  });

  it('refuses a piece length that is not a power of two between 16 KiB and 512 MiB', () => {
    for (const bad of [0, 1000, 2 ** 31, 16383, 8192, -16384, 3 * 16384]) {
      assertTorrentError(() => parse(v1Torrent({ 'piece length': bad })), new RegExp(`piece length ${bad} is not a power of two`));
    }
    assertTorrentError(() => parse(v1Torrent({ 'piece length': undefined })), /The piece length is missing/);
  });

  it('refuses both or neither of length and files', () => {
    assertTorrentError(() => parse(v1Torrent({ files: [{ length: 1, path: ['a'] }] })), /both "length" and "files"/);
    assertTorrentError(() => parse(v1Torrent({ length: undefined })), /neither "length" nor "files"/);
    assertTorrentError(() => parse(v1Torrent({ length: undefined, files: [] })), /The file list is empty/);
  });

  it('refuses negative lengths', () => {
    assertTorrentError(() => parse(v1Torrent({ length: -1 })), /The file length is negative/);
    const files = v1MultiTorrent([['a']]).toString('latin1').replace('6:lengthi100e', '6:lengthi-100e');
    assertTorrentError(() => parse(Buffer.from(files, 'latin1')), /The length of file 1 of the file list is negative/);
  });

  it('refuses a file entry without a path', () => {
    const noPath = benc({ info: { name: 'd', 'piece length': PIECE, files: [{ length: 1 }], pieces: Buffer.alloc(20) } });
    assertTorrentError(() => parse(noPath), /The path of file 1 of the file list is missing/);
  });

  it('refuses a torrent with no data at all', () => {
    assertTorrentError(() => parse(v1Torrent({ length: 0, pieces: Buffer.alloc(0) })), /contains no data/);
  });

  it('refuses more than 100000 files', () => {
    const entry = Buffer.from('d6:lengthi0e4:pathl1:xee');
    const files = Buffer.concat([Buffer.from('l'), ...new Array<Buffer>(100_001).fill(entry), Buffer.from('e')]);
    const torrent = v1Torrent({ length: undefined, files: new Raw(files) });
    assertTorrentError(() => parse(torrent), /more than 100000 files/);
  });

  it('refuses an unknown meta version', () => {
    assertTorrentError(() => parse(v1Torrent({ 'meta version': 3 })), /meta version is not 2/);
  });
});

describe('parseTorrent refuses unsafe file paths', () => {
  const cases: Array<[string, Array<string | Buffer>, RegExp]> = [
    ['a ".." segment', ['a', '..', 'etc'], /has a "\.\." path segment/],
    ['a "." segment', ['.', 'a'], /has a "\." path segment/],
    ['an empty segment', ['a', '', 'b'], /has an empty path segment/],
    ['an absolute path', ['/etc', 'passwd'], /has a slash inside a path segment/],
    ['a backslash', ['..\\..\\evil'], /has a slash inside a path segment/],
    ['a Windows drive', ['C:', 'Windows'], /has a Windows drive prefix/],
    ['a NUL byte', [Buffer.from('a\0b')], /has a control character/],
    ['a 256-byte segment', ['x'.repeat(256)], /longer than 255 bytes/],
  ];
  for (const [what, segments, message] of cases) {
    it(`refuses ${what}`, () => {
      assertTorrentError(() => parse(v1MultiTorrent([['ok'], segments])), message);
    });
  }

  it('refuses an empty path list and non-UTF-8 segments', () => {
    assertTorrentError(() => parse(v1MultiTorrent([[]])), /File path has an empty path/);
    assertTorrentError(() => parse(v1MultiTorrent([[Buffer.from([0xff, 0xfe])]])), /is not valid UTF-8/);
  });

  it('checks path.utf-8 too, since some clients prefer it', () => {
    const torrent = benc({ info: { name: 'd', 'piece length': PIECE, pieces: Buffer.alloc(20), files: [{ length: 1, path: ['ok'], 'path.utf-8': ['..', 'x'] }] } });
    assertTorrentError(() => parse(torrent), /has a "\.\." path segment/);
  });

  it('refuses the same path twice, and a path that is both a file and a directory', () => {
    assertTorrentError(() => parse(v1MultiTorrent([['a', 'b'], ['a', 'b']])), /The path "a\/b" appears twice/);
    assertTorrentError(() => parse(v1MultiTorrent([['a'], ['a', 'b']])), /The path "a" is both a file and a directory/);
  });

  it('refuses a name that traverses, is absolute or has control characters', () => {
    assertTorrentError(() => parse(v1Torrent({ name: '..' })), /The torrent name "\.\." is not a safe file name/);
    assertTorrentError(() => parse(v1Torrent({ name: '../../etc' })), /is not a safe file name/);
    assertTorrentError(() => parse(v1Torrent({ name: '/etc/passwd' })), /is an absolute path/);
    assertTorrentError(() => parse(v1Torrent({ name: 'C:\\Windows' })), /is an absolute path/);
    assertTorrentError(() => parse(v1Torrent({ name: 'C:/Windows' })), /is an absolute path/);
    assertTorrentError(() => parse(v1Torrent({ name: 'a\nb' })), /contains a control character/);
    assertTorrentError(() => parse(v1Torrent({ 'name.utf-8': '..' })), /The torrent name.utf-8 "\.\." is not a safe file name/);
  });
});

describe('parseTorrent treats names as data', () => {
  it('accepts a name with HTML/JS and returns it unchanged (the views escape it)', () => {
    for (const name of ['A: Film (1999)', '<script>alert("x")', '<b onclick="x">', '"><img src=x onerror=alert(1)>', "'; DROP TABLE releases; --", 'Ünïcødé 名前 🎬']) {
      assert.equal(parse(v1Torrent({ name })).name, name);
    }
  });

  it('prefers name.utf-8 when present', () => {
    assert.equal(parse(v1Torrent({ name: 'plain', 'name.utf-8': 'fancy é' })).name, 'fancy é');
  });

  it('forces private=1 on a torrent with private=0', () => {
    const parsed = parse(v1Torrent({ private: 0 }));
    assert.match(parsed.stored.toString('latin1'), /7:privatei1e6:source8:seedkeep/);
    assert.doesNotMatch(parsed.stored.toString('latin1'), /privatei0e/);
  });

  it('drops trackers, web seeds and DHT nodes from the stored file', () => {
    const top = { 'announce-list': [['http://a/announce']], 'url-list': 'http://seed/', nodes: [['1.2.3.4', 6881]], comment: 'hi', 'created by': 'x' };
    const stored = parse(v1Torrent({}, top)).stored.toString('latin1');
    for (const gone of ['announce', 'url-list', 'nodes', 'comment', 'created by']) assert.ok(!stored.includes(gone), gone);
  });
});

describe('parseTorrent checks v2 and hybrid structure (BEP 52)', () => {
  it('refuses a v2 torrent whose piece layers are missing', () => {
    const broken = replaceLast(fixture('v2-multi'), '12:piece layers', '12:piece_layerz');
    assertTorrentError(() => parse(broken), /The piece layers are missing for "a\.bin"/);
  });

  it('refuses a piece layer that does not hash up to the pieces root', () => {
    const torrent = fixture('v2-single');
    const layersAt = torrent.indexOf('12:piece layers');
    const tampered = Buffer.from(torrent);
    tampered[tampered.length - 5] ^= 0xff;
    assert.ok(tampered.length - 5 > layersAt);
    assertTorrentError(() => parse(tampered), /piece layer of "single\.bin" does not match its pieces root/);
  });

  it('refuses a piece layer of the wrong length', () => {
    const torrent = fixture('v2-single').toString('latin1');
    const shorter = torrent.replace(/96:([\s\S]{96})ee$/, (_m, layer: string) => `64:${layer.slice(0, 64)}ee`);
    assert.notEqual(shorter, torrent);
    assertTorrentError(() => parse(Buffer.from(shorter, 'latin1')), /piece layer of "single\.bin" has the wrong length/);
  });

  it('refuses a hybrid whose v1 file list and v2 file tree disagree', () => {
    const renamed = replaceLast(fixture('hybrid-multi'), '5:a.bin', '5:z.bin');
    assertTorrentError(() => parse(renamed), /v1 file list and the v2 file tree of this hybrid torrent do not match/);
  });

  it('refuses a v2 file without a pieces root, or with a short one', () => {
    const tree = (props: Record<string, unknown>) => benc({ info: { name: 'x', 'piece length': PIECE, 'meta version': 2, 'file tree': { x: { '': props as never } } } });
    assertTorrentError(() => parse(tree({ length: 10 })), /The pieces root of "x" is missing/);
    assertTorrentError(() => parse(tree({ length: 10, 'pieces root': Buffer.alloc(31) })), /pieces root of "x" is not 32 bytes/);
  });

  it('refuses an empty file tree, an empty directory and unsafe file tree names', () => {
    const withTree = (tree: unknown) => benc({ info: { name: 'x', 'piece length': PIECE, 'meta version': 2, 'file tree': tree as never } });
    const file = { '': { length: 1, 'pieces root': Buffer.alloc(32, 1) } };
    assertTorrentError(() => parse(withTree({})), /The file tree has an empty directory/);
    assertTorrentError(() => parse(withTree({ a: file, d: {} })), /The file tree has an empty directory "d"/);
    assertTorrentError(() => parse(withTree({ '..': { x: file } })), /has a "\.\." path segment/);
    assertTorrentError(() => parse(withTree({ '': file })), /entry with an empty name/);
    assertTorrentError(() => parse(withTree({ a: { ...file, b: file } })), /is both a file and a directory/);
  });

  it('refuses a v2 torrent without a file tree', () => {
    assertTorrentError(() => parse(benc({ info: { name: 'x', 'piece length': PIECE, 'meta version': 2 } })), /The v2 file tree is missing/);
  });
});

describe('personalizeTorrent on hostile stored bytes', () => {
  it('throws a TorrentError, not a crash', () => {
    assertTorrentError(() => personalizeTorrent(Buffer.from('l'.repeat(10_000)), { announce: 'http://t/a', announceList: [] }), /nested deeper/);
    assertTorrentError(() => personalizeTorrent(Buffer.from('i1e'), { announce: 'http://t/a', announceList: [] }), /not a bencoded dictionary/);
  });
});
