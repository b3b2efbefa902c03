// Every setting the staff may change at run time: where it is stored, its default, and what
// makes a value valid. The values are loaded once at boot (buildApp), read through
// Settings.get and changed through Settings.update, which stores them and then tells its
// listeners (the tracker's policy follows them). The configuration (src/config.ts) stays
// immutable: where a setting starts from an environment value (site name, intervals, new
// member credit), that value is its default until the staff save another.
//
// Storage is the `settings` table (key -> JSON). Several settings share a row as fields of
// one JSON object (`site`, `ratio_policy`, `tracker_policy`); others have a row of their own.
// A stored value that is missing or fails its check reads as the default.
//
// Adding a setting is one entry in SETTINGS: its row (and field), default, check and, to put
// it on /admin/settings, an `input` (a text field in one of the page's fieldsets).
import type { PrismaClient } from './generated/prisma/client.js';
import { decodeLadder, DEFAULT_CLASSES, ladderProblem } from './policy/economy/user-classes.js';
import { decodeShop, DEFAULT_SHOP, shopProblem } from './policy/economy/shop.js';
import { DEFAULT_RATIO_TABLE, GIB, ratioTableProblem, type RatioBand } from './policy/ratio-table.js';
import { defaultPolicy, PEER_CAP_LIMITS, type TrackerPolicy } from './tracker/core/tracker-policy.js';
import { LOCALES, type Locale } from './i18n/locales.js';
import { choice, date, flag, list, number, prefixes, problemOf, table, text, type Problem, type Setting, type SettingsConfig } from './settings-kinds.js';

export type RegistrationMode = 'open' | 'invite' | 'closed';
export const REGISTRATION_MODES: readonly RegistrationMode[] = ['open', 'invite', 'closed'];
export type DescriptionImages = 'none' | 'https';
export const DESCRIPTION_IMAGES: readonly DescriptionImages[] = ['none', 'https'];
export type StaffTwoFactor = 'optional' | 'required';
export const STAFF_TWO_FACTOR: readonly StaffTwoFactor[] = ['optional', 'required'];

const MIN_INTERVAL_PROBLEM = problemOf('admin.settings.problems.minInterval');

export const SETTINGS = {
  // `site`: registration and invites (the accounts pages)
  registrationMode: choice<RegistrationMode>({ row: 'site', group: 'site', options: REGISTRATION_MODES, fallback: () => 'open', message: problemOf('admin.settings.problems.registrationMode'), input: { fieldset: 'site', label: 'Registration', control: 'select' } }),
  inviteExpiryDays: number({ row: 'site', group: 'site', min: 1, max: 365, whole: true, digits: true, fallback: () => 7, input: { fieldset: 'site', label: 'Invite codes valid for (days)' } }),
  invitesForNewMembers: number({ row: 'site', group: 'site', min: 0, max: 1000, whole: true, digits: true, fallback: () => 0, input: { fieldset: 'site', label: 'Invites a new member starts with' } }),
  // pages, mails and tracker refusals for visitors whose browser asks for none of the site's languages (src/i18n)
  defaultLocale: choice<Locale>({ row: 'site', group: 'site', options: LOCALES, fallback: () => 'en', message: problemOf('admin.settings.problems.defaultLocale'), input: { fieldset: 'site', label: 'Default language', control: 'select' } }),
  /** required: moderators and admins without two-factor login are sent to turn it on */
  staffTwoFactor: choice<StaffTwoFactor>({ row: 'site', group: 'site', options: STAFF_TWO_FACTOR, fallback: () => 'optional', message: problemOf('admin.settings.problems.staffTwoFactor'), input: { fieldset: 'site', label: 'Two-factor login for staff', control: 'select' } }),
  // rows of their own: shown on every page, and the `source` tag forced into uploads
  siteName: text({ row: 'site_name', field: null, group: 'site', pattern: /^[^]{1,64}$/, message: problemOf('admin.settings.problems.siteName'), fallback: (config) => config.siteName, input: { fieldset: 'site', label: 'Site name' } }),
  sourceTag: text({
    row: 'source_tag', field: null, group: 'site', pattern: /^[A-Za-z0-9._-]{1,64}$/, message: problemOf('admin.settings.problems.sourceTag'),
    fallback: (_config, earlier) => earlier.siteName as string, // until saved: the site name
    input: { fieldset: 'site', label: 'Source tag', hint: "Written into every uploaded torrent's info dict (private trackers use it to make info hashes unique)." },
  }),
  // the community pages: how long a comment's author may edit it (src/web/comments), and whether
  // release descriptions show outside images (src/web/rules/markdown.ts; the CSP follows it)
  commentEditMinutes: number({ row: 'site', group: 'site', min: 0, max: 10_080, whole: true, digits: true, fallback: () => 30, input: { fieldset: 'site', label: 'Comment edit window (minutes)', hint: 'How long authors may edit their comment (staff edit any, with a reason). 0: never.' } }),
  descriptionImages: choice<DescriptionImages>({
    row: 'site', group: 'site', options: DESCRIPTION_IMAGES, fallback: () => 'none', message: problemOf('admin.settings.problems.descriptionImages'),
    input: { fieldset: 'site', label: 'Images in release descriptions', hint: '“none”, or “https” to show https images: each image’s host then learns who opens the page.' },
  }),
  // `ratio_policy`: the rules the policy job applies (src/policy, docs/accounting.md)
  ratioTable: table({ row: 'ratio_policy', group: 'policy', problem: ratioTableProblem, fallback: () => DEFAULT_RATIO_TABLE.map((band): RatioBand => ({ ...band })) }),
  watchDays: number({ row: 'ratio_policy', group: 'policy', min: 1, max: 365, whole: true, fallback: () => 14, input: { fieldset: 'watch', label: 'Watch length (days)', hint: 'Time a member below the requirement has to recover.' } }),
  watchAllowanceGiB: number({ row: 'ratio_policy', group: 'policy', min: 0, max: 100_000, fallback: () => 10, input: { fieldset: 'watch', label: 'Download allowance on watch (GiB)', hint: 'Downloading more than this while on watch withdraws download rights at once.' } }),
  newMemberCreditGiB: number({ row: 'ratio_policy', group: 'policy', min: 0, max: 100_000, fallback: (config) => Number(config.newMemberCredit) / GIB, input: { fieldset: 'watch', label: 'New member upload credit (GiB)' } }),
  jobIntervalMinutes: number({ row: 'ratio_policy', group: 'policy', min: 1, max: 1440, whole: true, fallback: () => 5, input: { fieldset: 'watch', label: 'Policy job interval (minutes)' } }),
  hnrMinPercent: number({ row: 'ratio_policy', group: 'policy', min: 0, max: 100, fallback: () => 10, input: { fieldset: 'hnr', label: 'Counts after downloading more than (% of the release)' } }),
  hnrSeedHours: number({ row: 'ratio_policy', group: 'policy', min: 0, max: 10_000, fallback: () => 72, input: { fieldset: 'hnr', label: 'Seeding owed (hours)' } }),
  hnrWindowDays: number({ row: 'ratio_policy', group: 'policy', min: 1, max: 365, whole: true, fallback: () => 14, input: { fieldset: 'hnr', label: 'Within (days of completing)' } }),
  hnrMaxMarks: number({ row: 'ratio_policy', group: 'policy', min: 0, max: 1000, whole: true, fallback: () => 3, input: { fieldset: 'hnr', label: 'Active marks that withdraw download rights', hint: '0 never withdraws.' } }),
  bonusPerHour: number({ row: 'ratio_policy', group: 'policy', min: 0, max: 1_000_000, fallback: () => 1, input: { fieldset: 'bonus', label: 'Points per hour (1 GiB release, one seeder)' } }),
  bonusMiBPerPoint: number({ row: 'ratio_policy', group: 'policy', min: 0, max: 1_048_576, fallback: () => 1, input: { fieldset: 'bonus', label: 'Upload credit per point (MiB)' } }),
  // `economy`: classes, tokens, the shop and requests (src/policy/economy, docs/members-and-staff.md#the-ratio-economy)
  userClasses: list({ row: 'economy', group: 'policy', decode: decodeLadder, problem: ladderProblem, fallback: () => DEFAULT_CLASSES.map((c) => ({ ...c })) }),
  shopItems: list({ row: 'economy', group: 'policy', decode: decodeShop, problem: shopProblem, fallback: () => DEFAULT_SHOP.map((i) => ({ ...i })) }),
  tokenHours: number({ row: 'economy', group: 'policy', min: 1, max: 8760, whole: true, digits: true, fallback: () => 96, input: { fieldset: 'economy', label: 'A spent freeleech token lasts (hours)' } }),
  requestMinBountyMiB: number({ row: 'economy', group: 'policy', min: 1, max: 1_048_576, whole: true, digits: true, fallback: () => 100, input: { fieldset: 'economy', label: 'Smallest request bounty (MiB)' } }),
  requestConfirmDays: number({ row: 'economy', group: 'policy', min: 0, max: 365, whole: true, digits: true, fallback: () => 7, input: { fieldset: 'economy', label: 'Staff may confirm a fill after (days)', hint: 'If the member who asked has not confirmed or rejected it by then.' } }),
  // `tracker_policy`: what the tracker answers (src/tracker/core/tracker-policy.ts, BEP 3 intervals)
  announceInterval: number({ row: 'tracker_policy', group: 'tracker', min: 60, max: 86_400, whole: true, digits: true, message: problemOf('admin.settings.problems.announceInterval'), fallback: (config) => config.announceInterval, input: { fieldset: 'tracker', label: 'Announce interval (seconds)' } }),
  minInterval: number({
    row: 'tracker_policy', group: 'tracker', min: 0, max: 86_400, whole: true, digits: true, message: MIN_INTERVAL_PROBLEM, fallback: (config) => config.minInterval,
    also: (value, values) => (typeof values.announceInterval === 'number' && value > values.announceInterval ? MIN_INTERVAL_PROBLEM : null),
    input: { fieldset: 'tracker', label: 'Minimum interval (seconds)' },
  }),
  clientDeny: prefixes({ row: 'tracker_policy', group: 'tracker', fallback: (config) => defaultPolicy(config).clientDeny, input: { fieldset: 'tracker', label: 'Refused clients (peer_id prefixes)', control: 'lines' } }),
  clientAllow: prefixes({ row: 'tracker_policy', group: 'tracker', fallback: () => [], input: { fieldset: 'tracker', label: 'Allowed clients (peer_id prefixes)', control: 'lines' } }),
  numwantDefault: number({ row: 'tracker_policy', group: 'tracker', min: 0, max: 86_400, whole: true, fallback: (config) => defaultPolicy(config).numwantDefault }),
  numwantCap: number({ row: 'tracker_policy', group: 'tracker', min: 1, max: 86_400, whole: true, clamp: 500, fallback: (config) => defaultPolicy(config).numwantCap }),
  // peer caps: every active peer is tracker memory, which a passkey holder could otherwise grow at will
  maxPeersPerMember: number({
    row: 'tracker_policy', group: 'tracker', min: PEER_CAP_LIMITS.maxPeersPerMember[0], max: PEER_CAP_LIMITS.maxPeersPerMember[1], whole: true, digits: true,
    fallback: (config) => defaultPolicy(config).maxPeersPerMember,
    input: { fieldset: 'tracker', label: 'Active peers per member, all torrents', hint: 'Room for a big seeder: each torrent a member seeds is a peer. 1 to 1,000,000.' },
  }),
  maxPeersPerRelease: number({
    row: 'tracker_policy', group: 'tracker', min: PEER_CAP_LIMITS.maxPeersPerRelease[0], max: PEER_CAP_LIMITS.maxPeersPerRelease[1], whole: true, digits: true,
    fallback: (config) => defaultPolicy(config).maxPeersPerRelease,
    input: { fieldset: 'tracker', label: 'Active peers per member on one torrent', hint: 'One torrent seeded from a few boxes. Past either limit a new client is refused until another stops or times out. 1 to 1,000.' },
  }),
  maxBaselinesPerRelease: number({
    row: 'tracker_policy', group: 'tracker', min: PEER_CAP_LIMITS.maxBaselinesPerRelease[0], max: PEER_CAP_LIMITS.maxBaselinesPerRelease[1], whole: true,
    fallback: (config) => defaultPolicy(config).maxBaselinesPerRelease,
  }),
  /** site-wide freeleech: downloads credit nothing (set from /admin/releases, ended by the policy job) */
  siteFreeleech: flag({ row: 'tracker_policy', group: 'tracker', fallback: () => false }),
  siteFreeleechUntil: date({ row: 'site_freeleech_until', field: 'until', group: 'tracker', fallback: () => null }),
} as const;

type ValueOf<S> = S extends Setting<infer T> ? T : never;
export type SettingKey = keyof typeof SETTINGS;
export type SettingValues = { [K in SettingKey]: ValueOf<(typeof SETTINGS)[K]> };

/** What the ratio rules (src/policy) read. */
export type PolicySettings = Pick<
  SettingValues,
  'ratioTable' | 'watchDays' | 'watchAllowanceGiB' | 'hnrMinPercent' | 'hnrSeedHours' | 'hnrWindowDays' | 'hnrMaxMarks' | 'bonusPerHour' | 'bonusMiBPerPoint' | 'newMemberCreditGiB' | 'jobIntervalMinutes' | 'userClasses'
>;

const KEYS = Object.keys(SETTINGS) as SettingKey[];
const entry = (key: SettingKey): Setting<unknown> => SETTINGS[key] as unknown as Setting<unknown>;
/** The JSON field a setting is stored under in its row, or null when the row is the value. */
const fieldOf = (key: SettingKey): string | null => (entry(key).field === undefined ? key : (entry(key).field as string | null));
const copy = <T>(value: T): T => (typeof value === 'object' && value !== null ? structuredClone(value) : value);

/** Stored rows (key -> JSON) -> every setting, each invalid or missing one as its default. */
export function decodeSettings(rows: ReadonlyMap<string, unknown>, config: SettingsConfig): SettingValues {
  const values: Record<string, unknown> = {};
  for (const key of KEYS) {
    const setting = entry(key);
    const row = rows.get(setting.row);
    const field = fieldOf(key);
    const raw = field === null ? row : asObject(row)[field];
    const value = raw === undefined ? undefined : setting.decode(raw);
    values[key] = value !== undefined && setting.problem(value, values) === null ? value : setting.fallback(config, values);
  }
  return values as SettingValues;
}

export const defaultSettings = (config: SettingsConfig): SettingValues => decodeSettings(new Map(), config);

/** The problem with each changed value, checked against the others (e.g. min <= announce interval). */
export function settingProblems(values: Readonly<SettingValues>, keys: readonly SettingKey[] = KEYS): Partial<Record<SettingKey, Problem>> {
  const problems: Partial<Record<SettingKey, Problem>> = {};
  for (const key of keys) {
    const problem = entry(key).problem(values[key], values);
    if (problem) problems[key] = problem;
  }
  return problems;
}

/**
 * The tracker's view of the settings (pushed to it at boot and on every change): every entry
 * stored in the `tracker_policy` row, under its own name, is a field of TrackerPolicy.
 */
export function trackerPolicyOf(values: Readonly<SettingValues>): TrackerPolicy {
  const policy: Record<string, unknown> = {};
  for (const key of KEYS) if (entry(key).row === 'tracker_policy') policy[key] = copy(values[key]);
  policy.downloadSlots = Object.fromEntries(values.userClasses.map((c) => [c.name, c.downloadSlots]));
  return policy as unknown as TrackerPolicy;
}

/** Upload credit given to a new member, in bytes. */
export const newMemberCredit = (values: Pick<SettingValues, 'newMemberCreditGiB'>): bigint => BigInt(Math.round(values.newMemberCreditGiB * GIB));

type Db = Pick<PrismaClient, 'setting' | '$transaction'>;
type Listener = (changed: readonly SettingKey[], values: Readonly<SettingValues>) => void;

export class Settings {
  private values: SettingValues;
  private readonly listeners: Listener[] = [];

  private readonly prisma: Db;
  private readonly config: SettingsConfig;
  private rows: Map<string, unknown>;

  private constructor(
    prisma: Db,
    config: SettingsConfig,
    rows: Map<string, unknown>,
  ) {
    this.prisma = prisma;
    this.config = config;
    this.rows = rows;
    this.values = decodeSettings(rows, config);
  }

  static async load(prisma: Db, config: SettingsConfig): Promise<Settings> {
    return new Settings(prisma, config, await readRows(prisma));
  }

  get<K extends SettingKey>(key: K): SettingValues[K] {
    return copy(this.values[key]);
  }

  all(): SettingValues {
    return copy(this.values);
  }

  /** Called after every update with the keys it changed. */
  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  /**
   * Stores the given values (checked first: a bad one throws, nothing is written) in one
   * transaction, merged into their rows, then applies them and tells the listeners.
   */
  async update(changes: Partial<SettingValues>): Promise<void> {
    const keys = (Object.keys(changes) as SettingKey[]).filter((key) => changes[key] !== undefined);
    const next = { ...this.values, ...copy(changes) } as SettingValues;
    const problems = Object.entries(settingProblems(next, keys));
    if (problems.length > 0) throw new RangeError(`Invalid setting ${problems[0][0]}: ${problems[0][1].key} ${JSON.stringify(problems[0][1].params ?? {})}`);
    const rows = new Map(this.rows);
    for (const key of keys) {
      const setting = entry(key);
      const stored = setting.encode(next[key]);
      const field = fieldOf(key);
      if (field === null) rows.set(setting.row, stored);
      else rows.set(setting.row, { ...asObject(rows.get(setting.row)), [field]: stored });
    }
    const touched = [...new Set(keys.map((key) => entry(key).row))];
    await this.prisma.$transaction(
      touched.map((key) => {
        const value = rows.get(key) as never;
        return this.prisma.setting.upsert({ where: { key }, create: { key, value }, update: { value } });
      }),
    );
    this.rows = rows;
    // decoded again, not merged: a default that follows another setting (the source tag) moves with it
    this.values = decodeSettings(rows, this.config);
    for (const listener of this.listeners) listener(keys, this.all());
  }

  /** Reads the rows again (another process, or a test, wrote them). */
  async reload(): Promise<void> {
    this.rows = await readRows(this.prisma);
    this.values = decodeSettings(this.rows, this.config);
    for (const listener of this.listeners) listener(KEYS, this.all());
  }
}

const asObject = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

async function readRows(prisma: Db): Promise<Map<string, unknown>> {
  const names = [...new Set(KEYS.map((key) => entry(key).row))];
  const found = await prisma.setting.findMany({ where: { key: { in: names } }, select: { key: true, value: true } });
  return new Map(found.map((row) => [row.key, row.value]));
}
