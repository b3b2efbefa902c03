// Every /admin page is for staff (moderators and admins); anyone else gets a 403 page.
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { canViewStaffPages, requireUser } from '../guards.js';
import type { SessionUser } from '../session.js';

export function requireStaff(request: FastifyRequest): SessionUser {
  const user = requireUser(request);
  if (!canViewStaffPages(user)) throw AppError.forbidden('admin.errors.staffOnly');
  return user;
}

export function requireAllowed(allowed: boolean, message = 'errors.forbidden'): void {
  if (!allowed) throw AppError.forbidden(message);
}
