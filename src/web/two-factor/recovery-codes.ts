// Ten single-use recovery codes, for a member whose phone is lost. Each is 50 random bits shown
// once in groups of five (xxxxx-xxxxx, base32 letters and digits); the table keeps argon2id
// hashes, as for passwords, so a leaked table gives no working code.
import { randomBytes } from 'node:crypto';
import { hashPassword, verifyPassword } from '../auth/password.js';

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const SHAPE = /^[a-z2-7]{10}$/;

function randomCode(): string {
  const bytes = randomBytes(10);
  let code = '';
  for (const byte of bytes) code += ALPHABET[byte & 31];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** Lower case, no dashes or spaces: "ABCDE FGHIJ" and "abcde-fghij" are the same code. */
export const normalizeRecoveryCode = (raw: string): string => raw.toLowerCase().replace(/[\s-]/g, '');

export const looksLikeRecoveryCode = (raw: string): boolean => SHAPE.test(normalizeRecoveryCode(raw));

/** New codes and their hashes (slow: call it before any transaction). */
export async function makeRecoveryCodes(): Promise<{ codes: string[]; hashes: string[] }> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, randomCode);
  const hashes = await Promise.all(codes.map((code) => hashPassword(normalizeRecoveryCode(code))));
  return { codes, hashes };
}

/** The id of the unused code this matches, or null; the caller spends it. */
export async function matchRecoveryCode(unused: Array<{ id: number; codeHash: string }>, raw: string): Promise<number | null> {
  const code = normalizeRecoveryCode(raw);
  if (!SHAPE.test(code)) return null;
  const results = await Promise.all(unused.map((row) => verifyPassword(row.codeHash, code)));
  const index = results.indexOf(true);
  return index < 0 ? null : unused[index].id;
}
