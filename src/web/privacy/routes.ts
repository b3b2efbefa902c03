// POST /users/:id/privacy: the owner chooses who sees their seeding, leeching and snatched
// lists, history and clients (on the profile, and their name in release peer and snatch
// lists): nobody, staff (the default) or every member. The form is on the settings page.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { requireUser, type ListsVisibility } from '../guards.js';
import { flash } from '../render.js';
import { parseUserId } from '../users/routes.js';

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

export const LISTS_VISIBILITY: readonly ListsVisibility[] = ['nobody', 'staff', 'members'];
const SAVED: Record<ListsVisibility, string> = {
  nobody: 'users.privacy.savedNobody',
  staff: 'users.privacy.savedStaff',
  members: 'users.privacy.savedMembers',
};

async function savePrivacy(request: IdRequest, reply: FastifyReply) {
  const user = requireUser(request);
  if (user.id !== parseUserId(request.params.id)) throw AppError.forbidden('users.privacy.notYours');
  const raw = (request.body as Record<string, unknown> | undefined)?.listsVisibleTo;
  const choice = LISTS_VISIBILITY.find((value) => value === raw);
  if (!choice) throw AppError.badRequest('users.privacy.choose');
  await request.server.db.prisma.user.update({ where: { id: user.id }, data: { listsVisibleTo: choice }, select: { id: true } });
  flash(reply, request.t(SAVED[choice]));
  return reply.redirect(`/users/${user.id}/settings#privacy`, 303);
}

export async function privacyRoutes(app: FastifyInstance): Promise<void> {
  app.post('/users/:id/privacy', savePrivacy);
}
