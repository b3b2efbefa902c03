// Staff claim a report (so two do not work it at once) and resolve it with an outcome and,
// when they acted, the moderation-log entry of that action (a delete, a warning...). The
// reporter is told the outcome in their inbox, in the same transaction.
import type { PrismaClient } from '../../generated/prisma/client.js';
import { AppError } from '../../errors.js';
import type { StoredText } from '../../i18n/stored-text.js';
import { reportKindKey } from '../admin/labels.js';
import { logModeration } from '../../policy/moderation-log.js';
import { messageMember } from '../inbox/open-ticket.js';
import { targetLogWhere, type ReportDetails } from './queries.js';

interface StaffChange {
  prisma: PrismaClient;
  actorId: number;
  report: ReportDetails;
  now: Date;
}

const logTarget = (report: ReportDetails) => ({ releaseId: report.releaseId, targetUserId: report.targetUserId });

export async function claimReport(options: StaffChange & { claim: boolean }): Promise<void> {
  const { prisma, actorId, report, now, claim } = options;
  if (report.status === 'resolved') throw AppError.conflict('admin.report.alreadyResolved');
  await prisma.$transaction(async (tx) => {
    await tx.report.update({ where: { id: report.id }, data: claim ? { status: 'claimed', claimedById: actorId } : { status: 'open', claimedById: null } });
    await logModeration(tx, { actorId, ...logTarget(report), action: claim ? 'report_claim' : 'report_unclaim', reason: '', details: { report: report.id }, at: now });
  });
}

const subjectOf = (report: ReportDetails): StoredText => {
  const name = report.release?.name ?? report.target?.username;
  return name === undefined ? { key: 'sent.report.subjectGone', params: {} } : { key: 'sent.report.subject', params: { name: name.slice(0, 150) } };
};

/** The reporter's message: what they reported, the staff's outcome, and the action taken if any. */
function messageOf(report: ReportDetails, outcome: string, action: { action: string } | null): StoredText {
  const taken = action ? action.action.replace(/_/g, ' ') : null;
  if (report.release) {
    const params = { name: report.release.name, kindKey: reportKindKey(report.kind), outcome, action: taken };
    return { key: taken ? 'sent.report.releaseAction' : 'sent.report.release', params };
  }
  const params = { name: report.target?.username ?? '', outcome, action: taken };
  return { key: taken ? 'sent.report.memberAction' : 'sent.report.member', params };
}

export async function resolveReport(options: StaffChange & { outcome: string; actionLogId: number | null }): Promise<void> {
  const { prisma, actorId, report, now, outcome, actionLogId } = options;
  if (report.status === 'resolved') throw AppError.conflict('admin.report.alreadyResolved');
  const action = actionLogId === null ? null
    : await prisma.moderationLog.findFirst({ where: { id: actionLogId, ...targetLogWhere(report) }, select: { id: true, action: true } });
  if (actionLogId !== null && !action) throw AppError.badRequest('admin.report.actionNotHere', 'action');
  await prisma.$transaction(async (tx) => {
    // only one staff member resolves it, even if two press the button at once
    const { count } = await tx.report.updateMany({ where: { id: report.id, status: { not: 'resolved' } }, data: { status: 'resolved', outcome, actionLogId, resolvedAt: now, claimedById: report.claimedById ?? actorId } });
    if (count === 0) throw AppError.conflict('admin.report.alreadyResolved');
    await logModeration(tx, { actorId, ...logTarget(report), action: 'report_resolve', reason: outcome, details: { report: report.id, action: action?.action ?? null }, at: now });
    if (report.reporterId !== null) {
      await messageMember(tx, { memberId: report.reporterId, staffId: actorId, subject: subjectOf(report), body: messageOf(report, outcome, action), kind: 'report', now });
    }
  });
}
