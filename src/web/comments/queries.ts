// Comments on releases (table comments): a release's comments, oldest first, and a member's
// comment history, newest first, without comments on deleted releases.
import type { PrismaClient } from '../../generated/prisma/client.js';

export const COMMENTS_PAGE_SIZE = 50;
export const HISTORY_PAGE_SIZE = 25;

const commentSelect = {
  id: true, body: true, createdAt: true, editedAt: true, releaseId: true, authorId: true,
  author: { select: { id: true, username: true, role: true } },
} as const;

export async function listReleaseComments(prisma: PrismaClient, releaseId: number, page: number) {
  const where = { releaseId };
  const [total, rows] = await Promise.all([
    prisma.comment.count({ where }),
    prisma.comment.findMany({ where, select: commentSelect, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], skip: (page - 1) * COMMENTS_PAGE_SIZE, take: COMMENTS_PAGE_SIZE }),
  ]);
  return { total, rows };
}
export type CommentRow = Awaited<ReturnType<typeof listReleaseComments>>['rows'][number];

export function findComment(prisma: PrismaClient, id: number) {
  return prisma.comment.findUnique({ where: { id }, select: { ...commentSelect, release: { select: { id: true, name: true, deletedAt: true } } } });
}
export type CommentDetails = NonNullable<Awaited<ReturnType<typeof findComment>>>;

export async function listMemberComments(prisma: PrismaClient, authorId: number, page: number, pageSize = HISTORY_PAGE_SIZE) {
  const where = { authorId, release: { deletedAt: null } };
  const [total, rows] = await Promise.all([
    prisma.comment.count({ where }),
    prisma.comment.findMany({
      where,
      select: { id: true, body: true, createdAt: true, editedAt: true, release: { select: { id: true, name: true } } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: (page - 1) * pageSize,
      take: pageSize,
    }),
  ]);
  return { total, rows };
}

/** Which page of its release a comment is on, for the link back after an edit. */
export async function pageOfComment(prisma: PrismaClient, comment: { id: number; releaseId: number; createdAt: Date }): Promise<number> {
  const before = await prisma.comment.count({
    where: { releaseId: comment.releaseId, OR: [{ createdAt: { lt: comment.createdAt } }, { createdAt: comment.createdAt, id: { lt: comment.id } }] },
  });
  return Math.floor(before / COMMENTS_PAGE_SIZE) + 1;
}
