// The announce query parser (src/tracker/http/query.ts, BEP 3, docs/protocol.md):
// binary-safe values, the first of repeated parameters, defaults, and refusals.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAnnounceQuery } from '../../src/tracker/http/query.js';
import { TrackerError } from '../../src/tracker/core/types.js';

const HASH = '%00%01%02%03%04%05%06%07%08%09%0a%0b%0c%0d%0e%0f%10%11%12%ff';
const PEER = '-qB4520-abcdefghijkl';
const base = `info_hash=${HASH}&peer_id=${PEER}&port=6881&uploaded=1&downloaded=2&left=3`;

function refusal(query: string): string {
  try {
    parseAnnounceQuery(query);
  } catch (error) {
    assert.ok(error instanceof TrackerError);
    return error.message;
  }
  return 'accepted';
}

describe('announce query', () => {
  it('reads every field, raw bytes intact', () => {
    const q = parseAnnounceQuery(`${base}&event=started&numwant=20&key=ab%20cd&compact=0&no_peer_id=1`);
    assert.equal(q.infoHash.length, 20);
    assert.equal(q.infoHash[19], 0xff);
    assert.equal(q.peerId.toString('latin1'), PEER);
    assert.equal(q.port, 6881);
    assert.deepEqual([q.uploaded, q.downloaded, q.left], [1n, 2n, 3n]);
    assert.equal(q.event, 'started');
    assert.equal(q.numwant, 20);
    assert.equal(q.key, 'ab cd');
    assert.equal(q.compact, false);
    assert.equal(q.noPeerId, true);
  });

  it('takes the first of repeated parameters and ignores unknown ones and empty parts', () => {
    const q = parseAnnounceQuery(`&&foo=bar&port=7000&${base}&port=9&left=99&=x&info_hash_x=1`);
    assert.equal(q.port, 7000);
    assert.equal(q.left, 3n);
  });

  it('applies the defaults: compact, no event, numwant left to the core, no key', () => {
    const q = parseAnnounceQuery(`${base}&numwant=-5&key=`);
    assert.equal(q.compact, true);
    assert.equal(q.event, '');
    assert.equal(q.numwant, null);
    assert.equal(q.key, null);
    assert.equal(parseAnnounceQuery(`${base}&event=empty`).event, '');
  });

  it('refuses missing and malformed fields with the member-facing reason, in field order', () => {
    assert.equal(refusal(`peer_id=${PEER}`), 'Missing info_hash');
    assert.equal(refusal(`info_hash=abc&peer_id=x`), 'Invalid info_hash: must be 20 bytes');
    assert.equal(refusal(`info_hash=${HASH}&peer_id=${PEER}`), 'Missing port');
    assert.equal(refusal(base.replace('port=6881', 'port=0')), 'Invalid port');
    assert.equal(refusal(base.replace('port=6881', 'port')), 'Invalid port');
    assert.equal(refusal(base.replace('uploaded=1', 'uploaded=-1')), 'Invalid uploaded: must be a whole number');
    assert.equal(refusal(base.replace('left=3', 'left=9223372036854775808')), 'Invalid left: too large');
    assert.equal(refusal(`${base}&event=bogus`), 'Invalid event');
    assert.equal(refusal(`${base}&info_hash=%zz`), 'accepted', 'a later repeat does not matter');
  });

  it('refuses an over-long query, and walks a hostile one of many empty parts in one pass', () => {
    assert.equal(refusal(`${base}&pad=${'x'.repeat(9000)}`), 'Query string too long');
    assert.equal(refusal('&'.repeat(8000) + 'a'), 'Missing info_hash');
    assert.equal(refusal('a'.repeat(4000) + '&' + 'b'.repeat(4000)), 'Missing info_hash');
  });
});
