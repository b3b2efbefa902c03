// A real client's view of what we store and serve: python3-libtorrent loads the stored and
// the personalised torrents and must report our hashes, private=1 and our trackers.
// Skipped (with a note) when /usr/bin/python3 has no libtorrent module.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseTorrent, personalizeTorrent } from '../../src/torrents/index.js';
import { SOURCE, expected, fixture } from './helpers.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = `
import json, sys, libtorrent as lt
out = []
for p in sys.argv[1:]:
    ti = lt.torrent_info(p)
    ih = ti.info_hashes()
    out.append({'v1': ih.v1.to_bytes().hex() if ih.has_v1() else None,
                'v2': ih.v2.to_bytes().hex() if ih.has_v2() else None,
                'priv': ti.priv(), 'trackers': [t.url for t in ti.trackers()], 'files': ti.num_files()})
print(json.dumps(out))
`;

const probe = spawnSync(PYTHON, ['-c', 'import libtorrent'], { timeout: 10_000 });
const skip = probe.status === 0 ? false : 'python3-libtorrent is not installed';

describe('libtorrent agrees with parseTorrent and personalizeTorrent', { skip }, () => {
  it('loads every stored and personalised fixture with our hashes, private=1 and our trackers', { timeout: 60_000 }, () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'seedkeep-lt-'));
    try {
      const announce = 'http://127.0.0.1:8080/0123456789abcdef0123456789abcdef/announce';
      const cases = Object.keys(expected).map((name) => {
        const parsed = parseTorrent(fixture(`${name}-public`), { source: SOURCE });
        const personal = personalizeTorrent(parsed.stored, { announce, announceList: [[announce], ['udp://127.0.0.1:8080/x/announce']] });
        writeFileSync(path.join(dir, `${name}-stored.torrent`), parsed.stored);
        writeFileSync(path.join(dir, `${name}-personal.torrent`), personal);
        return { name, parsed };
      });
      const files = cases.flatMap(({ name }) => [`${name}-stored.torrent`, `${name}-personal.torrent`].map((f) => path.join(dir, f)));
      const run = spawnSync(PYTHON, ['-c', SCRIPT, ...files], { timeout: 30_000, encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      const seen = JSON.parse(run.stdout) as Array<{ v1: string | null; v2: string | null; priv: boolean; trackers: string[] }>;
      cases.forEach(({ name, parsed }, i) => {
        for (const [j, view] of [seen[2 * i], seen[2 * i + 1]].entries()) {
          assert.equal(view.v1, parsed.infoHashV1?.toString('hex') ?? null, name);
          assert.equal(view.v2, parsed.infoHashV2?.toString('hex') ?? null, name);
          assert.equal(view.priv, true, name);
          assert.deepEqual(view.trackers, j === 0 ? [] : [announce, 'udp://127.0.0.1:8080/x/announce'], name);
        }
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
