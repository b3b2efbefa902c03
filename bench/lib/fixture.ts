// The bench's deterministic population: 10k members' passkeys and 10k releases' v1 info
// hashes, computed the same way here (Node) and in SQL (seedkeep's seeding), and written to a
// text file the wrk Lua script and the UDP generator read.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';

/** md5('member-<i>') as hex: a 32-hex-char passkey, reproducible in SQL with md5(). */
export function passkeyOf(i: number): string {
  return createHash('md5').update(`member-${i}`).digest('hex');
}

/**
 * 20 bytes: md5('release-<i>') || first 4 bytes of md5('r2-<i>'); SQL builds the same
 * with decode(md5(...) || substr(md5(...), 1, 8), 'hex') (PGlite has no sha1()).
 */
export function infoHashOf(i: number): Buffer {
  const a = createHash('md5').update(`release-${i}`).digest();
  const b = createHash('md5').update(`r2-${i}`).digest();
  return Buffer.concat([a, b.subarray(0, 4)]);
}

export interface Fixture {
  members: number;
  releases: number;
  passkeys: string[];
  hashes: Buffer[];
}

export function makeFixture(members: number, releases: number): Fixture {
  const passkeys = Array.from({ length: members }, (_, i) => passkeyOf(i + 1));
  const hashes = Array.from({ length: releases }, (_, i) => infoHashOf(i + 1));
  return { members, releases, passkeys, hashes };
}

/** One line per item: `H <40 hex>` and `P <32 hex>`; the Lua script parses it at init. */
export function writeFixtureFile(fixture: Fixture, file: string): void {
  const lines = [
    ...fixture.hashes.map((h) => `H ${h.toString('hex')}`),
    ...fixture.passkeys.map((p) => `P ${p}`),
  ];
  writeFileSync(file, lines.join('\n') + '\n');
}

/** opentracker's whitelist: one 40-hex info hash per line. */
export function writeWhitelist(fixture: Fixture, file: string): void {
  writeFileSync(file, fixture.hashes.map((h) => h.toString('hex')).join('\n') + '\n', { mode: 0o644 });
}
