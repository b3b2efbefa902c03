// Comments: posted from the release page (POST /releases/:id/comments), edited at
// /comments/:id/edit by their author within the edit window or by staff (with a reason),
// deleted by staff with a reason (POST /comments/:id/delete), and a member's history at
// /users/:id/comments. Comments on a deleted release are as hidden as the release.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { parseId, requireReason, type FormBody } from '../admin/form.js';
import { canSeeDeletedReleases, isStaff, requireUser } from '../guards.js';
import { rawText } from '../inbox/ticket-form.js';
import { flash, render } from '../render.js';
import type { SessionUser } from '../session.js';
import { canEditComment, commentHistoryView } from './comments-view.js';
import { findComment, HISTORY_PAGE_SIZE, pageOfComment, type CommentDetails } from './queries.js';
import { addComment, commentProblem, deleteComment, editComment, MAX_COMMENT } from './save-comment.js';

type IdRequest = FastifyRequest<{ Params: { id: string } }>;
interface FormState { body: string; reason?: string; errors: Record<string, string> }

const pageOf = (raw: unknown): number => (typeof raw === 'string' && /^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : 1);

async function loadComment(request: IdRequest, user: SessionUser): Promise<CommentDetails> {
  const comment = await findComment(request.server.db.prisma, parseId(request.params.id, 'comment'));
  if (!comment || (comment.release.deletedAt && !canSeeDeletedReleases(user))) throw AppError.notFound('There is no comment with that number.');
  return comment;
}

/** A comment that was not posted: its text back in a form, with the reason. */
function rejectedPost(request: IdRequest, reply: FastifyReply, release: { id: number; name: string }, state: FormState) {
  reply.code(400);
  return render(request, reply, 'pages/comments/edit', { title: 'Comment not posted', release, action: `/releases/${release.id}/comments`, values: { body: state.body }, errors: state.errors, max: MAX_COMMENT, isNew: true });
}

async function post(request: IdRequest, reply: FastifyReply) {
  const user = requireUser(request);
  const app = request.server;
  const release = await app.db.prisma.release.findUnique({ where: { id: parseId(request.params.id, 'release') }, select: { id: true, name: true, deletedAt: true } });
  if (!release || (release.deletedAt && !canSeeDeletedReleases(user))) throw AppError.notFound('There is no release with that number.');
  const body = rawText(request.body as FormBody, 'body');
  const problem = commentProblem(body);
  if (problem) return rejectedPost(request, reply, release, { body, errors: { body: problem } });
  const id = await addComment({ prisma: app.db.prisma, releaseId: release.id, authorId: user.id, body, now: new Date(app.clock.now()) });
  const comment = { id, releaseId: release.id, createdAt: new Date(app.clock.now()) };
  return reply.redirect(`/releases/${release.id}?comments=${await pageOfComment(app.db.prisma, comment)}#comment-${id}`, 303);
}

/** Staff changing another member's comment give a reason; an author editing their own does not. */
const needsReason = (user: SessionUser, comment: CommentDetails): boolean => comment.authorId !== user.id;

function requireEditable(request: FastifyRequest, user: SessionUser, comment: CommentDetails): void {
  const app = request.server;
  if (canEditComment(user, comment, app.settings.get('commentEditMinutes'), app.clock.now())) return;
  throw AppError.forbidden(comment.authorId === user.id ? 'The time to edit this comment has passed. Write to the staff if it must change.' : 'Only its author and the staff can edit a comment.');
}

async function editPage(request: IdRequest, reply: FastifyReply, state?: FormState) {
  const user = requireUser(request);
  const comment = await loadComment(request, user);
  requireEditable(request, user, comment);
  if (state) reply.code(400);
  return render(request, reply, 'pages/comments/edit', {
    title: 'Edit comment', release: comment.release, comment, action: `/comments/${comment.id}`,
    values: { body: state?.body ?? comment.body, reason: state?.reason ?? '' }, errors: state?.errors ?? {}, max: MAX_COMMENT,
    needsReason: needsReason(user, comment), canDelete: isStaff(user),
  });
}

async function edit(request: IdRequest, reply: FastifyReply) {
  const user = requireUser(request);
  const comment = await loadComment(request, user);
  requireEditable(request, user, comment);
  const form = request.body as FormBody;
  const state: FormState = { body: rawText(form, 'body'), reason: rawText(form, 'reason').trim(), errors: {} };
  const problem = commentProblem(state.body);
  if (problem) state.errors.body = problem;
  let reason: string | null = null;
  if (needsReason(user, comment)) {
    try {
      reason = requireReason(form, 'reason');
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      state.errors.reason = request.t(error.message, error.params);
    }
  }
  if (Object.keys(state.errors).length > 0) return editPage(request, reply, state);
  const app = request.server;
  await editComment({ prisma: app.db.prisma, comment, actorId: user.id, body: state.body, reason, now: new Date(app.clock.now()) });
  flash(reply, 'Comment saved.');
  return reply.redirect(`/releases/${comment.releaseId}?comments=${await pageOfComment(app.db.prisma, comment)}#comment-${comment.id}`, 303);
}

async function remove(request: IdRequest, reply: FastifyReply) {
  const user = requireUser(request);
  if (!isStaff(user)) throw AppError.forbidden('Only staff can delete comments.');
  const comment = await loadComment(request, user);
  let reason: string;
  try {
    reason = requireReason(request.body as FormBody, 'delete-reason');
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return editPage(request, reply, { body: comment.body, errors: { 'delete-reason': request.t(error.message, error.params) } });
  }
  await deleteComment({ prisma: request.server.db.prisma, comment, actorId: user.id, reason, now: new Date(request.server.clock.now()) });
  flash(reply, 'Comment deleted; the moderation log keeps its text.');
  return reply.redirect(`/releases/${comment.releaseId}#comments`, 303);
}

async function historyPage(request: IdRequest, reply: FastifyReply) {
  requireUser(request);
  const app = request.server;
  const member = await app.db.prisma.user.findUnique({ where: { id: parseId(request.params.id, 'member') }, select: { id: true, username: true } });
  if (!member) throw AppError.notFound('There is no member with that number.');
  const page = pageOf((request.query as Record<string, unknown>).page);
  const history = await commentHistoryView(app, member.id, page);
  const pages = Math.max(1, Math.ceil(history.total / HISTORY_PAGE_SIZE));
  const url = (p: number) => `/users/${member.id}/comments?page=${p}`;
  return render(request, reply, 'pages/users/comments', {
    title: `Comments by ${member.username}`, member, comments: history,
    prev: page > 1 ? url(page - 1) : null, next: page < pages ? url(page + 1) : null,
  });
}

export async function commentRoutes(app: FastifyInstance): Promise<void> {
  app.post('/releases/:id/comments', { config: { rateLimit: { max: 30, timeWindow: '10 minutes' } } }, post);
  app.get('/comments/:id/edit', (request: IdRequest, reply) => editPage(request, reply));
  app.post('/comments/:id', edit);
  app.post('/comments/:id/delete', remove);
  app.get('/users/:id/comments', historyPage);
}
