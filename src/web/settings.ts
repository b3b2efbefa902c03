// Site settings admins change from the staff pages, kept as JSON values in the `settings`
// table. Every value read back is checked; a missing or bad value falls back to its default.
// (The ratio-policy numbers live in src/policy/settings.ts under their own key.)
import type { PrismaClient } from '../generated/prisma/client.js';

export type RegistrationMode = 'open' | 'invite' | 'closed';

export interface SiteSettings {
  registrationMode: RegistrationMode;
  /** days an invite code stays valid */
  inviteExpiryDays: number;
  /** invites a new member starts with */
  invitesForNewMembers: number;
}

export const SITE_SETTINGS_KEY = 'site';

export const DEFAULT_SITE_SETTINGS: Readonly<SiteSettings> = Object.freeze({
  registrationMode: 'open',
  inviteExpiryDays: 7,
  invitesForNewMembers: 0,
});

const MODES: readonly RegistrationMode[] = ['open', 'invite', 'closed'];

function wholeNumber(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : fallback;
}

export function normaliseSiteSettings(raw: unknown): SiteSettings {
  const value = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  return {
    registrationMode: MODES.includes(value.registrationMode as RegistrationMode)
      ? (value.registrationMode as RegistrationMode)
      : DEFAULT_SITE_SETTINGS.registrationMode,
    inviteExpiryDays: wholeNumber(value.inviteExpiryDays, 1, 365, DEFAULT_SITE_SETTINGS.inviteExpiryDays),
    invitesForNewMembers: wholeNumber(value.invitesForNewMembers, 0, 1000, DEFAULT_SITE_SETTINGS.invitesForNewMembers),
  };
}

export async function getSiteSettings(prisma: PrismaClient): Promise<SiteSettings> {
  const row = await prisma.setting.findUnique({ where: { key: SITE_SETTINGS_KEY }, select: { value: true } });
  return normaliseSiteSettings(row?.value);
}

export async function setSiteSettings(prisma: PrismaClient, changes: Partial<SiteSettings>): Promise<SiteSettings> {
  const next = normaliseSiteSettings({ ...(await getSiteSettings(prisma)), ...changes });
  await prisma.setting.upsert({
    where: { key: SITE_SETTINGS_KEY },
    create: { key: SITE_SETTINGS_KEY, value: { ...next } },
    update: { value: { ...next } },
  });
  return next;
}

/** The typed keys of the site settings, for code that reads or writes one value. */
export type SiteSettingKey = keyof SiteSettings;

export async function getSetting<K extends SiteSettingKey>(prisma: PrismaClient, key: K): Promise<SiteSettings[K]> {
  return (await getSiteSettings(prisma))[key];
}

/** Writes one value; an out-of-range value is stored as its default (see normaliseSiteSettings). */
export async function setSetting<K extends SiteSettingKey>(prisma: PrismaClient, key: K, value: SiteSettings[K]): Promise<SiteSettings[K]> {
  return (await setSiteSettings(prisma, { [key]: value } as Partial<SiteSettings>))[key];
}
