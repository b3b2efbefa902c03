// What the release page's comments section and a member's comment history show: Markdown
// rendered without images, and which comments the viewer may edit.
import type { FastifyInstance } from 'fastify';
import { isStaff } from '../guards.js';
import { renderMarkdown } from '../rules/markdown.js';
import type { SessionUser } from '../session.js';
import { COMMENTS_PAGE_SIZE, listMemberComments, listReleaseComments, type CommentRow } from './queries.js';
import { MAX_COMMENT, withinEditWindow } from './save-comment.js';

export const canEditComment = (viewer: Pick<SessionUser, 'id' | 'role'>, comment: { authorId: number | null; createdAt: Date }, minutes: number, now: number): boolean =>
  isStaff(viewer) || (comment.authorId === viewer.id && withinEditWindow(comment, minutes, now));

function rowView(row: CommentRow, viewer: SessionUser, minutes: number, now: number) {
  return { ...row, html: renderMarkdown(row.body, { breaks: true }), canEdit: canEditComment(viewer, row, minutes, now), byStaff: row.author ? isStaff(row.author) : false };
}

/** The release page's comments: one page of them, the pager and the form's limits. */
export async function releaseCommentsView(app: FastifyInstance, viewer: SessionUser, releaseId: number, page: number) {
  const { total, rows } = await listReleaseComments(app.db.prisma, releaseId, page);
  const minutes = app.settings.get('commentEditMinutes');
  const now = app.clock.now();
  const pages = Math.max(1, Math.ceil(total / COMMENTS_PAGE_SIZE));
  const url = (p: number) => `/releases/${releaseId}?comments=${p}#comments`;
  return {
    total,
    rows: rows.map((row) => rowView(row, viewer, minutes, now)),
    prev: page > 1 ? url(page - 1) : null,
    next: page < pages ? url(page + 1) : null,
    max: MAX_COMMENT,
    editMinutes: minutes,
  };
}

/** A member's latest comments for their profile (the profile-comments partial). */
export async function commentHistoryView(app: FastifyInstance, authorId: number, page: number, pageSize?: number) {
  const { total, rows } = await listMemberComments(app.db.prisma, authorId, page, pageSize);
  return { total, rows: rows.map((row) => ({ ...row, html: renderMarkdown(row.body, { breaks: true }) })) };
}
