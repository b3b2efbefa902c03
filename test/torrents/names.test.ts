// Torrent names (BEP 3 info `name`, `name.utf-8`) that would break or disguise a download:
// slashes, Windows device names, direction overrides, invisible and control characters.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nameProblem, parseTorrent, visibleName, windowsDevice } from '../../src/torrents/index.js';
import { torrentFilename } from '../../src/web/releases/build-download.js';
import { assertTorrentError, SOURCE, v1Torrent } from './helpers.js';

const parse = (data: Buffer) => parseTorrent(data, { source: SOURCE });

describe('torrent names', () => {
  it('refuses a slash or backslash inside the name', () => {
    for (const name of ['AC/DC - Back in Black', 'a\\b', 'dir/']) {
      assertTorrentError(() => parse(v1Torrent({ name })), /contains a slash: a name is one file or folder name, not a path/);
    }
  });

  it('refuses Windows device names, with or without an extension, in any letter case', () => {
    for (const [name, device] of [
      ['CON', 'CON'],
      ['nul', 'NUL'],
      ['Aux.txt', 'AUX'],
      ['prn.tar.gz', 'PRN'],
      ['COM1', 'COM1'],
      ['com9.log', 'COM9'],
      ['LPT1', 'LPT1'],
      ['lpt¹.bin', 'LPT¹'],
      ['CON .mkv', 'CON'],
      ['Con.Air.1997.1080p', 'CON'],
    ]) {
      assertTorrentError(() => parse(v1Torrent({ name })), new RegExp(`is a device name on Windows \\(${device}\\)`));
    }
    assertTorrentError(() => parse(v1Torrent({ name: 'fine', 'name.utf-8': 'NUL' })), /The torrent name\.utf-8 "NUL" is a device name on Windows/);
  });

  it('refuses direction overrides, invisible and control characters, naming the code point', () => {
    const cases: Array<[string, RegExp]> = [
      ['movie\u202egpj.exe', /text-direction control character \(U\+202E\)/],
      ['a\u2066b', /text-direction control character \(U\+2066\)/],
      ['a\u200fb', /text-direction control character \(U\+200F\)/],
      ['zero\u200bwidth', /invisible character \(U\+200B\)/],
      ['\ufeffbom', /invisible character \(U\+FEFF\)/],
      ['soft\u00adhyphen', /invisible character \(U\+00AD\)/],
      ['c1\u0085control', /control character \(U\+0085\)/],
    ];
    for (const [name, message] of cases) assertTorrentError(() => parse(v1Torrent({ name })), message);
    assertTorrentError(() => parse(v1Torrent({ name: 'tab\there' })), /contains a control character/);
  });

  it('quotes a refused name with its hidden characters written out', () => {
    assertTorrentError(() => parse(v1Torrent({ name: 'x\u202egpj.exe' })), /"x\\u202egpj\.exe"/);
  });

  it('accepts ordinary names that only look like device names', () => {
    for (const name of ['Con Air (1997)', 'CONtrol', 'COM10', 'LPT', 'nul-terminated', 'Console.Games', 'Ünïcødé 名前 🎬', 'A: Film (1999)']) {
      assert.equal(parse(v1Torrent({ name })).name, name);
      assert.equal(nameProblem(name), null, name);
    }
    assert.equal(windowsDevice('Con Air (1997)'), null);
  });
});

describe('showing stored names', () => {
  it('makes direction, invisible and control characters visible', () => {
    assert.equal(visibleName('movie\u202egpj.exe'), 'movie\ufffdgpj.exe');
    assert.equal(visibleName('a\u200bb\u0001c'), 'a\ufffdb\ufffdc');
    assert.equal(visibleName('Plain name'), 'Plain name');
  });

  it('gives a download file name no hidden character and no device name', () => {
    assert.equal(torrentFilename('movie\u202egpj.exe'), 'movie_gpj.exe.torrent');
    assert.equal(torrentFilename('CON'), '_CON.torrent');
    assert.equal(torrentFilename('nul.tar'), '_nul.tar.torrent');
  });
});
