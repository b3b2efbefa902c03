// Who may upload: members of a class with the upload perk, and anyone with the `uploader` role
// or a staff role. A site that restricts uploads clears the perk on the lower classes; the
// uploader role then lets staff pick trusted uploaders. docs/members-and-staff.md#user-classes
import type { FastifyInstance } from 'fastify';
import { classNamed } from '../../policy/economy/user-classes.js';
import { hasRole, type Role } from '../guards.js';

/** Why this member may not upload (a catalog key and its values), or null when they may. */
export async function uploadRefusal(app: FastifyInstance, userId: number): Promise<{ key: string; params?: Record<string, unknown> } | null> {
  const me = await app.db.prisma.user.findUnique({ where: { id: userId }, select: { role: true, userClass: true } });
  if (!me) return { key: 'users.noSuchMember' };
  if (hasRole({ role: me.role as Role }, 'uploader')) return null;
  const ladder = app.settings.get('userClasses');
  if (classNamed(ladder, me.userClass).mayUpload) return null;
  const open = ladder.filter((c) => c.mayUpload).map((c) => c.name);
  if (open.length === 0) return { key: 'upload.refusal.uploadersOnly', params: { own: me.userClass } };
  return { key: 'upload.refusal.classes', params: { classes: open.join(', '), own: me.userClass } };
}
