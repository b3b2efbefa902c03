import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { tokenFor } from '../helpers/api.js';
import { bencode, createMember, firstCategoryId, makeTorrent, multipart, seedReleases, uploadOk, type Member, type MultipartPart } from '../helpers/releases.js';
import { API_RATE_LIMIT } from '../../src/web/api/index.js';

describe('JSON API v1', () => {
  let t: TestApp;
  let member: Member;
  let all: string;
  let releaseId: number;
  const call = (url: string, token?: string, method: 'GET' | 'POST' = 'GET', extra: { payload?: Buffer | string; headers?: Record<string, string> } = {}) =>
    t.app.inject({ method, url, payload: extra.payload, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra.headers } });
  const problem = async (res: Awaited<ReturnType<typeof call>>, status: number, code: string) => {
    assert.equal(res.statusCode, status, res.body);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    const body = res.json();
    assert.equal(body.error.code, code, res.body);
    assert.equal(typeof body.error.message, 'string');
  };
  const uploadParts = async (overrides: Partial<Record<string, MultipartPart | null>> = {}): Promise<MultipartPart[]> => {
    const parts: Record<string, MultipartPart | null> = {
      torrent: { name: 'torrent', value: makeTorrent({ name: `Api.Upload.${Math.random()}` }), filename: 'x.torrent' },
      category: { name: 'category', value: String(await firstCategoryId(t.app)) },
      imdbId: { name: 'imdbId', value: 'tt0133093' },
      ...overrides,
    };
    return Object.values(parts).filter((p): p is MultipartPart => p !== null);
  };
  const upload = async (token: string, parts: MultipartPart[]) => {
    const body = multipart(parts);
    return call('/api/v1/releases', token, 'POST', { payload: body.payload, headers: { 'content-type': body.contentType } });
  };

  before(async () => {
    t = await buildTestApp({ config: { baseUrl: 'https://tracker.example' } });
    const uploader = await createMember(t.app, 'uploader1');
    member = await createMember(t.app, 'member1');
    all = await tokenFor(t.app, member, ['read', 'download', 'upload']);
    releaseId = await uploadOk(t.app, uploader, { torrent: makeTorrent({ name: 'Api.Release', files: [[['a.bin'], 20000]] }) });
    await seedReleases(t.app, [{ name: 'Api.Other', categoryId: await firstCategoryId(t.app, 'TV'), freeleech: 'freeleech' }]);
  });
  after(async () => t.close());

  it('returns the member\'s own stats', async () => {
    await t.app.db.prisma.user.update({ where: { id: member.id }, data: { uploaded: 5n * 1024n ** 3n, downloaded: 2n * 1024n ** 3n } });
    const res = await call('/api/v1/me', all);
    assert.equal(res.statusCode, 200);
    const me = res.json();
    assert.equal(me.username, 'member1');
    assert.equal(me.uploaded, 5 * 1024 ** 3);
    assert.equal(me.downloaded, 2 * 1024 ** 3);
    assert.equal(me.ratio, 2.5);
    assert.deepEqual([me.seeding, me.leeching, me.snatched, me.uploads, me.activeHitAndRuns], [0, 0, 0, 0, 0]);
  });

  it('browses with the browse page\'s filters', async () => {
    const res = await call('/api/v1/releases?q=api&freeleech=freeleech', all);
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(body.releases.map((r: any) => r.name), ['Api.Other']);
    assert.equal(body.releases[0].traffic, 'freeleech');
    assert.equal(body.releases[0].category.name, 'TV');
    const sorted = (await call('/api/v1/releases?sort=name&order=asc', all)).json();
    assert.deepEqual(sorted.releases.map((r: any) => r.name), ['Api.Other', 'Api.Release']);
  });

  it('shows a release with its files, hashes and media ids', async () => {
    await t.app.db.prisma.release.update({ where: { id: releaseId }, data: { tmdbId: 603 } });
    const res = await call(`/api/v1/releases/${releaseId}`, all);
    assert.equal(res.statusCode, 200);
    const release = res.json();
    assert.equal(release.name, 'Api.Release');
    assert.match(release.infoHashV1, /^[0-9a-f]{40}$/);
    assert.deepEqual(release.fileList, [{ path: 'a.bin', size: 20000 }]);
    assert.equal(release.tmdbId, 603);
    assert.equal(release.imdbId, null);
    assert.equal(release.downloadUrl, `https://tracker.example/api/v1/releases/${releaseId}/torrent`);
    await problem(await call('/api/v1/releases/999999', all), 404, 'not_found');
  });

  it('downloads the .torrent with the member\'s passkey', async () => {
    const res = await call(`/api/v1/releases/${releaseId}/torrent`, all);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/x-bittorrent');
    assert.equal(Buffer.from(bencode.decode(res.rawPayload).announce).toString(), `https://tracker.example/announce/${member.passkey}`);
  });

  it('refuses the download when download rights are withdrawn', async () => {
    const leecher = await createMember(t.app, 'withdrawn1');
    const token = await tokenFor(t.app, leecher, ['download']);
    await t.app.db.prisma.user.update({ where: { id: leecher.id }, data: { canLeech: false } });
    await problem(await call(`/api/v1/releases/${releaseId}/torrent`, token), 403, 'download_forbidden');
  });

  it('uploads through the upload form\'s checks, with media ids', async () => {
    const res = await upload(all, await uploadParts());
    assert.equal(res.statusCode, 201, res.body);
    const created = res.json();
    const row = await t.app.db.prisma.release.findUniqueOrThrow({ where: { id: created.id }, select: { imdbId: true, uploaderId: true } });
    assert.deepEqual(row, { imdbId: 'tt0133093', uploaderId: member.id });
    assert.equal(created.url, `https://tracker.example/releases/${created.id}`);
  });

  it('refuses bad uploads with stable codes', async () => {
    const torrent = makeTorrent({ name: 'Api.Dupe' });
    assert.equal((await upload(all, await uploadParts({ torrent: { name: 'torrent', value: torrent, filename: 'd.torrent' } }))).statusCode, 201);
    await problem(await upload(all, await uploadParts({ torrent: { name: 'torrent', value: torrent, filename: 'd.torrent' } })), 409, 'duplicate');
    await problem(await upload(all, await uploadParts({ torrent: { name: 'torrent', value: Buffer.from('d4:infoi1ee'), filename: 'bad.torrent' } })), 400, 'invalid_torrent');
    await problem(await upload(all, await uploadParts({ torrent: null })), 400, 'invalid_parameter');
    await problem(await upload(all, await uploadParts({ category: { name: 'category', value: '999999' } })), 400, 'invalid_parameter');
    await problem(await upload(all, await uploadParts({ imdbId: { name: 'imdbId', value: 'tt1' } })), 400, 'invalid_parameter');
    await problem(await call('/api/v1/releases', all, 'POST', { payload: '{}', headers: { 'content-type': 'application/json' } }), 415, 'unsupported_media_type');
  });

  it('checks each route\'s scope', async () => {
    const readOnly = await tokenFor(t.app, member, ['read']);
    const downloadOnly = await tokenFor(t.app, member, ['download']);
    await problem(await call(`/api/v1/releases/${releaseId}/torrent`, readOnly), 403, 'insufficient_scope');
    await problem(await upload(readOnly, await uploadParts()), 403, 'insufficient_scope');
    await problem(await call('/api/v1/me', downloadOnly), 403, 'insufficient_scope');
    assert.equal((await call(`/api/v1/releases/${releaseId}/torrent`, downloadOnly)).statusCode, 200);
  });

  it('refuses missing, unknown, revoked and disabled members\' tokens', async () => {
    await problem(await call('/api/v1/me'), 401, 'unauthorized');
    await problem(await call('/api/v1/me', 'garbage'), 401, 'unauthorized');
    await problem(await call('/api/v1/me', `sk_${'B'.repeat(32)}`), 401, 'unauthorized');
    const revoked = await tokenFor(t.app, member, ['read'], 'to revoke');
    await t.app.db.prisma.apiToken.deleteMany({ where: { name: 'to revoke' } });
    await problem(await call('/api/v1/me', revoked), 401, 'unauthorized');
    const gone = await createMember(t.app, 'gone1');
    const goneToken = await tokenFor(t.app, gone, ['read']);
    await t.app.db.prisma.user.update({ where: { id: gone.id }, data: { enabled: false } });
    await problem(await call('/api/v1/me', goneToken), 403, 'account_disabled');
  });

  it('answers bad and hostile parameters with 400 invalid_parameter, never a 500', async () => {
    for (const query of ['page=0', 'page=abc', 'sort=nope', 'freeleech=maybe', 'category=-1', `q=${'x'.repeat(300)}`, 'q=a%00b', 'category=99999999999999999999']) {
      await problem(await call(`/api/v1/releases?${query}`, all), 400, 'invalid_parameter');
    }
    await problem(await call('/api/v1/releases/abc', all), 400, 'invalid_parameter');
    const hostile = await call('/api/v1/releases?__proto__[x]=1&constructor[prototype][y]=2&toString=1&hasOwnProperty=1', all);
    assert.equal(hostile.statusCode, 200, hostile.body);
    assert.equal(({} as any).x, undefined);
    await problem(await call('/api/v1/nothing-here', all), 404, 'not_found');
  });

  it('rate limits per token', async () => {
    const busy = await tokenFor(t.app, member, ['read'], 'busy');
    let last = await call('/api/v1/categories', busy);
    for (let i = 1; i <= API_RATE_LIMIT && last.statusCode === 200; i++) last = await call('/api/v1/categories', busy);
    await problem(last, 429, 'rate_limited');
    assert.equal((await call('/api/v1/categories', all)).statusCode, 200);
  });

  it('records when a token was last used', async () => {
    const token = await tokenFor(t.app, member, ['read'], 'fresh');
    assert.equal((await t.app.db.prisma.apiToken.findFirstOrThrow({ where: { name: 'fresh' } })).lastUsedAt, null);
    await call('/api/v1/me', token);
    assert.notEqual((await t.app.db.prisma.apiToken.findFirstOrThrow({ where: { name: 'fresh' } })).lastUsedAt, null);
  });

  it('publishes an OpenAPI document generated from the route schemas, and readable docs', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.equal(doc.openapi, '3.0.3');
    assert.deepEqual(Object.keys(doc.paths).sort(), ['/api/v1/categories', '/api/v1/me', '/api/v1/releases', '/api/v1/releases/{id}', '/api/v1/releases/{id}/torrent']);
    assert.ok(doc.paths['/api/v1/releases'].get.parameters.some((p: any) => p.name === 'freeleech'));
    assert.ok(doc.paths['/api/v1/releases'].post.requestBody.content['multipart/form-data']);
    assert.ok(doc.components.securitySchemes.bearerToken);
    const page = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /swagger/i);
  });
});
