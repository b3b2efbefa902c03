// The member page's action forms: POST /admin/users/:id/<action>. Each entry reads its form
// and calls its one service; every action requires a reason and is logged by the service.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import type { Actor } from './action-target.js';
import { changeMemberRole } from './change-member-role.js';
import { clearHitAndRun } from './clear-hit-and-run.js';
import { editMemberTraffic } from './edit-member-traffic.js';
import { parseByteAmount, parseWholeNumber, requireReason, text, type FormBody } from './form.js';
import { issueResetLink } from '../auth/recovery/issue-reset-link.js';
import { givePerks } from './give-perks.js';
import { grantInvites } from './grant-invites.js';
import { resetMemberPasskey } from './reset-member-passkey.js';
import { resetMemberTwoFactor } from '../two-factor/reset-member-two-factor.js';
import { setAccountEnabled } from './set-account-enabled.js';
import { setLeechRight } from './set-leech-right.js';
import { warnMember } from './warn-member.js';

interface ActionContext {
  app: FastifyInstance;
  actor: Actor;
  targetId: number;
  body: FormBody;
}

/** The flash message: a catalog key and its values, said in the staff member's language. */
export interface Said {
  key: string;
  params?: Record<string, unknown>;
}

type MemberAction = (ctx: ActionContext) => Promise<Said>;

const said = (key: string, params?: Record<string, unknown>): Said => ({ key, params });

/** Field names are prefixed with the action, so each form's errors land beside its own field. */
const reasonOf = (action: string, body: FormBody): string => requireReason(body, `${action}-reason`);

/**
 * The amount typed, or null when the field still holds what the page showed: a rounded
 * "114.98 GiB" left alone must not overwrite the exact total.
 */
function bytesField(body: FormBody, field: string): bigint | null {
  const raw = text(body, field);
  if (raw !== '' && raw === text(body, `${field}-shown`)) return null;
  const value = parseByteAmount(raw);
  if (value === null) throw AppError.badRequest('admin.errors.amount', field);
  return value;
}

export const MEMBER_ACTIONS: Record<string, MemberAction> = {
  async warn({ app, actor, targetId, body }) {
    const raw = text(body, 'warn-days');
    const days = raw === '' ? null : parseWholeNumber(raw, 'warn-days', 1, 365);
    await warnMember({ app, actor, targetId, reason: reasonOf('warn', body), days });
    return said('admin.user.warn.done');
  },
  async leech({ app, actor, targetId, body }) {
    const allow = text(body, 'allow') === 'true';
    await setLeechRight({ app, actor, targetId, allow, reason: reasonOf('leech', body) });
    return said(allow ? 'admin.user.leech.restored' : 'admin.user.leech.withdrawn');
  },
  async enabled({ app, actor, targetId, body }) {
    const enabled = text(body, 'enabled') === 'true';
    await setAccountEnabled({ app, actor, targetId, enabled, reason: reasonOf('enabled', body) });
    return said(enabled ? 'admin.user.enabled.enabledDone' : 'admin.user.enabled.disabledDone');
  },
  async traffic({ app, actor, targetId, body }) {
    const uploaded = bytesField(body, 'traffic-uploaded');
    const downloaded = bytesField(body, 'traffic-downloaded');
    await editMemberTraffic({ app, actor, targetId, uploaded, downloaded, reason: reasonOf('traffic', body) });
    return said('admin.user.traffic.done');
  },
  async passkey({ app, actor, targetId, body }) {
    await resetMemberPasskey({ app, actor, targetId, reason: reasonOf('passkey', body) });
    return said('admin.user.passkeyReset.done');
  },
  async 'reset-link'({ app, actor, targetId, body }) {
    const link = await issueResetLink({ app, actor, targetId, reason: reasonOf('reset-link', body) });
    // Shown once (the flash message is read and cleared by the next page); the log keeps no token.
    return said('admin.user.resetLink.done', { link });
  },
  async 'two-factor'({ app, actor, targetId, body }) {
    await resetMemberTwoFactor({ app, actor, targetId, reason: reasonOf('two-factor', body) });
    return said('admin.user.twoFactorOff.done');
  },
  async role({ app, actor, targetId, body }) {
    await changeMemberRole({ app, actor, targetId, role: text(body, 'role'), reason: reasonOf('role', body) });
    return said('admin.user.role.done');
  },
  async invites({ app, actor, targetId, body }) {
    const count = parseWholeNumber(text(body, 'invites-count'), 'invites-count', 1, 100);
    await grantInvites({ app, actor, targetId, count, reason: reasonOf('invites', body) });
    return said('admin.user.invites.done', { count });
  },
  async perks({ app, actor, targetId, body }) {
    const number = (field: string, max: number) => (text(body, field) === '' ? 0 : parseWholeNumber(text(body, field), field, 0, max));
    const gift = { tokens: number('perks-tokens', 100), freeleechHours: number('perks-freeleech', 744), doubleUploadHours: number('perks-double', 744) };
    await givePerks({ app, actor, targetId, gift, reason: reasonOf('perks', body) });
    return said('admin.user.perks.done');
  },
  async hnr({ app, actor, targetId, body }) {
    const releaseId = parseWholeNumber(text(body, 'hnr-release'), 'hnr-reason', 1, 999_999_999);
    await clearHitAndRun({ app, actor, targetId, releaseId, reason: reasonOf('hnr', body) });
    return said('admin.user.hnr.done');
  },
};
