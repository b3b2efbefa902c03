// Who may upload: members of a class with the upload perk, and anyone with the `uploader` role
// or a staff role. A site that restricts uploads clears the perk on the lower classes; the
// uploader role then lets staff pick trusted uploaders. docs/members-and-staff.md#user-classes
import type { FastifyInstance } from 'fastify';
import { classNamed } from '../../policy/economy/user-classes.js';
import { hasRole, type Role } from '../guards.js';

/** Why this member may not upload, or null when they may. */
export async function uploadRefusal(app: FastifyInstance, userId: number): Promise<string | null> {
  const me = await app.db.prisma.user.findUnique({ where: { id: userId }, select: { role: true, userClass: true } });
  if (!me) return 'There is no such member.';
  if (hasRole({ role: me.role as Role }, 'uploader')) return null;
  const ladder = app.settings.get('userClasses');
  if (classNamed(ladder, me.userClass).mayUpload) return null;
  const open = ladder.filter((c) => c.mayUpload).map((c) => c.name);
  return `Uploading is open to ${open.length > 0 ? `the classes ${open.join(', ')} and ` : ''}members with the uploader role; you are in the class ${me.userClass}. See the rules on classes.`;
}
