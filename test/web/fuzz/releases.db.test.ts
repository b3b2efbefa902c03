// Hostile input on the releases, upload, comments and release feeds (test/helpers/fuzz.ts): never
// a 500; browse ignores the bad values it was once broken by.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeFuzzArea } from '../../helpers/fuzz.js';
import { AREAS } from '../../helpers/fuzz-areas.js';
import { firstCategoryId, getCsrf, makeTorrent, multipart } from '../../helpers/releases.js';

describeFuzzArea('releases, upload and comments', AREAS.releases, (site) => {
  it('renders browse for the reported inputs, ignoring the bad value', async () => {
    const { t, member } = site();
    for (const query of ['sort=constructor', 'sort=__proto__', 'sort=toString', 'q=%00', 'q=a%00b&sort=name', 'q=x&q=y', 'sort=name&sort=size']) {
      const res = await t.app.inject({ url: `/releases?${query}`, headers: { cookie: member.cookie } });
      assert.equal(res.statusCode, 200, query);
    }
  });

  it('answers hostile uploads without a 500', async () => {
    const { t, member, hit, takeFaults } = site();
    const { token, cookie } = await getCsrf(t.app, member.cookie, '/upload');
    const category = String(await firstCategoryId(t.app));
    const cases = [
      [{ name: '_csrf', value: token }, { name: 'category', value: category }, { name: 'category', value: '2' }, { name: 'torrent', value: makeTorrent(), filename: 'a.torrent' }],
      [{ name: '_csrf', value: token }, { name: '__proto__', value: 'x' }, { name: 'constructor', value: 'x' }, { name: 'torrent', value: makeTorrent(), filename: 'a.torrent' }],
      [{ name: '_csrf', value: token }, { name: 'category', value: 'constructor' }, { name: 'name', value: 'a\u0000b' }, { name: 'torrent', value: makeTorrent(), filename: 'a.torrent' }],
      [{ name: '_csrf', value: token }, { name: 'category', value: category }, { name: 'torrent', value: Buffer.from('d4:infod4:name1:\u0000ee'), filename: 'x.torrent' }],
      [{ name: '_csrf', value: token }, { name: 'category', value: category }, { name: 'torrent', value: makeTorrent(), filename: 'a.torrent' }, { name: 'torrent', value: makeTorrent(), filename: 'b.torrent' }],
      [{ name: '_csrf', value: token }, { name: 'category', value: '99999999999999999999' }, { name: 'description', value: '\u0000'.repeat(1000) }, { name: 'torrent', value: makeTorrent(), filename: 'a.torrent' }],
      [{ name: '_csrf', value: token }, { name: 'category', value: category }, { name: 'torrent', value: 'not a file' }],
    ];
    for (const parts of cases) {
      const body = multipart(parts);
      await hit('POST', '/upload', cookie, body.payload, body.contentType);
    }
    assert.deepEqual(takeFaults(), []);
  });
});
