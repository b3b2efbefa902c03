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
  nobody: 'Your lists are now private: only you see them (staff, on their own pages).',
  staff: 'Your lists are now visible to you and the staff.',
  members: 'Your lists are now visible to every member.',
};

async function savePrivacy(request: IdRequest, reply: FastifyReply) {
  const user = requireUser(request);
  if (user.id !== parseUserId(request.params.id)) throw AppError.forbidden('Only the member can change their own privacy.');
  const raw = (request.body as Record<string, unknown> | undefined)?.listsVisibleTo;
  const choice = LISTS_VISIBILITY.find((value) => value === raw);
  if (!choice) throw AppError.badRequest('Choose who may see your lists: nobody, staff or all members.');
  await request.server.db.prisma.user.update({ where: { id: user.id }, data: { listsVisibleTo: choice }, select: { id: true } });
  flash(reply, SAVED[choice]);
  return reply.redirect(`/users/${user.id}/settings#privacy`, 303);
}

export async function privacyRoutes(app: FastifyInstance): Promise<void> {
  app.post('/users/:id/privacy', savePrivacy);
}
