// Reports (table reports): what a member filed, the staff queue, and the moderation-log
// entries on the report's target that staff may name as the action they took.
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';

export const RELEASE_REPORT_KINDS = ['dupe', 'fake', 'broken', 'rules'] as const;
export const REPORT_KINDS = [...RELEASE_REPORT_KINDS, 'member'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export const REPORT_VIEWS = ['open', 'mine', 'resolved'] as const;
export type ReportView = (typeof REPORT_VIEWS)[number];
export const REPORTS_PAGE_SIZE = 30;

const reportSelect = {
  id: true, kind: true, reason: true, status: true, outcome: true, createdAt: true, resolvedAt: true, releaseId: true, targetUserId: true, reporterId: true, claimedById: true,
  reporter: { select: { id: true, username: true } },
  release: { select: { id: true, name: true, deletedAt: true, uploaderId: true } },
  target: { select: { id: true, username: true } },
  claimedBy: { select: { id: true, username: true } },
  action: { select: { id: true, action: true, reason: true, createdAt: true, actor: { select: { username: true } } } },
} as const;

function viewWhere(view: ReportView, staffId: number): Prisma.ReportWhereInput {
  if (view === 'mine') return { status: 'claimed', claimedById: staffId };
  if (view === 'resolved') return { status: 'resolved' };
  return { status: { in: ['open', 'claimed'] } };
}

export async function listReports(prisma: PrismaClient, options: { view: ReportView; staffId: number; page: number }) {
  const where = viewWhere(options.view, options.staffId);
  const [total, rows, counts] = await Promise.all([
    prisma.report.count({ where }),
    prisma.report.findMany({ where, select: reportSelect, orderBy: [{ createdAt: options.view === 'resolved' ? 'desc' : 'asc' }, { id: 'asc' }], skip: (options.page - 1) * REPORTS_PAGE_SIZE, take: REPORTS_PAGE_SIZE }),
    Promise.all(REPORT_VIEWS.map((view) => prisma.report.count({ where: viewWhere(view, options.staffId) }))),
  ]);
  return { total, rows, counts: Object.fromEntries(REPORT_VIEWS.map((view, i) => [view, counts[i]])) as Record<ReportView, number> };
}

export const findReport = (prisma: PrismaClient | Prisma.TransactionClient, id: number) => prisma.report.findUnique({ where: { id }, select: reportSelect });
export type ReportDetails = NonNullable<Awaited<ReturnType<typeof findReport>>>;

/** Where a log entry is about the report's target: its release, or its member. */
export const targetLogWhere = (report: { releaseId: number | null; targetUserId: number | null }): Prisma.ModerationLogWhereInput =>
  report.releaseId !== null ? { releaseId: report.releaseId } : { targetUserId: report.targetUserId ?? -1 };

/** Staff actions on the target since the report was filed: the choices for "action taken". */
export function listTargetActions(prisma: PrismaClient, report: ReportDetails) {
  return prisma.moderationLog.findMany({
    where: { ...targetLogWhere(report), createdAt: { gte: report.createdAt }, actorId: { not: null }, action: { notIn: ['report_claim', 'report_resolve'] } },
    select: { id: true, action: true, reason: true, createdAt: true, actor: { select: { username: true } } },
    orderBy: { id: 'desc' },
    take: 20,
  });
}

/** Other unresolved reports on the same target (staff resolve duplicates together). */
export function listSiblingReports(prisma: PrismaClient, report: ReportDetails) {
  return prisma.report.findMany({
    where: { id: { not: report.id }, status: { in: ['open', 'claimed'] }, ...(report.releaseId !== null ? { releaseId: report.releaseId } : { targetUserId: report.targetUserId }) },
    select: { id: true, kind: true, createdAt: true, reporter: { select: { username: true } } },
    orderBy: { id: 'asc' },
  });
}

export const countOpenReports = (prisma: PrismaClient): Promise<number> => prisma.report.count({ where: { status: 'open' } });
