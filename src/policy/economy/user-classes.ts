// User classes: a ladder of classes that members climb (and fall down) automatically by
// account age, credited upload, ratio and uploads, after Gazelle's (User, Member, Power User,
// Elite, Torrent Master). Each class carries perks. Staff roles stay apart: a moderator is
// also in a class, and the `uploader` role lets a member upload whatever their class allows.
// docs/members-and-staff.md#user-classes
import { GIB } from '../ratio-table.js';
import { refusal, type Refusal } from './refusal.js';

export interface UserClass {
  name: string;
  /** thresholds, all of which must be met */
  minDays: number;
  minUploadGiB: number;
  minRatio: number;
  minUploads: number;
  /** perks */
  invitesPerMonth: number;
  tokensPerMonth: number;
  mayRequest: boolean;
  mayUpload: boolean;
  hnrImmune: boolean;
  /** leeching peers at once, all torrents; 0: no limit */
  downloadSlots: number;
}

const perks = (p: Partial<UserClass>) => ({ invitesPerMonth: 0, tokensPerMonth: 0, mayRequest: true, mayUpload: true, hnrImmune: false, downloadSlots: 0, ...p });

export const DEFAULT_CLASSES: readonly UserClass[] = [
  { name: 'User', minDays: 0, minUploadGiB: 0, minRatio: 0, minUploads: 0, ...perks({ mayRequest: false }) },
  { name: 'Member', minDays: 7, minUploadGiB: 10, minRatio: 0.7, minUploads: 0, ...perks({}) },
  { name: 'Power User', minDays: 14, minUploadGiB: 25, minRatio: 1.05, minUploads: 5, ...perks({ invitesPerMonth: 1, tokensPerMonth: 1 }) },
  { name: 'Elite', minDays: 28, minUploadGiB: 100, minRatio: 1.05, minUploads: 50, ...perks({ invitesPerMonth: 2, tokensPerMonth: 2, hnrImmune: true }) },
  { name: 'Torrent Master', minDays: 56, minUploadGiB: 500, minRatio: 1.05, minUploads: 500, ...perks({ invitesPerMonth: 4, tokensPerMonth: 4, hnrImmune: true }) },
];

export const MAX_CLASSES = 12;
const DAY_MS = 86_400_000;

export interface ClassStats {
  createdAt: Date;
  /** credited totals */
  uploaded: bigint;
  downloaded: bigint;
  /** live releases the member uploaded */
  uploads: number;
}

/** Ratio for the thresholds: nothing downloaded counts as meeting any ratio. */
const ratioOf = (s: ClassStats): number => (s.downloaded > 0n ? Number(s.uploaded) / Number(s.downloaded) : Infinity);

/** One threshold not met yet: a catalog key (classes.missing.*) and its values, shown in the reader's language. */
export interface Missing {
  key: string;
  params: { count: number };
}

/** What a member still lacks for a class, one per threshold; empty when they qualify. */
export function missingFor(cls: UserClass, stats: ClassStats, now: number): Missing[] {
  const missing: Missing[] = [];
  const days = (now - stats.createdAt.getTime()) / DAY_MS;
  if (days < cls.minDays) missing.push({ key: 'classes.missing.days', params: { count: Math.ceil(cls.minDays - days) } });
  const upGiB = Number(stats.uploaded) / GIB;
  if (upGiB < cls.minUploadGiB) missing.push({ key: 'classes.missing.upload', params: { count: Number((cls.minUploadGiB - upGiB).toFixed(2)) } });
  if (ratioOf(stats) < cls.minRatio) missing.push({ key: 'classes.missing.ratio', params: { count: cls.minRatio } });
  if (stats.uploads < cls.minUploads) missing.push({ key: 'classes.missing.uploads', params: { count: cls.minUploads - stats.uploads } });
  return missing;
}

/**
 * The highest class whose every threshold the member meets (the first class always). A
 * member who falls below a threshold of their class drops to the highest one they still meet.
 */
export function classFor(ladder: readonly UserClass[], stats: ClassStats, now: number): UserClass {
  let found = ladder[0];
  for (const cls of ladder) if (missingFor(cls, stats, now).length === 0) found = cls;
  return found;
}

/** A class by name; an unknown name (the ladder was edited) reads as the first class. */
export const classNamed = (ladder: readonly UserClass[], name: string): UserClass => ladder.find((c) => c.name === name) ?? ladder[0];

/** The class above `current` and what the member still needs for it, or null at the top. */
export function nextClass(ladder: readonly UserClass[], current: string, stats: ClassStats, now: number): { cls: UserClass; missing: Missing[] } | null {
  const at = ladder.findIndex((c) => c.name === current);
  const cls = ladder[at + 1];
  return cls ? { cls, missing: missingFor(cls, stats, now) } : null;
}

const NAME = /^[\p{L}\p{N} ._-]{1,32}$/u;
const inRange = (n: number, max: number): boolean => Number.isFinite(n) && n >= 0 && n <= max;

/** What is wrong with a ladder (a catalog key and its values), or null. */
export function ladderProblem(ladder: readonly UserClass[]): Refusal | null {
  if (ladder.length < 1 || ladder.length > MAX_CLASSES) return refusal('policyChecks.classes.count', { max: MAX_CLASSES });
  const names = new Set<string>();
  for (const [i, c] of ladder.entries()) {
    const row = i + 1;
    if (!NAME.test(c.name)) return refusal('policyChecks.classes.name', { row });
    if (names.has(c.name.toLowerCase())) return refusal('policyChecks.classes.nameTaken', { row, name: c.name });
    names.add(c.name.toLowerCase());
    if (![c.minDays, c.minUploads, c.invitesPerMonth, c.tokensPerMonth, c.downloadSlots].every((n) => Number.isInteger(n))) return refusal('policyChecks.classes.whole', { row });
    if (!inRange(c.minDays, 3650) || !inRange(c.minUploadGiB, 1e9) || !inRange(c.minRatio, 100) || !inRange(c.minUploads, 1e6)) return refusal('policyChecks.classes.thresholds', { row });
    if (!inRange(c.invitesPerMonth, 100) || !inRange(c.tokensPerMonth, 100) || !inRange(c.downloadSlots, 10_000)) return refusal('policyChecks.classes.perks', { row });
  }
  const first = ladder[0];
  if (first.minDays + first.minUploadGiB + first.minRatio + first.minUploads !== 0) return refusal('policyChecks.classes.firstClass');
  return null;
}

const isClass = (raw: unknown): raw is UserClass => {
  const c = raw as UserClass;
  if (typeof c !== 'object' || c === null || typeof c.name !== 'string') return false;
  const nums = [c.minDays, c.minUploadGiB, c.minRatio, c.minUploads, c.invitesPerMonth, c.tokensPerMonth, c.downloadSlots];
  return nums.every((n) => typeof n === 'number') && [c.mayRequest, c.mayUpload, c.hnrImmune].every((b) => typeof b === 'boolean');
};

/** Stored JSON -> a ladder (checked by ladderProblem next), or undefined. */
export const decodeLadder = (raw: unknown): UserClass[] | undefined =>
  Array.isArray(raw) && raw.every(isClass) ? raw.map((c: UserClass) => ({ ...c })) : undefined;
