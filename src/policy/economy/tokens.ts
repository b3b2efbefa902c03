// Freeleech tokens, personal freeleech and double upload: the rules a purchase, a spend and the
// monthly class grant follow. The tracker core applies the result (src/tracker/core/perks.ts).
// docs/members-and-staff.md#freeleech-tokens
import { refusal, type Refusal } from './refusal.js';
import type { UserClass } from './user-classes.js';

const HOUR_MS = 3_600_000;

export type ReleaseMode = 'normal' | 'freeleech' | 'neutral' | 'double_upload';

export interface TokenSpendState {
  tokens: number;
  releaseMode: ReleaseMode;
  siteFreeleech: boolean;
  /** end of the member's personal freeleech, if any */
  personalFreeleechUntil: Date | null;
  /** end of a token already spent on this release, if any */
  tokenExpiresAt: Date | null;
  releaseDeleted: boolean;
}

/** Why a token cannot be spent on this release now, or null when it can. */
export function tokenRefusal(state: TokenSpendState, now: number): Refusal | null {
  if (state.releaseDeleted) return refusal('shop.token.deleted');
  if (state.releaseMode === 'freeleech' || state.releaseMode === 'neutral') return refusal('shop.token.releaseFree');
  if (state.siteFreeleech) return refusal('shop.token.siteFree');
  if (state.personalFreeleechUntil && state.personalFreeleechUntil.getTime() > now) return refusal('shop.token.personalFree');
  if (state.tokenExpiresAt && state.tokenExpiresAt.getTime() > now) return refusal('shop.token.already');
  if (state.tokens < 1) return refusal('shop.token.none');
  return null;
}

/** A token spent now is honoured until this moment. */
export const tokenExpiry = (now: number, tokenHours: number): Date => new Date(now + tokenHours * HOUR_MS);

export const isActive = (until: Date | number | null | undefined, now: number): boolean =>
  until != null && (typeof until === 'number' ? until : until.getTime()) > now;

/** A timed perk bought or given now: it adds to what is left of a running one. */
export const extendUntil = (current: Date | null, now: number, hours: number): Date =>
  new Date(Math.max(now, current?.getTime() ?? 0) + hours * HOUR_MS);

/** The UTC month (YYYY-MM) a moment falls in: class grants are given once per month. */
export const monthOf = (now: number): string => new Date(now).toISOString().slice(0, 7);

/** What a class gives at the start of each month (or on a member's first job run). */
export const monthlyGrant = (cls: UserClass): { tokens: number; invites: number } => ({ tokens: cls.tokensPerMonth, invites: cls.invitesPerMonth });
