// Every change to a member or release, by staff or by the policy job (actor null), is written
// here; the admin log page reads it.
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';

export interface LogEntry {
  /** null: the system (the policy job) */
  actorId: number | null;
  targetUserId?: number | null;
  releaseId?: number | null;
  action: string;
  reason: string;
  details?: Record<string, unknown>;
  at?: Date;
}

type Db = Pick<PrismaClient, 'moderationLog'> | Prisma.TransactionClient;

const jsonSafe = (details: Record<string, unknown>): Prisma.InputJsonValue =>
  JSON.parse(JSON.stringify(details, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as Prisma.InputJsonValue;

export async function logModeration(prisma: Db, entry: LogEntry): Promise<void> {
  await prisma.moderationLog.create({
    data: {
      actorId: entry.actorId,
      targetUserId: entry.targetUserId ?? null,
      releaseId: entry.releaseId ?? null,
      action: entry.action,
      reason: entry.reason.slice(0, 2000),
      details: entry.details ? jsonSafe(entry.details) : undefined,
      createdAt: entry.at,
    },
  });
}
