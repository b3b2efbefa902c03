// The economy's part of /rules (#classes, #tokens, #shop, #requests), from the live settings.
import type { SettingValues } from '../../settings.js';
import { itemText, limitText, type Reader } from '../shop/item-text.js';
import { perkList } from '../users/economy-view.js';

export type EconomySettings = Pick<SettingValues, 'userClasses' | 'shopItems' | 'tokenHours' | 'requestMinBountyMiB' | 'requestConfirmDays'>;

/** `reader`: the page's translator and language, for the shop's items and limits. */
export function economyRules(values: EconomySettings, reader: Reader) {
  return {
    classes: values.userClasses.map((c) => ({
      name: c.name,
      needs: [
        c.minDays > 0 ? `${c.minDays} days a member` : null,
        c.minUploadGiB > 0 ? `${c.minUploadGiB} GiB uploaded` : null,
        c.minRatio > 0 ? `ratio ${c.minRatio.toFixed(2)}` : null,
        c.minUploads > 0 ? `${c.minUploads} uploads` : null,
      ].filter(Boolean).join(', ') || 'where everyone starts',
      perks: perkList(reader.t, c).join('; '),
    })),
    shop: values.shopItems.map((i) => ({ name: itemText(reader, i), price: i.price, limit: limitText(reader, i) })),
    tokenHours: values.tokenHours,
    minBountyMiB: values.requestMinBountyMiB,
    confirmDays: values.requestConfirmDays,
  };
}
