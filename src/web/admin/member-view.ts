// What the staff member page shows: stats, history chart, peers, snatches, hit-and-runs, IP
// history, warnings, the log about them, and which action forms this staff member may use.
import type { FastifyInstance } from 'fastify';
import { translator, type Locale } from '../../i18n/index.js';
import { formatGiBIn } from '../../i18n/format.js';
import { formatByteAmount } from './form.js';
import { listModerationLog } from './queries.js';
import {
  canChangeRole, canClearHitAndRun, canGivePerks, canDisableAccount, canEditTraffic, canGrantInvites, canIssueResetLink, canResetPasskeyOf, canResetTwoFactorOf,
  canSeePeerAddresses, canSetLeechRight, canWarn,
} from '../guards.js';
import type { SessionUser } from '../session.js';
import { formatRatio } from '../view-helpers.js';
import { ROLES } from './change-member-role.js';
import { renderLineChart } from '../charts.js';
import {
  listMemberIps, listMemberPeers, listMemberTraffic, listMemberTransfers, listMemberWarnings, type MemberDetails,
} from './member-queries.js';

const GIB = 1024 ** 3;

function historyChart(traffic: Awaited<ReturnType<typeof listMemberTraffic>>, locale: Locale): string {
  const days = [...traffic].reverse();
  const t = translator(locale);
  return renderLineChart({
    title: t('charts.creditedTotals'),
    locale,
    series: [
      { label: t('charts.uploaded'), points: days.map((d) => ({ x: d.day, y: Number(d.totalUploaded) / GIB })) },
      { label: t('charts.downloaded'), points: days.map((d) => ({ x: d.day, y: Number(d.totalDownloaded) / GIB })) },
    ],
    yFormat: (y) => formatGiBIn(locale, Math.round(y * 10) / 10),
  });
}

function permissions(actor: SessionUser, member: MemberDetails) {
  return {
    warn: canWarn(actor, member),
    leech: canSetLeechRight(actor, member),
    enabled: canDisableAccount(actor, member),
    traffic: canEditTraffic(actor, member),
    passkey: canResetPasskeyOf(actor, member),
    role: canChangeRole(actor, member),
    resetLink: canIssueResetLink(actor, member),
    twoFactor: canResetTwoFactorOf(actor, member) && member.totpEnabledAt !== null,
    invites: canGrantInvites(actor, member),
    hnr: canClearHitAndRun(actor, member),
    perks: canGivePerks(actor, member),
  };
}

export async function memberView(app: FastifyInstance, actor: SessionUser, member: MemberDetails, locale: Locale) {
  const prisma = app.db.prisma;
  const [peers, snatches, hitAndRuns, ips, warnings, traffic, log] = await Promise.all([
    listMemberPeers(prisma, member.id),
    listMemberTransfers(prisma, member.id, false),
    listMemberTransfers(prisma, member.id, true),
    listMemberIps(prisma, member.id),
    listMemberWarnings(prisma, member.id),
    listMemberTraffic(prisma, member.id),
    listModerationLog(prisma, { action: '', actor: '', target: '', targetUserId: member.id, page: 1 }, 30),
  ]);
  const can = permissions(actor, member);
  return {
    member,
    ratioText: formatRatio(member.uploaded, member.downloaded),
    ratioLow: member.downloaded > 0n && Number(member.uploaded) / Number(member.downloaded) < member.requiredRatio,
    peers,
    snatches,
    hitAndRuns: hitAndRuns.map((h) => ({ ...h, active: !h.hitAndRunCleared })),
    ips,
    warnings,
    log: log.rows.map((r) => ({ ...r, detailsText: r.details ? JSON.stringify(r.details) : "" })),
    chart: historyChart(traffic, locale),
    showAddresses: canSeePeerAddresses(actor),
    can,
    canAny: Object.values(can).some(Boolean),
    roles: ROLES.map((r) => ({ value: r, selected: r === member.role })),
    trafficShown: { uploaded: formatByteAmount(member.uploaded).text, downloaded: formatByteAmount(member.downloaded).text },
  };
}
