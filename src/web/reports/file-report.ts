// A member reports a release (dupe, fake, broken, against the rules) or another member, with a
// reason. One unresolved report per member and target: a second one would only repeat it.
import type { PrismaClient } from '../../generated/prisma/client.js';
import { AppError } from '../../errors.js';
import type { ReportKind } from './queries.js';

export interface NewReport {
  reporterId: number;
  kind: ReportKind;
  reason: string;
  releaseId: number | null;
  targetUserId: number | null;
}

export async function fileReport(options: { prisma: PrismaClient; report: NewReport; now: Date }): Promise<number> {
  const { prisma, report, now } = options;
  const target = report.releaseId !== null ? { releaseId: report.releaseId } : { targetUserId: report.targetUserId };
  const already = await prisma.report.findFirst({ where: { reporterId: report.reporterId, status: { in: ['open', 'claimed'] }, ...target }, select: { id: true } });
  if (already) throw AppError.conflict('reports.errors.already', 'reason');
  const row = await prisma.report.create({ data: { ...report, createdAt: now }, select: { id: true } });
  return row.id;
}
