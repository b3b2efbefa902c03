// What /rules and /faq show, computed from the live settings (settings-queries.ts): every
// number on those pages is the one the tracker and the policy job apply right now, written
// the way the reader's language writes numbers, sizes and durations.
import { formatGiBIn, formatPlain, formatUnitIn } from '../../i18n/format.js';
import type { Locale, Translate } from '../../i18n/index.js';
import { creditForPoints, pointsPerHour } from '../../policy/bonus.js';
import { GIB, type RatioBand } from '../../policy/ratio-table.js';
import type { RegistrationMode } from '../../settings.js';
import { formatBytes, formatDate, formatDecimal2, formatDuration } from '../view-helpers.js';
import { nameClients } from './client-names.js';
import { economyRules } from './economy-rules.js';
import type { LiveRules } from './settings-queries.js';

/** catalog keys for the registration mode */
const REGISTRATION: Record<RegistrationMode, string> = {
  open: 'rules.invites.open',
  invite: 'rules.invites.invite',
  closed: 'rules.invites.closed',
};

export function ratioBands(table: readonly RatioBand[], locale: Locale, t: Translate) {
  return table.map((band, i) => {
    const next = table[i + 1];
    const range = next
      ? t('rules.ratio.range', { from: formatPlain(locale, band.fromGiB), to: formatGiBIn(locale, next.fromGiB) })
      : t('rules.ratio.andMore', { from: formatGiBIn(locale, band.fromGiB) });
    return { range, max: formatDecimal2(band.max, locale), min: formatDecimal2(band.min, locale) };
  });
}

function bonusView(live: LiveRules, locale: Locale) {
  const { policy } = live;
  const examples = ([[1, 1], [4, 1], [16, 5]] as const).map(([gib, seeders]) => ({
    size: formatGiBIn(locale, gib),
    seeders,
    perHour: formatPlain(locale, pointsPerHour(BigInt(gib * GIB), seeders, policy)),
  }));
  return {
    perHour: formatPlain(locale, policy.bonusPerHour),
    perHourValue: policy.bonusPerHour,
    creditPerPoint: formatBytes(creditForPoints(1, policy), locale),
    creditPer100: formatBytes(creditForPoints(100, policy), locale),
    examples,
  };
}

function freeleechView(live: LiveRules, locale: Locale, t: Translate) {
  const siteWide = live.tracker.siteFreeleech;
  const until = siteWide ? live.siteFreeleechUntil : null;
  // the FAQ's aside, "(it is on now, until …)"
  const note = !siteWide ? '' : until ? t('faq.freeleech.onUntil', { until: formatDate(until, locale) }) : t('faq.freeleech.onNow');
  return { siteWide, until, note };
}

export function rulesView(live: LiveRules, locale: Locale, t: Translate) {
  const { policy, site, tracker } = live;
  const bands = ratioBands(policy.ratioTable, locale, t);
  return {
    bands,
    ratioSpan: { first: bands[0], last: bands[bands.length - 1] },
    watch: { days: formatUnitIn(locale, policy.watchDays, 'day'), allowance: formatGiBIn(locale, policy.watchAllowanceGiB) },
    hnr: {
      minPercent: formatPlain(locale, policy.hnrMinPercent),
      seedHours: formatUnitIn(locale, policy.hnrSeedHours, 'hour'),
      windowDays: formatUnitIn(locale, policy.hnrWindowDays, 'day'),
      maxMarks: policy.hnrMaxMarks,
    },
    bonus: bonusView(live, locale),
    economy: economyRules(live.economy, { t, locale }),
    freeleech: freeleechView(live, locale, t),
    clients: { deny: nameClients(tracker.clientDeny), allow: nameClients(tracker.clientAllow) },
    invites: {
      mode: site.registrationMode,
      modeText: t(REGISTRATION[site.registrationMode]),
      expiryDays: formatUnitIn(locale, site.inviteExpiryDays, 'day'),
      forNewMembers: site.invitesForNewMembers,
    },
    newMemberCredit: formatGiBIn(locale, policy.newMemberCreditGiB),
    intervals: { announce: formatDuration(tracker.announceInterval, locale), min: formatDuration(tracker.minInterval, locale) },
  };
}

export type RulesView = ReturnType<typeof rulesView>;
