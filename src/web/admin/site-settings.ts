// Site settings on the admin settings page that belong to other parts of the site. The
// registration settings live in src/web/settings.ts (key `site`, the accounts pages read
// them); the site name and the `source` tag for uploaded torrents are kept here under
// `site_name` and `source_tag`. A saved site name is applied to the running app's config,
// which every page reads for its title and header.
import type { FastifyInstance } from 'fastify';
import { readSetting, writeSetting } from '../../policy/store.js';
import { getSiteSettings, setSiteSettings, type RegistrationMode } from '../settings.js';

export const REGISTRATION_MODES: readonly RegistrationMode[] = ['open', 'invite', 'closed'];

export interface AdminSiteSettings {
  registrationMode: RegistrationMode;
  inviteExpiryDays: number;
  invitesForNewMembers: number;
  siteName: string;
  sourceTag: string;
}

const str = (v: unknown, fallback: string): string => (typeof v === 'string' && v.length > 0 ? v : fallback);

export async function loadSiteSettings(app: FastifyInstance): Promise<AdminSiteSettings> {
  const [site, name, source] = await Promise.all([
    getSiteSettings(app.db.prisma),
    readSetting(app.db.prisma, 'site_name'),
    readSetting(app.db.prisma, 'source_tag'),
  ]);
  const { registrationMode, inviteExpiryDays, invitesForNewMembers } = site;
  return { registrationMode, inviteExpiryDays, invitesForNewMembers, siteName: str(name, app.config.siteName), sourceTag: str(source, app.config.siteName) };
}

export async function saveSiteSettings(app: FastifyInstance, site: AdminSiteSettings): Promise<void> {
  const { registrationMode, inviteExpiryDays, invitesForNewMembers } = site;
  await setSiteSettings(app.db.prisma, { registrationMode, inviteExpiryDays, invitesForNewMembers });
  await writeSetting(app.db.prisma, 'site_name', site.siteName);
  await writeSetting(app.db.prisma, 'source_tag', site.sourceTag);
  app.config.siteName = site.siteName;
}

/** The `source` tag forced into uploaded torrents: the saved one, else the site name. */
export async function loadSourceTag(app: FastifyInstance): Promise<string> {
  return str(await readSetting(app.db.prisma, 'source_tag'), app.config.siteName);
}

/** At start: a site name saved from the settings page wins over SITE_NAME. */
export async function applyStoredSiteName(app: FastifyInstance): Promise<void> {
  const name = await readSetting(app.db.prisma, 'site_name').catch(() => null);
  if (typeof name === 'string' && name.length > 0) app.config.siteName = name;
}
