// Short messages left for one member (listed on /notices): a reseed asked of a snatcher, a
// request filled or paid, a class change. Written by the web actions and the policy job alike,
// in the caller's transaction when it has one.
import type { Prisma } from '../generated/prisma/client.js';

export interface NoticeInput {
  userId: number;
  kind: string;
  body: string;
  link?: string | null;
  at: Date;
}

export async function addNotices(db: Pick<Prisma.TransactionClient, 'notice'>, notices: NoticeInput[]): Promise<void> {
  if (notices.length === 0) return;
  await db.notice.createMany({ data: notices.map((n) => ({ userId: n.userId, kind: n.kind, body: n.body.slice(0, 500), link: n.link ?? null, createdAt: n.at })) });
}
