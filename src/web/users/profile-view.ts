// What /users/:id shows. Everyone logged in sees the public part (totals, ratio, lists, chart);
// the owner and staff also see the secrets (passkey, RSS token, announce and feed URLs). No IP
// address and no email appears here for anyone else.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import { httpAnnounceUrl, udpAnnounceUrl } from '../releases/build-download.js';
import { canSeeListsOf, canSeeSecretsOf, isStaff } from '../guards.js';
import type { SessionUser } from '../session.js';
import { FALLBACK_LOCALE, type Locale } from '../../i18n/locales.js';
import { formatDecimal2, formatRatio, ratioOf } from '../view-helpers.js';
import {
  countUploadsOf, listActivePeersOf, listRatioHistory, listSnatchesOf, listTransfersOf, listUploadsOf, UPLOADS_PER_PAGE, type Profile,
} from './queries.js';
import { renderRatioChart } from './ratio-chart.js';
import { economyView } from './economy-view.js';


export function secretsOf(config: Config, profile: Profile) {
  return {
    passkey: profile.passkey,
    rssToken: profile.rssToken,
    httpAnnounce: httpAnnounceUrl(config.baseUrl, profile.passkey),
    udpAnnounce: config.udpEnabled ? udpAnnounceUrl(config.udpHost, config.udpPort, profile.passkey) : null,
    feedUrl: `${config.baseUrl}/rss/${profile.rssToken}`,
    email: profile.email,
  };
}

function ratioStatus(profile: Profile, now: number, locale: Locale) {
  const ratio = ratioOf(profile.uploaded, profile.downloaded);
  return {
    // not `ratio`: that name is the Handlebars helper, which would win in {{ratio}}
    ratioText: formatRatio(profile.uploaded, profile.downloaded, locale),
    ratioLow: ratio !== null && ratio < profile.requiredRatio,
    onWatch: profile.watchDeadline !== null,
    watchOverdue: profile.watchDeadline !== null && profile.watchDeadline.getTime() <= now,
    requiredRatio: formatDecimal2(profile.requiredRatio, locale),
    bonusPoints: Math.floor(profile.bonusPoints),
  };
}

const percentDone = (left: bigint, size: bigint): number =>
  size > 0n ? Math.max(0, Math.min(100, Math.floor(Number(size - left) * 100 / Number(size)))) : 100;

/** The uploads pager (?uploads=<page>): the pages before and after this one, or null. */
function uploadsPager(page: number, total: number) {
  const pages = Math.max(1, Math.ceil(total / UPLOADS_PER_PAGE));
  return {
    total,
    pages,
    from: total === 0 ? 0 : (page - 1) * UPLOADS_PER_PAGE + 1,
    to: Math.min(total, page * UPLOADS_PER_PAGE),
    newer: page > 1 ? Math.min(page - 1, pages) : null,
    older: page < pages ? page + 1 : null,
  };
}

/** `private`: the member's privacy choice hides the lists from this viewer, so they are not even read. */
async function profileLists(app: FastifyInstance, userId: number, uploadsPage: number, hidden: boolean, locale: Locale) {
  const prisma = app.db.prisma;
  const [peers, snatches, uploads, uploadCount, transfers] = await Promise.all([
    hidden ? [] : listActivePeersOf(prisma, userId),
    hidden ? [] : listSnatchesOf(prisma, userId),
    listUploadsOf(prisma, userId, uploadsPage),
    countUploadsOf(prisma, userId),
    hidden ? [] : listTransfersOf(prisma, userId),
  ]);
  const withPercent = (p: (typeof peers)[number]) => ({ ...p, percent: percentDone(p.left, p.release.size) });
  return {
    seeding: peers.filter((p) => p.seeder).map(withPercent),
    leeching: peers.filter((p) => !p.seeder).map(withPercent),
    snatches,
    uploads,
    uploadsPager: uploadsPager(uploadsPage, uploadCount),
    transfers: transfers.map((t) => ({
      ...t,
      ratioText: formatRatio(t.uploaded, t.downloaded, locale),
      hitAndRun: t.hitAndRunAt !== null && !t.hitAndRunCleared,
    })),
  };
}

export async function profileView(app: FastifyInstance, viewer: SessionUser, profile: Profile, uploadsPage = 1, locale: Locale = FALLBACK_LOCALE) {
  const listsHidden = !canSeeListsOf(viewer, profile);
  const [lists, history, economy] = await Promise.all([
    profileLists(app, profile.id, uploadsPage, listsHidden, locale), listRatioHistory(app.db.prisma, profile.id, app.clock.now()), economyView(app, profile.id, locale),
  ]);
  const showSecrets = canSeeSecretsOf(viewer, profile);
  // The template never gets the secret fields unless it may show them.
  const { passkey: _p, rssToken: _r, email: _e, ...publicProfile } = profile;
  return {
    profile: publicProfile,
    isOwner: viewer.id === profile.id,
    viewerIsStaff: isStaff(viewer),
    listsHidden,
    secrets: showSecrets ? secretsOf(app.config, profile) : null,
    ...ratioStatus(profile, app.clock.now(), locale),
    ...lists,
    hitAndRuns: lists.transfers.filter((t) => t.hitAndRun).length,
    chart: renderRatioChart(history, profile.requiredRatio, locale),
    economy,
  };
}
