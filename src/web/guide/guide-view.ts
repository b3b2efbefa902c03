// The numbers /guide shows, from the live settings (rules/settings-queries.ts): raw values,
// formatted in the page by the view helpers in the reader's language.
import { creditForPoints } from '../../policy/bonus.js';
import type { LiveRules } from '../rules/settings-queries.js';

export function guideView(live: LiveRules) {
  const { policy, tracker } = live;
  const table = policy.ratioTable;
  return {
    bands: table.map((band, i) => ({ from: band.fromGiB, to: table[i + 1]?.fromGiB ?? null, max: band.max, min: band.min })),
    newMemberCreditGiB: policy.newMemberCreditGiB,
    watch: { days: policy.watchDays, allowanceGiB: policy.watchAllowanceGiB },
    hnr: { percent: policy.hnrMinPercent, hours: policy.hnrSeedHours, days: policy.hnrWindowDays, maxMarks: policy.hnrMaxMarks },
    bonus: { perHour: policy.bonusPerHour, creditPerPoint: creditForPoints(1, policy) },
    freeleech: { siteWide: tracker.siteFreeleech, until: tracker.siteFreeleech ? live.siteFreeleechUntil : null },
  };
}
