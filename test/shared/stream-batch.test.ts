// The stream entries the drainer reads (src/shared/stream-batch.ts, layout in
// src/shared/record-lua.ts): the fixed fields joined in one, and entries written before that
// layout, one field per value, still read the same, so an upgrade drains what was pending.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ENTRY_VALUES } from '../../src/shared/record-lua.js';
import { batchOf, fieldsOf } from '../../src/shared/stream-batch.js';

const VALUES: Record<string, string> = {
  u: '12', r: '7', up: '1048576', dn: '524288', mu: '2', md: '0', st: '1800', sn: '1', at: '1800000000000', ul: '9007199254740993',
  dl: '524288', lf: '0', sd: '1', ac: '1', po: '6881', i4: '10.0.0.1', i6: '2001:db8::1',
};
const FREE = { f: `12:${'ab'.repeat(20)}`, k: 'kA1,B2', cl: 'qBittorrent/4.6.5, patched' };

describe('stream entries', () => {
  it('reads the packed fixed fields and the free ones, commas in the free ones included', () => {
    const packed = ['v', ENTRY_VALUES.map((name) => VALUES[name]).join(','), 'f', FREE.f, 'k', FREE.k, 'cl', FREE.cl];
    assert.deepEqual({ ...fieldsOf(packed), v: undefined }, { ...VALUES, ...FREE, v: undefined });
  });

  it('reads an entry of the earlier layout, one field per value, as the same batch', () => {
    const packed = ['v', ENTRY_VALUES.map((name) => VALUES[name]).join(','), 'f', FREE.f, 'k', FREE.k, 'cl', FREE.cl];
    const earlier = Object.entries({ ...VALUES, ...FREE }).flat();
    const [a, b] = [batchOf('a', [fieldsOf(packed)]), batchOf('b', [fieldsOf(earlier)])];
    assert.deepEqual(a.peerRows, b.peerRows);
    assert.equal(a.peerRows[0]?.uploaded, 9007199254740993n);
    assert.deepEqual(a.transfers.get(12, 7), b.transfers.get(12, 7));
    assert.deepEqual(a.users.get(12), { up: 2097152n, down: 0n, upActual: 1048576n, downActual: 524288n });
  });
});
