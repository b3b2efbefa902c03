// Helpers for the releases, upload and download specs: members with a session cookie, CSRF
// tokens read from a real form, multipart bodies, and .torrent files made in code.
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
// @ts-ignore -- bencode@4 ships no type declarations
import bencodeUntyped from 'bencode';
import { hashToken, SESSION_COOKIE } from '../../src/web/session.js';
import { createUser } from '../../src/web/users/create-user.js';

export const bencode = bencodeUntyped as { encode(value: unknown): Uint8Array; decode(data: Uint8Array): any };

export interface Member {
  id: number;
  username: string;
  passkey: string;
  rssToken: string;
  /** Cookie header value that logs this member in */
  cookie: string;
}

/** Creates a member (the first one becomes admin) and a session for them. */
export async function createMember(app: FastifyInstance, username: string, role?: 'member' | 'uploader' | 'moderator' | 'admin'): Promise<Member> {
  const created = await createUser({ prisma: app.db.prisma, tracker: app.tracker, username, password: `${username}-password-1`, role });
  const token = randomBytes(32).toString('base64url');
  await app.db.prisma.session.create({
    data: { id: hashToken(token), userId: created.id, expiresAt: new Date(Date.now() + 86400_000) },
  });
  const user = await app.db.prisma.user.findUniqueOrThrow({ where: { id: created.id }, select: { rssToken: true } });
  return { id: created.id, username, passkey: created.passkey, rssToken: user.rssToken, cookie: `${SESSION_COOKIE}=${token}` };
}

function setCookies(header: string | string[] | undefined): string[] {
  if (!header) return [];
  return (Array.isArray(header) ? header : [header]).map((c) => c.split(';')[0]);
}

/** GETs a form page; returns the CSRF token from its hidden input and the cookie to send with it. */
export async function getCsrf(app: FastifyInstance, cookie: string, url = '/upload'): Promise<{ token: string; cookie: string }> {
  const res = await app.inject({ method: 'GET', url, headers: { cookie } });
  const match = res.body.match(/name="_csrf" value="([^"]+)"/);
  if (!match) throw new Error(`no CSRF token on ${url} (${res.statusCode})`);
  const csrfCookies = setCookies(res.headers['set-cookie']).filter((c) => c.startsWith('_csrf='));
  return { token: match[1], cookie: [cookie, ...csrfCookies].join('; ') };
}

export interface MultipartPart {
  name: string;
  value: string | Buffer;
  filename?: string;
  contentType?: string;
}

export function multipart(parts: MultipartPart[]): { payload: Buffer; contentType: string } {
  const boundary = `----seedkeep${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if (part.filename !== undefined) head += `; filename="${part.filename}"\r\nContent-Type: ${part.contentType ?? 'application/x-bittorrent'}`;
    chunks.push(Buffer.from(`${head}\r\n\r\n`), Buffer.isBuffer(part.value) ? part.value : Buffer.from(part.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export interface TorrentSpec {
  name?: string;
  /** multi-file when given: [path segments, size] */
  files?: Array<[string[], number]>;
  length?: number;
  private?: boolean;
  pieceLength?: number;
  /** extra keys merged into info (hostile-input tests) */
  info?: Record<string, unknown>;
  announce?: string;
}

/** A v1 .torrent with random piece hashes: valid structure, never seeded. */
export function makeTorrent(spec: TorrentSpec = {}): Buffer {
  const pieceLength = spec.pieceLength ?? 16384;
  const total = spec.files ? spec.files.reduce((sum, [, size]) => sum + size, 0) : (spec.length ?? 100_000);
  const pieces = Math.max(1, Math.ceil(total / pieceLength));
  const info: Record<string, unknown> = {
    name: spec.name ?? `release-${randomBytes(4).toString('hex')}`,
    'piece length': pieceLength,
    pieces: randomBytes(20 * pieces),
  };
  if (spec.files) info.files = spec.files.map(([path, length]) => ({ path, length }));
  else info.length = total;
  if (spec.private) info.private = 1;
  Object.assign(info, spec.info);
  const torrent = { announce: spec.announce ?? 'http://example.invalid/announce', 'created by': 'test', info };
  return Buffer.from(bencode.encode(torrent));
}

/** SHA-1 of the bencoded info dict of a .torrent (v1 info hash). */
export function infoHashV1(torrent: Uint8Array): Buffer {
  const decoded = bencode.decode(torrent);
  return createHash('sha1').update(bencode.encode(decoded.info)).digest();
}

export async function firstCategoryId(app: FastifyInstance, name = 'Movies'): Promise<number> {
  const category = await app.db.prisma.category.findUniqueOrThrow({ where: { name }, select: { id: true } });
  return category.id;
}

export interface UploadFields {
  torrent?: Buffer;
  filename?: string;
  category?: number | string;
  description?: string;
  name?: string;
  csrf?: string | null;
  /** client address (the upload form is rate limited per address) */
  ip?: string;
}

/** POSTs the upload form as a browser would (CSRF token from the form unless csrf is null). */
export async function uploadTorrent(app: FastifyInstance, member: Member, fields: UploadFields) {
  const csrf = await getCsrf(app, member.cookie, '/upload');
  const parts: MultipartPart[] = [];
  if (fields.csrf !== null) parts.push({ name: '_csrf', value: fields.csrf ?? csrf.token });
  if (fields.torrent) parts.push({ name: 'torrent', value: fields.torrent, filename: fields.filename ?? 'upload.torrent' });
  parts.push({ name: 'category', value: String(fields.category ?? (await firstCategoryId(app))) });
  parts.push({ name: 'description', value: fields.description ?? 'A test release.' });
  if (fields.name !== undefined) parts.push({ name: 'name', value: fields.name });
  const body = multipart(parts);
  return app.inject({
    method: 'POST',
    url: '/upload',
    headers: { cookie: csrf.cookie, 'content-type': body.contentType },
    payload: body.payload,
    ...(fields.ip ? { remoteAddress: fields.ip } : {}),
  });
}

/** Uploads and returns the new release id (fails the test otherwise). */
export async function uploadOk(app: FastifyInstance, member: Member, fields: UploadFields): Promise<number> {
  const res = await uploadTorrent(app, member, fields);
  const match = /^\/releases\/(\d+)$/.exec(String(res.headers.location ?? ''));
  if (res.statusCode !== 303 || !match) throw new Error(`upload failed: ${res.statusCode} ${/class="field-error" id=[^>]*>([^<]*)/.exec(res.body)?.[1] ?? res.body.slice(0, 500)}`);
  return Number(match[1]);
}

export interface SeedRelease {
  name: string;
  categoryId: number;
  uploaderId?: number | null;
  size?: bigint;
  fileCount?: number;
  seeders?: number;
  leechers?: number;
  snatched?: number;
  freeleech?: 'normal' | 'freeleech' | 'neutral' | 'double_upload';
  createdAt?: Date;
  deletedAt?: Date | null;
  deleteReason?: string | null;
}

/** Inserts releases directly (browse specs need many rows, not real torrents). */
export async function seedReleases(app: FastifyInstance, rows: SeedRelease[]): Promise<number[]> {
  const ids: number[] = [];
  for (const row of rows) {
    const created = await app.db.prisma.release.create({
      data: {
        infoHashV1: new Uint8Array(randomBytes(20)),
        name: row.name,
        size: row.size ?? 1000n,
        pieceLength: 16384,
        fileCount: row.fileCount ?? 1,
        uploaderId: row.uploaderId ?? null,
        categoryId: row.categoryId,
        seeders: row.seeders ?? 0,
        leechers: row.leechers ?? 0,
        snatched: row.snatched ?? 0,
        freeleech: row.freeleech ?? 'normal',
        torrentFile: new Uint8Array(makeTorrent({ name: row.name })),
        createdAt: row.createdAt ?? new Date(),
        deletedAt: row.deletedAt ?? null,
        deleteReason: row.deleteReason ?? null,
      },
      select: { id: true },
    });
    ids.push(created.id);
  }
  return ids;
}

/** Release names of a browse page, in order. */
export function namesOnPage(html: string): string[] {
  return [...html.matchAll(/<td class="name"><a href="\/releases\/\d+">([^<]*)<\/a>/g)].map((m) => m[1]);
}
