// The bonus shop: items staff define (upload credit, freeleech tokens, invites, personal
// freeleech, double upload), each with a price in points and an optional limit per period.
// docs/members-and-staff.md#the-bonus-shop
import { refusal, type Refusal } from './refusal.js';

export type ShopKind = 'upload' | 'token' | 'invite' | 'personal_freeleech' | 'double_upload';
export const SHOP_KINDS: readonly ShopKind[] = ['upload', 'token', 'invite', 'personal_freeleech', 'double_upload'];

export interface ShopItem {
  /** stable id in URLs and the purchase log */
  key: string;
  kind: ShopKind;
  /** GiB of upload credit, tokens, invites, or hours of the timed perk */
  amount: number;
  /** points */
  price: number;
  /** purchases per member per period; 0: no limit */
  limit: number;
  periodDays: number;
}

export const DEFAULT_SHOP: readonly ShopItem[] = [
  { key: 'upload-1', kind: 'upload', amount: 1, price: 1100, limit: 0, periodDays: 1 },
  { key: 'upload-10', kind: 'upload', amount: 10, price: 10_000, limit: 0, periodDays: 1 },
  { key: 'token', kind: 'token', amount: 1, price: 1500, limit: 3, periodDays: 7 },
  { key: 'invite', kind: 'invite', amount: 1, price: 20_000, limit: 1, periodDays: 30 },
  { key: 'freeleech-24h', kind: 'personal_freeleech', amount: 24, price: 5000, limit: 1, periodDays: 7 },
  { key: 'double-24h', kind: 'double_upload', amount: 24, price: 5000, limit: 1, periodDays: 7 },
];

export const MAX_SHOP_ITEMS = 20;
const KEY = /^[a-z0-9-]{1,32}$/;

const UNITS: Record<ShopKind, (n: number) => string> = {
  upload: (n) => `${n} GiB of upload credit`,
  token: (n) => `${n} freeleech token${n === 1 ? '' : 's'}`,
  invite: (n) => `${n} invite${n === 1 ? '' : 's'}`,
  personal_freeleech: (n) => `${n} h of personal freeleech`,
  double_upload: (n) => `${n} h of double upload`,
};

/** The item in English, as the credit log notes it when it is bought. */
export const describeItem = (item: ShopItem): string => UNITS[item.kind](item.amount);


/** Why the member may not buy the item now, or null. */
export function purchaseRefusal(item: ShopItem, points: number, boughtInPeriod: number): Refusal | null {
  // the limit ("3 per 7 days") is put in where the refusal is shown, in the reader's language
  if (item.limit > 0 && boughtInPeriod >= item.limit) return refusal('shop.refusal.limit', { item: item.key });
  if (points < item.price) return refusal('shop.refusal.points', { price: item.price, points: Math.floor(points) });
  return null;
}

/** What is wrong with the shop's items (a catalog key and its values), or null. */
export function shopProblem(items: readonly ShopItem[]): Refusal | null {
  if (items.length > MAX_SHOP_ITEMS) return refusal('policyChecks.shop.count', { max: MAX_SHOP_ITEMS });
  const keys = new Set<string>();
  for (const [i, item] of items.entries()) {
    const row = i + 1;
    if (!KEY.test(item.key)) return refusal('policyChecks.shop.key', { row });
    if (keys.has(item.key)) return refusal('policyChecks.shop.keyTwice', { row, key: item.key });
    keys.add(item.key);
    if (!SHOP_KINDS.includes(item.kind)) return refusal('policyChecks.shop.kind', { row });
    const whole = item.kind !== 'upload';
    if (!(item.amount > 0 && item.amount <= 100_000) || (whole && !Number.isInteger(item.amount))) return refusal('policyChecks.shop.amount', { row });
    if (!(Number.isInteger(item.price) && item.price >= 1 && item.price <= 1e9)) return refusal('policyChecks.shop.price', { row });
    if (!(Number.isInteger(item.limit) && item.limit >= 0 && item.limit <= 1000)) return refusal('policyChecks.shop.limit', { row });
    if (!(Number.isInteger(item.periodDays) && item.periodDays >= 1 && item.periodDays <= 365)) return refusal('policyChecks.shop.period', { row });
  }
  return null;
}

const isItem = (raw: unknown): raw is ShopItem => {
  const i = raw as ShopItem;
  return typeof i === 'object' && i !== null && typeof i.key === 'string' && typeof i.kind === 'string' && [i.amount, i.price, i.limit, i.periodDays].every((n) => typeof n === 'number');
};

export const decodeShop = (raw: unknown): ShopItem[] | undefined =>
  Array.isArray(raw) && raw.every(isItem) ? raw.map((i: ShopItem) => ({ ...i })) : undefined;
