// Who invited whom. A member sees the members they invited, with their ratios
// (/invites/invitees); staff see the whole tree below any member and the chain of inviters
// above them (/admin/users/:id/invites), because a bad invitee reflects on the inviter.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { requireUser } from '../guards.js';
import { render } from '../render.js';
import { requireStaff } from '../admin/staff-guard.js';
import { parseUserId } from '../users/routes.js';
import { listInviters, listInviteTree } from './tree-queries.js';
import { buildInviteTree } from './tree-view.js';

async function showInvitees(request: FastifyRequest, reply: FastifyReply) {
  const user = requireUser(request);
  const tree = buildInviteTree(await listInviteTree(request.server.db.sql, user.id, 1), request.locale);
  reply.header('Cache-Control', 'private, no-store');
  return render(request, reply, 'pages/invites/invitees', { title: request.t('invites.invitees.title'), tree, invitees: tree.root?.children ?? [] });
}

async function showStaffTree(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) {
  requireStaff(request);
  const app = request.server;
  const id = parseUserId(request.params.id);
  const [rows, inviters] = await Promise.all([listInviteTree(app.db.sql, id), listInviters(app.db.sql, id)]);
  if (rows.length === 0) throw AppError.notFound('users.noSuchMember');
  const tree = buildInviteTree(rows, request.locale);
  reply.header('Cache-Control', 'private, no-store');
  return render(request, reply, 'pages/admin/invite-tree', { title: `Invite tree of ${tree.root!.username}`, tree, rootNodes: [tree.root], inviters: [...inviters].reverse() });
}

export async function inviteTreeRoutes(app: FastifyInstance): Promise<void> {
  app.get('/invites/invitees', showInvitees);
  app.get('/admin/users/:id/invites', showStaffTree);
}
