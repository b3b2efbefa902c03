// argon2id via @node-rs/argon2 (prebuilt, no toolchain needed). Hashing is slow on purpose:
// callers do it before opening any transaction, which would otherwise hold its locks meanwhile.
import { hash, verify } from '@node-rs/argon2';

// algorithm 2 is Argon2id (the package exports it as a const enum, which isolatedModules cannot read).
const OPTIONS = { algorithm: 2 as const, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Spends the same time as a real check, so a missing account answers as slowly as a wrong password. */
let dummyHash: Promise<string> | undefined;
export async function verifyNothing(password: string): Promise<false> {
  dummyHash ??= hashPassword('not-a-real-password-0000');
  await verifyPassword(await dummyHash, password);
  return false;
}
