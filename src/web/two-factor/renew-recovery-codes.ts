// New recovery codes replace the old ones (all of them, used or not), for a member who used
// some or fears they were seen. A code from the app is required, not a recovery code.
import type { PrismaClient } from '../../generated/prisma/client.js';
import { AppError } from '../../errors.js';
import { makeRecoveryCodes } from './recovery-codes.js';
import { findTwoFactor, storeRecoveryCodes } from './queries.js';
import { verifySecondFactor } from './verify-second-factor.js';

export async function renewRecoveryCodes(options: { prisma: PrismaClient; userId: number; code: string; now: number }): Promise<string[]> {
  const { prisma, userId, now } = options;
  const account = await findTwoFactor(prisma, userId);
  if (!account?.totpEnabledAt) throw AppError.conflict('twoFactor.errors.offNoCodes');
  if (!(await verifySecondFactor(prisma, account, options.code, now, { allowRecovery: false }))) {
    throw AppError.badRequest('twoFactor.errors.appCodeOnly', 'renew-code');
  }
  const { codes, hashes } = await makeRecoveryCodes();
  await prisma.$transaction((tx) => storeRecoveryCodes(tx, userId, hashes, now));
  return codes;
}
