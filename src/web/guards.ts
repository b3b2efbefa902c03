// Permission predicates (one canX per action) and route guards for the web side.
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import type { SessionUser } from './session.js';

export type Role = SessionUser['role'];

const RANK: Record<Role, number> = { member: 0, uploader: 1, moderator: 2, admin: 3 };

export const hasRole = (user: Pick<SessionUser, 'role'>, role: Role): boolean => RANK[user.role] >= RANK[role];

export const isStaff = (user: Pick<SessionUser, 'role'> | null): boolean => user !== null && hasRole(user, 'moderator');

/** Moderators act on members and uploaders; only admins act on staff. */
export function canModerate(actor: Pick<SessionUser, 'role' | 'id'>, target: { role: Role; id: number }): boolean {
  if (!hasRole(actor, 'moderator')) return false;
  if (hasRole(target, 'moderator')) return actor.role === 'admin' && actor.id !== target.id;
  return true;
}

export const canSeePeerAddresses = (user: Pick<SessionUser, 'role'> | null): boolean => isStaff(user);
export const canEditSettings = (user: Pick<SessionUser, 'role'>): boolean => user.role === 'admin';
/** The staff-written sections of /rules and /faq: admins, who also set the numbers shown there. */
export const canEditRules = (user: Pick<SessionUser, 'role'>): boolean => user.role === 'admin';

/** The signed-in member, or a 401 that the error handler turns into the login page. */
export function requireUser(request: FastifyRequest): SessionUser {
  if (!request.user) throw new AppError(401, 'errors.logIn');
  return request.user;
}

/**
 * Withdrawn leech rights stop new downloads, but a member may always fetch what they uploaded;
 * the caller also lets through what they finished or are seeding (a query: hasSnatchedOrSeeds),
 * since they need the .torrent to keep seeding it.
 */
export const canDownloadRelease = (user: { id: number; canLeech: boolean }, release: { uploaderId: number | null }): boolean =>
  user.canLeech || release.uploaderId === user.id;
export const canSeeDeletedReleases = (user: Pick<SessionUser, 'role'> | null): boolean => isStaff(user);

// Staff pages (src/web/admin): one predicate per action. Actions on a member also need
// canModerate(actor, target): moderators act on members and uploaders only.
type Actor = Pick<SessionUser, 'role'>;
type Target = { role: Role; id: number };
export const canViewStaffPages = (user: Actor | null): boolean => isStaff(user);
export const canViewModerationLog = (user: Actor): boolean => isStaff(user);
export const canRunPolicyJob = (user: Actor): boolean => isStaff(user);
export const canSearchByIp = (user: Actor): boolean => user.role === 'admin';
export const canWarn = (actor: Pick<SessionUser, 'role' | 'id'>, target: Target): boolean => canModerate(actor, target);
export const canSetLeechRight = (actor: Pick<SessionUser, 'role' | 'id'>, target: Target): boolean => canModerate(actor, target);
export const canDisableAccount = (actor: Pick<SessionUser, 'role' | 'id'>, target: Target): boolean => canModerate(actor, target);
export const canEditTraffic = (actor: Pick<SessionUser, 'role' | 'id'>, target: Target): boolean => canModerate(actor, target);
export const canResetPasskeyOf = (actor: Pick<SessionUser, 'role' | 'id'>, target: Target): boolean => canModerate(actor, target);
export const canGrantInvites = (actor: Pick<SessionUser, 'role' | 'id'>, target: Target): boolean => canModerate(actor, target);
/** A reset link lets its holder into the account: moderators for members, admins for staff. */
export const canIssueResetLink = (actor: Pick<SessionUser, 'role' | 'id'>, target: Target): boolean => canModerate(actor, target);
/** Tokens, personal freeleech and double upload as a gift (docs/members-and-staff.md#the-ratio-economy). */
export const canGivePerks = (actor: Pick<SessionUser, 'role' | 'id'>, target: Target): boolean => canModerate(actor, target);
/** Turning off a member's two-factor login lets a password alone in: the same rule as reset links. */
export const canResetTwoFactorOf = (actor: Pick<SessionUser, 'role' | 'id'>, target: Target): boolean => canModerate(actor, target);
export const canClearHitAndRun = (actor: Pick<SessionUser, 'role' | 'id'>, target: Target): boolean => canModerate(actor, target);
/** Roles are for admins only, and never their own (no locking the last admin out by mistake). */
export const canChangeRole = (actor: Pick<SessionUser, 'role' | 'id'>, target: Target): boolean => actor.role === 'admin' && actor.id !== target.id;
export const canEditRelease = (user: Actor): boolean => isStaff(user);
/** The release page's Edit (/releases/:id/edit): its uploader, and staff. */
export const canEditOwnRelease = (user: Pick<SessionUser, 'role' | 'id'>, release: { uploaderId: number | null }): boolean =>
  isStaff(user) || (release.uploaderId !== null && release.uploaderId === user.id);
export const canSetFreeleech = (user: Actor): boolean => isStaff(user);
export const canDeleteRelease = (user: Actor): boolean => isStaff(user);
export const canSetSiteFreeleech = (user: Actor): boolean => user.role === 'admin';
/** Passkey, RSS token and email on a profile: the owner and staff only. */
export const canSeeSecretsOf = (viewer: Pick<SessionUser, 'id' | 'role'>, profile: { id: number }): boolean =>
  viewer.id === profile.id || isStaff(viewer);

/**
 * A member's seeding, leeching and snatched lists, history and clients on their profile: the
 * member, staff unless the member chose "nobody", and everyone when they chose "members".
 * Staff always see them on the staff member page (docs/members-and-staff.md, "Privacy").
 */
export type ListsVisibility = 'nobody' | 'staff' | 'members';
export function canSeeListsOf(viewer: Pick<SessionUser, 'id' | 'role'>, owner: { id: number; listsVisibleTo: ListsVisibility }): boolean {
  if (viewer.id === owner.id || owner.listsVisibleTo === 'members') return true;
  return owner.listsVisibleTo === 'staff' && isStaff(viewer);
}
/** A name in a release's peer or snatch list: staff see every name (they moderate swarms). */
export const canSeeNameInSwarm = (viewer: Pick<SessionUser, 'id' | 'role'>, owner: { id: number; listsVisibleTo: ListsVisibility }): boolean =>
  isStaff(viewer) || canSeeListsOf(viewer, owner);
