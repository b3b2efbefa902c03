// Reading and writing the policy's rows in the `settings` table (key -> JSON), and the
// tracker policy the tracker service reloads at start (key `tracker_policy`).
import type { FastifyInstance } from 'fastify';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { POLICY_SETTING_KEY as TRACKER_POLICY_KEY } from '../db/tracker-store.js';
import type { PolicyUpdate } from '../tracker-service.js';
import type { Config } from '../config.js';
import { gibToBytes, POLICY_SETTINGS_KEY, SITE_FREELEECH_KEY, sanitizePolicySettings, type PolicySettings } from './settings.js';

type Db = Pick<PrismaClient, 'setting'>;

export async function readSetting(prisma: Db, key: string): Promise<unknown> {
  const row = await prisma.setting.findUnique({ where: { key }, select: { value: true } });
  return row?.value ?? null;
}

export async function writeSetting(prisma: Db, key: string, value: Prisma.InputJsonValue): Promise<void> {
  await prisma.setting.upsert({ where: { key }, create: { key, value }, update: { value } });
}

export async function loadPolicySettings(prisma: Db): Promise<PolicySettings> {
  return sanitizePolicySettings(await readSetting(prisma, POLICY_SETTINGS_KEY));
}

export async function savePolicySettings(prisma: Db, settings: PolicySettings): Promise<void> {
  await writeSetting(prisma, POLICY_SETTINGS_KEY, settings as unknown as Prisma.InputJsonValue);
}

/** When the site-wide freeleech ends, or null when it is off. */
export async function readSiteFreeleechUntil(prisma: Db): Promise<Date | null> {
  const raw = (await readSetting(prisma, SITE_FREELEECH_KEY)) as { until?: unknown } | null;
  if (!raw || typeof raw.until !== 'string') return null;
  const until = new Date(raw.until);
  return Number.isNaN(until.getTime()) ? null : until;
}

export async function writeSiteFreeleechUntil(prisma: Db, until: Date | null): Promise<void> {
  await writeSetting(prisma, SITE_FREELEECH_KEY, { until: until ? until.toISOString() : null });
}

/** Changes the live tracker policy and keeps it for the next start (the service reloads it). */
export async function applyTrackerPolicy(app: FastifyInstance, update: PolicyUpdate): Promise<void> {
  const stored = (await readSetting(app.db.prisma, TRACKER_POLICY_KEY)) as Record<string, unknown> | null;
  const merged = { ...(stored && typeof stored === 'object' ? stored : {}), ...update };
  await writeSetting(app.db.prisma, TRACKER_POLICY_KEY, merged as Prisma.InputJsonValue);
  app.tracker.setPolicy(update);
}

/**
 * Upload credit for a new member: the admin setting once saved, else NEW_MEMBER_CREDIT_BYTES.
 * For registration (src/web/auth) to pass to createUser as `uploadCredit`.
 */
export async function newMemberCredit(prisma: Db, config: Pick<Config, 'newMemberCredit'>): Promise<bigint> {
  const raw = (await readSetting(prisma, POLICY_SETTINGS_KEY)) as Record<string, unknown> | null;
  if (raw && typeof raw.newMemberCreditGiB === 'number') return gibToBytes(sanitizePolicySettings(raw).newMemberCreditGiB);
  return config.newMemberCredit;
}
