// Names the staff pages show for values stored as codes (roles, log actions, traffic rules,
// report kinds, shop kinds) and for the default class ladder, in the reader's language
// (docs/i18n.md). Stored values stay as they are: a class name staff typed is shown as typed.
import type { Translate } from '../../i18n/index.js';
import { DEFAULT_CLASSES } from '../../policy/economy/user-classes.js';

/** Every action the moderation log records (src/policy/moderation-log.ts callers). */
export const LOG_ACTIONS = [
  'bonus_exchange', 'change_role', 'class_demote', 'class_promote', 'comment_delete', 'comment_edit', 'delete_release', 'disable',
  'edit_release', 'edit_traffic', 'enable', 'give_perks', 'grant_invites', 'hnr_clear', 'hnr_forgive', 'hnr_mark', 'issue_reset_link',
  'leech_restore', 'leech_withdraw', 'message_member', 'news_add', 'news_delete', 'news_edit', 'report_resolve', 'reset_passkey',
  'reset_two_factor', 'rules_section_add', 'rules_section_delete', 'rules_section_edit', 'set_freeleech', 'settings_change',
  'site_freeleech_end', 'site_freeleech_start', 'ticket_assign', 'warn', 'watch_end', 'watch_start',
] as const;

const known = (list: readonly string[], value: string): boolean => list.includes(value);

/** A log action in the reader's language; an action this list lacks shows as stored. */
export const logActionLabel = (t: Translate, action: string): string => (known(LOG_ACTIONS, action) ? t(`admin.log.actions.${action}`) : action);

const ROLE_KEYS: Record<string, string> = {
  member: 'admin.roles.member', uploader: 'admin.roles.uploader', moderator: 'admin.roles.moderator', admin: 'admin.roles.admin',
};
export const roleLabel = (t: Translate, role: string): string => (ROLE_KEYS[role] ? t(ROLE_KEYS[role]) : role);

/** The default ladder's names (src/policy/economy/user-classes.ts), in its order. */
const CLASS_KEYS = ['admin.classNames.user', 'admin.classNames.member', 'admin.classNames.powerUser', 'admin.classNames.elite', 'admin.classNames.torrentMaster'];

/** A default class's name translated; a name the staff chose is theirs, shown as typed. */
export function classLabel(t: Translate, name: string): string {
  const index = DEFAULT_CLASSES.findIndex((c) => c.name === name);
  return index >= 0 && CLASS_KEYS[index] ? t(CLASS_KEYS[index]) : name;
}

const MODE_KEYS: Record<string, string> = {
  normal: 'admin.modes.normal', freeleech: 'admin.modes.freeleech', neutral: 'admin.modes.neutral', double_upload: 'admin.modes.double_upload',
};
export const modeLabel = (t: Translate, mode: string): string => (MODE_KEYS[mode] ? t(MODE_KEYS[mode]) : mode);

const REPORT_KIND_KEYS: Record<string, string> = {
  dupe: 'admin.reports.kinds.dupe', fake: 'admin.reports.kinds.fake', broken: 'admin.reports.kinds.broken', rules: 'admin.reports.kinds.rules', member: 'admin.reports.kinds.member',
};
const REPORT_STATUS_KEYS: Record<string, string> = { open: 'admin.reports.statuses.open', claimed: 'admin.reports.statuses.claimed', resolved: 'admin.reports.statuses.resolved' };
export const reportKindLabel = (t: Translate, kind: string): string => (REPORT_KIND_KEYS[kind] ? t(REPORT_KIND_KEYS[kind]) : kind);
/** The catalog key naming a report kind (its code when it has none), for texts stored with keys. */
export const reportKindKey = (kind: string): string => REPORT_KIND_KEYS[kind] ?? kind;
export const reportStatusLabel = (t: Translate, status: string): string => (REPORT_STATUS_KEYS[status] ? t(REPORT_STATUS_KEYS[status]) : status);

const TICKET_KIND_KEYS: Record<string, string> = {
  member: 'admin.inbox.kinds.member', appeal: 'admin.inbox.kinds.appeal', staff: 'admin.inbox.kinds.staff', report: 'admin.inbox.kinds.report',
};
export const ticketKindLabel = (t: Translate, kind: string): string => (TICKET_KIND_KEYS[kind] ? t(TICKET_KIND_KEYS[kind]) : kind);

const SHOP_KIND_KEYS: Record<string, string> = {
  upload: 'admin.shop.kinds.upload', token: 'admin.shop.kinds.token', invite: 'admin.shop.kinds.invite',
  personal_freeleech: 'admin.shop.kinds.personal_freeleech', double_upload: 'admin.shop.kinds.double_upload',
};
export const shopKindLabel = (t: Translate, kind: string): string => (SHOP_KIND_KEYS[kind] ? t(SHOP_KIND_KEYS[kind]) : kind);
