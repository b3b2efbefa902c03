// Edit a release's name, category, description and media ids: staff on any release
// (/admin/releases/:id), an uploader on their own (/releases/:id/edit). Logged, and the tracker's
// catalog learns the change at once.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { nameIssue } from '../../torrents/index.js';
import { logModeration } from '../../policy/moderation-log.js';
import type { MediaIds } from '../api/media-ids.js';
import type { Actor } from './action-target.js';

export const MAX_RELEASE_NAME = 255;
export const MAX_RELEASE_DESCRIPTION = 20_000;

export interface ReleaseEdit extends Partial<MediaIds> {
  name: string;
  categoryId: number;
  description: string;
}

export async function editRelease(options: { app: FastifyInstance; actor: Actor; releaseId: number; edit: ReleaseEdit; reason: string }): Promise<void> {
  const { app, actor, releaseId, edit, reason } = options;
  const prisma = app.db.prisma;
  if (edit.name.length === 0) throw AppError.badRequest('releases.editForm.noName', 'name');
  if (edit.name.length > MAX_RELEASE_NAME) throw AppError.badRequest('upload.nameTooLong', 'name', { max: MAX_RELEASE_NAME });
  const issue = nameIssue(edit.name);
  if (issue) throw AppError.badRequest(`upload.nameIssues.${issue.issue}`, 'name', { detail: issue.detail });
  if (edit.description.length > MAX_RELEASE_DESCRIPTION) throw AppError.badRequest('releases.editForm.descriptionTooLong', 'description', { max: MAX_RELEASE_DESCRIPTION });
  const category = await prisma.category.findUnique({ where: { id: edit.categoryId }, select: { id: true } });
  if (!category) throw AppError.badRequest('upload.noCategory', 'category');
  const before = await prisma.release.findUnique({ where: { id: releaseId }, select: { name: true, categoryId: true } });
  if (!before) throw AppError.notFound('releases.notFound');
  await prisma.$transaction(async (tx) => {
    await tx.release.update({ where: { id: releaseId }, data: edit });
    await logModeration(tx, { actorId: actor.id, releaseId, action: 'edit_release', reason, details: { before, after: { name: edit.name, categoryId: edit.categoryId } }, at: new Date(app.clock.now()) });
  });
  await app.tracker.syncRelease(releaseId);
}
