// Reading an uploaded .nfo: CP437 art, UTF-8 and UTF-16 text, and what is refused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_NFO_BYTES, readNfo } from '../../src/web/releases/nfo.js';

const read = (data: Buffer, filename = 'release.nfo') => readNfo({ filename, data });

describe('reading an .nfo', () => {
  it('reads CP437 block art and accented letters', () => {
    // ░▒▓█ ▄▀ ═╗ in CP437, then "Café" with é = 0x82, and a DOS end-of-file ^Z
    const data = Buffer.from([0xb0, 0xb1, 0xb2, 0xdb, 0x20, 0xdc, 0xdf, 0x20, 0xcd, 0xbb, 0x0d, 0x0a, 0x43, 0x61, 0x66, 0x82, 0x1a]);
    assert.deepEqual(read(data), { text: '░▒▓█ ▄▀ ═╗\nCafé' });
  });

  it('reads UTF-8 (with or without a byte-order mark) and UTF-16 with one', () => {
    assert.deepEqual(read(Buffer.from('Релиз ░▒▓ ☺\n', 'utf8')), { text: 'Релиз ░▒▓ ☺' });
    assert.deepEqual(read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Olá', 'utf8')])), { text: 'Olá' });
    assert.deepEqual(read(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Привет', 'utf16le')])), { text: 'Привет' });
  });

  it('refuses other file names, empty, oversized and binary files', () => {
    assert.ok('problem' in read(Buffer.from('x'), 'virus.exe'));
    assert.ok('problem' in read(Buffer.alloc(0)));
    assert.ok('problem' in read(Buffer.from('\x1a\r\n')));
    assert.ok('problem' in read(Buffer.alloc(MAX_NFO_BYTES + 1, 0x41)));
    assert.deepEqual(read(Buffer.from([0x4d, 0x5a, 0x00, 0x01])), { problem: 'upload.nfoNotText' });
    assert.deepEqual(read(Buffer.from('notes'), 'NOTES.TXT'), { text: 'notes' });
  });
});
