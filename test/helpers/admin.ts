// Helpers for the staff-page specs: POST a form as a browser would (CSRF token from a real
// page), and read the message beside a field.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { decodeBencode } from '../../src/tracker/bencode.js';
import { firstCategoryId, getCsrf, seedReleases, type Member } from './releases.js';

export async function postForm(app: FastifyInstance, member: Member, url: string, fields: Record<string, string | string[]>, options: { from?: string; csrf?: boolean } = {}) {
  const csrf = await getCsrf(app, member.cookie, options.from ?? '/bonus');
  const params = new URLSearchParams();
  if (options.csrf !== false) params.append('_csrf', csrf.token);
  for (const [key, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
  }
  return app.inject({
    method: 'POST',
    url,
    headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: params.toString(),
  });
}

/** The text of the field-error paragraph for a field id, or null. */
export function fieldError(html: string, field: string): string | null {
  const match = new RegExp(`<p class="field-error" id="${field}-error">([^<]*)</p>`).exec(html);
  return match ? match[1] : null;
}

export function flashOf(res: { headers: Record<string, unknown> }): string | null {
  const raw = res.headers['set-cookie'];
  const cookies = Array.isArray(raw) ? raw : raw ? [String(raw)] : [];
  const flash = cookies.find((c) => c.startsWith('sk_flash='));
  return flash ? decodeURIComponent(flash.split(';')[0].slice('sk_flash='.length)) : null;
}


/** A release in the database and in the tracker's catalog (as the upload page would do). */
export async function addTrackedRelease(app: FastifyInstance, options: { name?: string; size?: bigint } = {}): Promise<{ id: number; hash: Buffer }> {
  const categoryId = await firstCategoryId(app);
  const [id] = await seedReleases(app, [{ name: options.name ?? `release-${randomBytes(3).toString('hex')}`, categoryId, size: options.size ?? 1_000_000n }]);
  const row = await app.db.prisma.release.findUniqueOrThrow({ where: { id }, select: { infoHashV1: true } });
  const hash = Buffer.from(row.infoHashV1!);
  await app.tracker.syncRelease(id);
  return { id, hash };
}

const pct = (bytes: Buffer): string => [...bytes].map((b) => '%' + b.toString(16).padStart(2, '0')).join('');

export interface AnnounceFields {
  peerId: string;
  uploaded?: bigint;
  downloaded?: bigint;
  left?: bigint;
  event?: 'started' | 'completed' | 'stopped';
}

/** A real HTTP announce through the app; returns the decoded reply and its failure text. */
export async function announce(app: FastifyInstance, passkey: string, hash: Buffer, f: AnnounceFields) {
  const peer = Buffer.from(`-qB4520-${f.peerId}`.padEnd(20, '_').slice(0, 20), 'latin1');
  const query = [
    `info_hash=${pct(hash)}`, `peer_id=${pct(peer)}`, 'port=6881',
    `uploaded=${f.uploaded ?? 0n}`, `downloaded=${f.downloaded ?? 0n}`, `left=${f.left ?? 0n}`, 'compact=1',
    ...(f.event ? [`event=${f.event}`] : []),
  ].join('&');
  const res = await app.inject({ method: 'GET', url: `/${passkey}/announce?${query}`, remoteAddress: '10.1.2.3' });
  const body = decodeBencode(res.rawPayload) as Record<string, unknown>;
  const failure = body['failure reason'] ? Buffer.from(body['failure reason'] as Uint8Array).toString('utf8') : null;
  return { body, failure };
}
