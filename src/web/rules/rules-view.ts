// What /rules and /faq show, computed from the live settings (settings-queries.ts): every
// number on those pages is the one the tracker and the policy job apply right now.
import { creditForPoints, pointsPerHour } from '../../policy/bonus.js';
import { GIB, type RatioBand } from '../../policy/ratio-table.js';
import type { RegistrationMode } from '../../settings.js';
import { formatBytes, formatDuration } from '../view-helpers.js';
import { nameClients } from './client-names.js';
import { economyRules } from './economy-rules.js';
import type { LiveRules } from './settings-queries.js';

/** At most two decimals, no trailing zeros: 0.5, 10, 1.25. */
export const plainNumber = (n: number): string => String(Math.round(n * 100) / 100);

const REGISTRATION: Record<RegistrationMode, string> = {
  open: 'Registration is open: anyone may create an account, with or without an invite code.',
  invite: 'Registration is by invitation only: you need an invite code from a member.',
  closed: 'Registration is closed: no new accounts are being created.',
};

export function ratioBands(table: readonly RatioBand[]) {
  return table.map((band, i) => {
    const next = table[i + 1];
    const range = next ? `${plainNumber(band.fromGiB)}–${plainNumber(next.fromGiB)} GiB` : `${plainNumber(band.fromGiB)} GiB and more`;
    return { range, max: band.max.toFixed(2), min: band.min.toFixed(2) };
  });
}

function bonusView(live: LiveRules) {
  const { policy } = live;
  const examples = ([[1, 1], [4, 1], [16, 5]] as const).map(([gib, seeders]) => ({
    size: `${gib} GiB`,
    seeders,
    perHour: plainNumber(pointsPerHour(BigInt(gib * GIB), seeders, policy)),
  }));
  return {
    perHour: plainNumber(policy.bonusPerHour),
    creditPerPoint: formatBytes(creditForPoints(1, policy)),
    creditPer100: formatBytes(creditForPoints(100, policy)),
    examples,
  };
}

export function rulesView(live: LiveRules) {
  const { policy, site, tracker } = live;
  const bands = ratioBands(policy.ratioTable);
  return {
    bands,
    ratioSpan: { first: bands[0], last: bands[bands.length - 1] },
    watch: { days: policy.watchDays, allowance: `${plainNumber(policy.watchAllowanceGiB)} GiB` },
    hnr: {
      minPercent: plainNumber(policy.hnrMinPercent),
      seedHours: plainNumber(policy.hnrSeedHours),
      windowDays: policy.hnrWindowDays,
      maxMarks: policy.hnrMaxMarks,
    },
    bonus: bonusView(live),
    economy: economyRules(live.economy),
    freeleech: { siteWide: tracker.siteFreeleech, until: tracker.siteFreeleech ? live.siteFreeleechUntil : null },
    clients: { deny: nameClients(tracker.clientDeny), allow: nameClients(tracker.clientAllow) },
    invites: {
      mode: site.registrationMode,
      modeText: REGISTRATION[site.registrationMode],
      expiryDays: site.inviteExpiryDays,
      forNewMembers: site.invitesForNewMembers,
    },
    newMemberCredit: `${plainNumber(policy.newMemberCreditGiB)} GiB`,
    intervals: { announce: formatDuration(tracker.announceInterval), min: formatDuration(tracker.minInterval) },
  };
}

export type RulesView = ReturnType<typeof rulesView>;
