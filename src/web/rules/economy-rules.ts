// The economy's part of /rules (#classes, #tokens, #shop, #requests), from the live settings.
import type { UserClass } from '../../policy/economy/user-classes.js';
import type { SettingValues } from '../../settings.js';
import { itemText, limitText, type Reader } from '../shop/item-text.js';
import { perkList } from '../users/economy-view.js';

export type EconomySettings = Pick<SettingValues, 'userClasses' | 'shopItems' | 'tokenHours' | 'requestMinBountyMiB' | 'requestConfirmDays'>;

/** A class's thresholds in the reader's language ("56 days a member, 500 GiB uploaded…"). */
function needsOf({ t, locale }: Reader, c: UserClass): string {
  const num = (n: number, digits = 0) => new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: 2 }).format(n);
  const needs = [
    c.minDays > 0 ? t('classes.needs.days', { count: c.minDays, amount: num(c.minDays) }) : null,
    c.minUploadGiB > 0 ? t('classes.needs.upload', { amount: num(c.minUploadGiB) }) : null,
    c.minRatio > 0 ? t('classes.needs.ratio', { amount: num(c.minRatio, 2) }) : null,
    c.minUploads > 0 ? t('classes.needs.uploads', { count: c.minUploads, amount: num(c.minUploads) }) : null,
  ].filter((n) => n !== null);
  return needs.length > 0 ? needs.join(', ') : t('classes.needs.start');
}

/** `reader`: the page's translator and language, for the shop's items and limits. */
export function economyRules(values: EconomySettings, reader: Reader) {
  return {
    classes: values.userClasses.map((c) => ({
      name: c.name,
      needs: needsOf(reader, c),
      perks: perkList(reader.t, c).join('; '),
    })),
    shop: values.shopItems.map((i) => ({ name: itemText(reader, i), price: i.price, limit: limitText(reader, i) })),
    tokenHours: values.tokenHours,
    minBountyMiB: values.requestMinBountyMiB,
    confirmDays: values.requestConfirmDays,
  };
}
