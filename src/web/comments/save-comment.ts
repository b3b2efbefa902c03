// Writing comments: a member adds one; its author edits it within the edit window (the
// commentEditMinutes setting); staff edit or delete any, with a reason, logged with the text
// as it was (the log keeps what a deleted comment said).
import type { PrismaClient } from '../../generated/prisma/client.js';
import { AppError } from '../../errors.js';
import { logModeration } from '../../policy/moderation-log.js';
import type { CommentDetails } from './queries.js';

export const MAX_COMMENT = 5000;
/** the log keeps this much of a comment's text */
const LOGGED_TEXT = 1000;

/** What is wrong with a comment's text, as a catalog key and its values, or null. */
export function commentProblem(body: string): { key: string; params?: Record<string, unknown> } | null {
  if (body.trim().length === 0) return { key: 'comments.errors.empty' };
  if (body.length > MAX_COMMENT) return { key: 'comments.errors.tooLong', params: { max: MAX_COMMENT, length: body.length } };
  return null;
}

/** The author may edit until the window closes; 0 minutes: never. */
export const withinEditWindow = (comment: { createdAt: Date }, minutes: number, now: number): boolean =>
  minutes > 0 && now - comment.createdAt.getTime() < minutes * 60_000;

export async function addComment(options: { prisma: PrismaClient; releaseId: number; authorId: number; body: string; now: Date }): Promise<number> {
  const { prisma, releaseId, authorId, body, now } = options;
  const problem = commentProblem(body);
  if (problem) throw AppError.badRequest(problem.key, 'body', problem.params);
  const row = await prisma.comment.create({ data: { releaseId, authorId, body, createdAt: now }, select: { id: true } });
  return row.id;
}

interface Edit {
  prisma: PrismaClient;
  comment: CommentDetails;
  actorId: number;
  body: string;
  now: Date;
  /** staff editing someone else's comment: required, and logged */
  reason: string | null;
}

export async function editComment(options: Edit): Promise<void> {
  const { prisma, comment, actorId, body, now, reason } = options;
  const problem = commentProblem(body);
  if (problem) throw AppError.badRequest(problem.key, 'body', problem.params);
  await prisma.$transaction(async (tx) => {
    await tx.comment.update({ where: { id: comment.id }, data: { body, editedAt: now } });
    if (reason !== null) {
      await logModeration(tx, {
        actorId, targetUserId: comment.authorId, releaseId: comment.releaseId, action: 'comment_edit', reason,
        details: { comment: comment.id, before: comment.body.slice(0, LOGGED_TEXT) }, at: now,
      });
    }
  });
}

export async function deleteComment(options: { prisma: PrismaClient; comment: CommentDetails; actorId: number; reason: string; now: Date }): Promise<void> {
  const { prisma, comment, actorId, reason, now } = options;
  await prisma.$transaction(async (tx) => {
    await tx.comment.delete({ where: { id: comment.id } });
    await logModeration(tx, {
      actorId, targetUserId: comment.authorId, releaseId: comment.releaseId, action: 'comment_delete', reason,
      details: { comment: comment.id, text: comment.body.slice(0, LOGGED_TEXT) }, at: now,
    });
  });
}
