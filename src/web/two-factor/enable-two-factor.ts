// A member turns two-factor login on by typing the code their app shows for the pending secret
// (proof the QR code was read). The secret becomes the live one, ten recovery codes are made,
// and every other session ends: one opened before 2FA was never asked for a second factor.
import type { PrismaClient } from '../../generated/prisma/client.js';
import { AppError } from '../../errors.js';
import { makeRecoveryCodes } from './recovery-codes.js';
import { findTwoFactor, storeRecoveryCodes } from './queries.js';
import { cleanCode, matchTotp } from './totp.js';

export interface EnableTwoFactorOptions {
  prisma: PrismaClient;
  userId: number;
  code: string;
  now: number;
  /** the session that stays (the member's own browser) */
  keepSessionId: string | null;
}

/** Returns the recovery codes: the only time they exist in the clear. */
export async function enableTwoFactor(options: EnableTwoFactorOptions): Promise<string[]> {
  const { prisma, userId, now } = options;
  const account = await findTwoFactor(prisma, userId);
  if (!account) throw AppError.notFound('users.noSuchMember');
  if (account.totpEnabledAt) throw AppError.conflict('twoFactor.errors.alreadyOn');
  if (!account.totpPendingSecret) throw AppError.badRequest('twoFactor.errors.noPendingSecret', 'code');
  const step = matchTotp(account.totpPendingSecret, cleanCode(options.code), now, null);
  if (step === null) throw AppError.badRequest('twoFactor.errors.codeWrong', 'code');
  const { codes, hashes } = await makeRecoveryCodes();
  await prisma.$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({
      where: { id: userId, totpEnabledAt: null, totpPendingSecret: account.totpPendingSecret },
      data: { totpSecret: account.totpPendingSecret, totpPendingSecret: null, totpEnabledAt: new Date(now), totpLastStep: step },
    });
    if (count !== 1) throw AppError.conflict('twoFactor.errors.changedElsewhere');
    await storeRecoveryCodes(tx, userId, hashes, now);
    await tx.session.deleteMany({ where: { userId, ...(options.keepSessionId ? { id: { not: options.keepSessionId } } : {}) } });
  });
  return codes;
}
