// Shop items and their limits as the reader reads them (the staff list in the settings holds
// kinds and amounts, not texts): "1 GiB of upload credit", "3 per 7 days".
import { formatGiBIn, formatUnitIn } from '../../i18n/format.js';
import type { Locale, Translate } from '../../i18n/index.js';
import type { ShopItem } from '../../policy/economy/shop.js';

/** Who reads: a request (request.t, request.locale) or any translator with its language. */
export interface Reader {
  t: Translate;
  locale: Locale;
}

export function itemText(request: Reader, item: ShopItem): string {
  switch (item.kind) {
    case 'upload': return request.t('shop.items.upload', { size: formatGiBIn(request.locale, item.amount) });
    case 'token': return request.t('shop.items.token', { count: item.amount });
    case 'invite': return request.t('shop.items.invite', { count: item.amount });
    case 'personal_freeleech': return request.t('shop.items.personalFreeleech', { hours: item.amount });
    case 'double_upload': return request.t('shop.items.doubleUpload', { hours: item.amount });
  }
}

/** The limit per period, or null when there is none. */
export function limitText(request: Reader, item: ShopItem): string | null {
  if (item.limit <= 0) return null;
  if (item.periodDays === 1) return request.t('shop.limitPerDay', { count: item.limit });
  return request.t('shop.limitPer', { count: item.limit, period: formatUnitIn(request.locale, item.periodDays, 'day') });
}
