// Checks a second factor: a code from the member's app, or one of their recovery codes. Both
// are spent by conditional updates, so two requests racing with the same code cannot both
// pass: the TOTP step must be later than the stored one, the recovery code still unused.
import type { PrismaClient } from '../../generated/prisma/client.js';
import { matchRecoveryCode } from './recovery-codes.js';
import { cleanCode, looksLikeTotp, matchTotp } from './totp.js';
import { listUnusedRecoveryCodes, type TwoFactorAccount } from './queries.js';

export type SecondFactor = 'totp' | 'recovery' | null;

async function spendStep(prisma: PrismaClient, userId: number, step: number): Promise<boolean> {
  const { count } = await prisma.user.updateMany({
    where: { id: userId, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
    data: { totpLastStep: step },
  });
  return count === 1;
}

async function spendRecoveryCode(prisma: PrismaClient, id: number, now: number): Promise<boolean> {
  const { count } = await prisma.recoveryCode.updateMany({ where: { id, usedAt: null }, data: { usedAt: new Date(now) } });
  return count === 1;
}

/** Which factor the code proved, or null (wrong, expired, already used, or no 2FA). */
export async function verifySecondFactor(
  prisma: PrismaClient,
  account: Pick<TwoFactorAccount, 'id' | 'totpSecret' | 'totpLastStep'>,
  raw: string,
  now: number,
  options: { allowRecovery: boolean } = { allowRecovery: true },
): Promise<SecondFactor> {
  if (!account.totpSecret) return null;
  const code = cleanCode(raw);
  if (looksLikeTotp(code)) {
    const step = matchTotp(account.totpSecret, code, now, account.totpLastStep);
    return step !== null && (await spendStep(prisma, account.id, step)) ? 'totp' : null;
  }
  if (!options.allowRecovery) return null;
  const id = await matchRecoveryCode(await listUnusedRecoveryCodes(prisma, account.id), raw);
  return id !== null && (await spendRecoveryCode(prisma, id, now)) ? 'recovery' : null;
}
