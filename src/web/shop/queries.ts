// The shop's and the history's reads, each with an explicit select.
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { ShopItem } from '../../policy/economy/shop.js';

const DAY_MS = 86_400_000;
const HISTORY_ROWS = 200;

/** How many of each item the member bought within that item's period. */
export async function purchasesInPeriods(prisma: PrismaClient, userId: number, items: readonly ShopItem[], now: number): Promise<Map<string, number>> {
  const longest = Math.max(1, ...items.map((i) => i.periodDays));
  const rows = await prisma.creditLog.findMany({
    where: { userId, kind: 'shop', createdAt: { gt: new Date(now - longest * DAY_MS) } },
    select: { item: true, createdAt: true },
  });
  const counts = new Map<string, number>();
  for (const item of items) {
    const since = now - item.periodDays * DAY_MS;
    counts.set(item.key, rows.filter((r) => r.item === item.key && r.createdAt.getTime() > since).length);
  }
  return counts;
}

export function listCreditLog(prisma: PrismaClient, userId: number) {
  return prisma.creditLog.findMany({
    where: { userId },
    orderBy: { id: 'desc' },
    take: HISTORY_ROWS,
    select: { kind: true, item: true, points: true, bytes: true, tokens: true, invites: true, requestId: true, releaseId: true, note: true, createdAt: true },
  });
}
