// The economy part of a profile (/users/:id#class): class and perks, what the next class needs,
// freeleech tokens and their spent ones, personal freeleech and double upload, open requests
// and bounties. docs/members-and-staff.md#the-ratio-economy
import type { FastifyInstance } from 'fastify';
import { isActive } from '../../policy/economy/tokens.js';
import { translator, type Locale, type Translate } from '../../i18n/index.js';
import { classNamed, nextClass, type Missing, type UserClass } from '../../policy/economy/user-classes.js';

/** The perks of a class as short phrases in the reader's language (the profile and /rules#classes show them). */
export function perkList(t: Translate, cls: UserClass): string[] {
  const perks: string[] = [];
  if (cls.tokensPerMonth > 0) perks.push(t('classes.perks.tokens', { count: cls.tokensPerMonth }));
  if (cls.invitesPerMonth > 0) perks.push(t('classes.perks.invites', { count: cls.invitesPerMonth }));
  perks.push(cls.mayUpload ? t('classes.perks.mayUpload') : t('classes.perks.uploaderRole'));
  perks.push(cls.mayRequest ? t('classes.perks.mayRequest') : t('classes.perks.noRequests'));
  if (cls.hnrImmune) perks.push(t('classes.perks.hnrImmune'));
  perks.push(cls.downloadSlots > 0 ? t('classes.perks.slots', { count: cls.downloadSlots }) : t('classes.perks.unlimitedSlots'));
  return perks;
}

/** A missing threshold in the reader's language, its amount in their number format. */
export const missingText = (t: Translate, locale: Locale, m: Missing): string => {
  const digits = m.key === 'classes.missing.upload' || m.key === 'classes.missing.ratio' ? 2 : 0;
  const amount = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(m.params.count);
  return t(m.key, { count: m.params.count, amount });
};

async function loadEconomy(app: FastifyInstance, userId: number, now: number) {
  const prisma = app.db.prisma;
  return Promise.all([
    prisma.user.findUniqueOrThrow({
      where: { id: userId },
      select: { userClass: true, classChangedAt: true, freeleechTokens: true, personalFreeleechUntil: true, doubleUploadUntil: true, createdAt: true, uploaded: true, downloaded: true },
    }),
    prisma.release.count({ where: { uploaderId: userId, deletedAt: null } }),
    prisma.freeleechTokenUse.findMany({ where: { userId, expiresAt: { gt: new Date(now) } }, orderBy: { expiresAt: 'asc' }, take: 50, select: { expiresAt: true, release: { select: { id: true, name: true } } } }),
    prisma.request.findMany({ where: { requesterId: userId, status: { in: ['open', 'filled'] } }, orderBy: { createdAt: 'desc' }, take: 25, select: { id: true, name: true, bounty: true, status: true } }),
    prisma.requestBounty.aggregate({ where: { userId, request: { status: { in: ['open', 'filled'] } } }, _sum: { amount: true } }),
  ]);
}

export async function economyView(app: FastifyInstance, userId: number, locale: Locale) {
  const t = translator(locale);
  const now = app.clock.now();
  const [user, uploads, tokens, requests, escrow] = await loadEconomy(app, userId, now);
  const ladder = app.settings.get('userClasses');
  const cls = classNamed(ladder, user.userClass);
  const next = nextClass(ladder, cls.name, { ...user, uploads }, now);
  return {
    className: cls.name,
    classChangedAt: user.classChangedAt,
    perks: perkList(t, cls),
    next: next && { name: next.cls.name, missing: next.missing.map((m) => missingText(t, locale, m)), ready: next.missing.length === 0 },
    tokens: user.freeleechTokens,
    spentTokens: tokens,
    personalFreeleechUntil: isActive(user.personalFreeleechUntil, now) ? user.personalFreeleechUntil : null,
    doubleUploadUntil: isActive(user.doubleUploadUntil, now) ? user.doubleUploadUntil : null,
    requests,
    escrowed: escrow._sum.amount ?? 0n,
  };
}
