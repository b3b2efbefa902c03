// Test-only helpers: a tiny permissive bencoder (so tests can build both valid and broken
// torrents), the libtorrent-made fixtures and an assertion for TorrentError messages.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TorrentError } from '../../src/torrents/index.js';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
export const SOURCE = 'seedkeep';

/** Bytes written as-is (for deliberately malformed pieces). */
export class Raw {
  readonly bytes: Buffer;

  constructor(bytes: Buffer) {
    this.bytes = bytes;
  }
}

export type BValue = number | bigint | string | Buffer | Raw | BValue[] | { [key: string]: BValue };

/** Bencodes `value`; object keys are sorted by their UTF-8 bytes, as BEP 3 requires. */
export function benc(value: BValue): Buffer {
  if (value instanceof Raw) return value.bytes;
  if (Buffer.isBuffer(value)) return Buffer.concat([Buffer.from(`${value.length}:`), value]);
  if (typeof value === 'string') return benc(Buffer.from(value, 'utf8'));
  if (typeof value === 'number' || typeof value === 'bigint') return Buffer.from(`i${value}e`);
  if (Array.isArray(value)) return Buffer.concat([Buffer.from('l'), ...value.map(benc), Buffer.from('e')]);
  const keys = Object.keys(value).map((key) => Buffer.from(key, 'utf8')).sort(Buffer.compare);
  const parts = keys.flatMap((key) => [benc(key), benc(value[key.toString('utf8')])]);
  return Buffer.concat([Buffer.from('d'), ...parts, Buffer.from('e')]);
}

export const PIECE = 16384;

/** A well-formed v1 single-file torrent (40000 bytes: 3 pieces) with `info` fields overridden. */
export function v1Torrent(info: Record<string, BValue | undefined> = {}, top: Record<string, BValue> = {}): Buffer {
  const base: Record<string, BValue | undefined> = { name: 'file.bin', 'piece length': PIECE, length: 40000, pieces: Buffer.alloc(60, 7), ...info };
  const cleaned = Object.fromEntries(Object.entries(base).filter(([, v]) => v !== undefined)) as Record<string, BValue>;
  return benc({ announce: 'http://elsewhere.example/announce', info: cleaned, ...top });
}

/** A well-formed v1 multi-file torrent whose files have the given paths (each 100 bytes, 1 piece). */
export function v1MultiTorrent(paths: BValue[], extra: Record<string, BValue> = {}): Buffer {
  const files = paths.map((p) => ({ length: 100, path: p }));
  const pieces = Buffer.alloc(20 * Math.ceil((paths.length * 100) / PIECE), 1);
  return benc({ info: { name: 'dir', 'piece length': PIECE, files, pieces, ...extra } });
}

export interface Expected {
  infoHashV1: string | null;
  infoHashV2: string | null;
  name: string;
  pieceLength: number;
  size: number;
  version: 'v1' | 'v2' | 'hybrid';
  files: Array<{ path: string; size: number }>;
  publicHashes: { infoHashV1: string | null; infoHashV2: string | null };
}

export const expected: Record<string, Expected> = JSON.parse(readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8'));

export function fixture(name: string): Buffer {
  return readFileSync(path.join(FIXTURES, `${name}.torrent`));
}

/** Replaces the last occurrence of `from` with `to` (same length keeps every other byte in place). */
export function replaceLast(data: Buffer, from: string, to: string): Buffer {
  const at = data.lastIndexOf(Buffer.from(from));
  assert.ok(at >= 0, `"${from}" not found`);
  return Buffer.concat([data.subarray(0, at), Buffer.from(to), data.subarray(at + from.length)]);
}

/** Asserts `fn` throws a TorrentError (nothing else) whose message matches `message`. */
export function assertTorrentError(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof TorrentError, `expected a TorrentError, got ${String(error)}`);
    assert.match(error.message, message);
    assert.equal(error.field, 'torrent');
    return true;
  });
}
