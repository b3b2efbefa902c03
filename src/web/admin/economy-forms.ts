// The class ladder and shop forms (/admin/classes, /admin/shop): rows of fields -> the lists
// the settings keep, and back. An empty row is skipped; the whole list is then checked by the
// policy's own check (ladderProblem, shopProblem). Pure: no database.
import { MAX_SHOP_ITEMS, SHOP_KINDS, type ShopItem, type ShopKind } from '../../policy/economy/shop.js';
import { MAX_CLASSES, type UserClass } from '../../policy/economy/user-classes.js';
import { problemOf, type Problem } from '../../settings-kinds.js';
import { text, type FormBody } from './form.js';

const NUMBER = /^\d{1,12}(\.\d{1,6})?$/;
export const CLASS_NUMBERS = ['minDays', 'minUploadGiB', 'minRatio', 'minUploads', 'invitesPerMonth', 'tokensPerMonth', 'downloadSlots'] as const;
export const CLASS_FLAGS = ['mayRequest', 'mayUpload', 'hnrImmune'] as const;
export const ITEM_NUMBERS = ['amount', 'price', 'limit', 'periodDays'] as const;

export type Parsed<T> = { value: T; form: Record<string, string> } | { problem: Problem; form: Record<string, string> };

/** The numbers of one row, or the name of the first field that is not one. */
function numbersOf<K extends string>(body: FormBody, form: Record<string, string>, prefix: string, keys: readonly K[]): Record<K, number> | { bad: K } {
  const out = {} as Record<K, number>;
  for (const key of keys) {
    const raw = (form[`${prefix}${key}`] = text(body, `${prefix}${key}`));
    if (!NUMBER.test(raw)) return { bad: key };
    out[key] = Number(raw);
  }
  return out;
}

export function parseLadder(body: FormBody): Parsed<UserClass[]> {
  const form: Record<string, string> = {};
  const ladder: UserClass[] = [];
  for (let i = 0; i < MAX_CLASSES; i++) {
    const name = (form[`c${i}_name`] = text(body, `c${i}_name`));
    for (const flag of CLASS_FLAGS) form[`c${i}_${flag}`] = text(body, `c${i}_${flag}`) === 'on' ? 'on' : '';
    if (name === '') continue;
    const numbers = numbersOf(body, form, `c${i}_`, CLASS_NUMBERS);
    if ('bad' in numbers) return { problem: problemOf('admin.classes.problemNumber', { row: i + 1, column: `admin.classes.col.${numbers.bad}` }), form };
    const flags = Object.fromEntries(CLASS_FLAGS.map((f) => [f, form[`c${i}_${f}`] === 'on'])) as Record<(typeof CLASS_FLAGS)[number], boolean>;
    ladder.push({ name, ...numbers, ...flags });
  }
  return { value: ladder, form };
}

export function ladderToForm(ladder: readonly UserClass[]): Record<string, string> {
  const form: Record<string, string> = {};
  ladder.forEach((c, i) => {
    form[`c${i}_name`] = c.name;
    for (const key of CLASS_NUMBERS) form[`c${i}_${key}`] = String(c[key]);
    for (const flag of CLASS_FLAGS) form[`c${i}_${flag}`] = c[flag] ? 'on' : '';
  });
  return form;
}

export function parseShop(body: FormBody): Parsed<ShopItem[]> {
  const form: Record<string, string> = {};
  const items: ShopItem[] = [];
  for (let i = 0; i < MAX_SHOP_ITEMS; i++) {
    const key = (form[`s${i}_key`] = text(body, `s${i}_key`));
    const kind = (form[`s${i}_kind`] = text(body, `s${i}_kind`));
    if (key === '') continue;
    if (!SHOP_KINDS.includes(kind as ShopKind)) return { problem: problemOf('admin.shop.problemKind', { row: i + 1 }), form };
    const numbers = numbersOf(body, form, `s${i}_`, ITEM_NUMBERS);
    if ('bad' in numbers) return { problem: problemOf('admin.shop.problemNumber', { row: i + 1, column: `admin.shop.col.${numbers.bad}` }), form };
    items.push({ key, kind: kind as ShopKind, ...numbers });
  }
  return { value: items, form };
}

export function shopToForm(items: readonly ShopItem[]): Record<string, string> {
  const form: Record<string, string> = {};
  items.forEach((item, i) => {
    form[`s${i}_key`] = item.key;
    form[`s${i}_kind`] = item.kind;
    for (const key of ITEM_NUMBERS) form[`s${i}_${key}`] = String(item[key]);
  });
  return form;
}
