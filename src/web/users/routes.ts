// Member profiles and the owner's own settings: /users/:id (members only), the passkey and RSS
// token resets, and /users/:id/settings (announce tiers, email, password). Every POST passes
// the web context's CSRF check first.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { requireUser } from '../guards.js';
import { ANNOUNCE_TIERS, type AnnounceTiers } from '../releases/build-download.js';
import { flash, render } from '../render.js';
import { createSession, type SessionUser } from '../session.js';
import { commentHistoryView } from '../comments/comments-view.js';
import { changePassword } from './change-password.js';
import { profileView } from './profile-view.js';
import { findAccount, findProfile } from './queries.js';
import { resetPasskey } from './reset-passkey.js';
import { resetRssToken } from './reset-rss-token.js';
import { updateMemberSettings } from './update-member-settings.js';

type IdRequest = FastifyRequest<{ Params: { id: string }; Querystring: Record<string, string | undefined> }>;

/** ?uploads=<page>: 1 when missing or not a page number (a bad page shows the first). */
function uploadsPageOf(request: IdRequest): number {
  const raw = request.query?.uploads;
  return typeof raw === 'string' && /^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : 1;
}
type Body = Record<string, unknown>;

const text = (body: Body | undefined, name: string, max = 300): string => {
  const value = body?.[name];
  return typeof value === 'string' ? value.slice(0, max) : '';
};

export function parseUserId(raw: string): number {
  if (!/^\d{1,9}$/.test(raw) || Number(raw) === 0) throw AppError.notFound('users.noSuchMember');
  return Number(raw);
}

/** Settings, resets and password are the owner's alone (staff use /admin/users/:id). */
function requireOwner(request: IdRequest): SessionUser {
  const user = requireUser(request);
  const id = parseUserId(request.params.id);
  if (user.id !== id) throw AppError.forbidden('users.ownerOnly');
  return user;
}

async function showProfile(request: IdRequest, reply: FastifyReply) {
  const viewer = requireUser(request);
  const app = request.server;
  const profile = await findProfile(app.db.prisma, parseUserId(request.params.id));
  if (!profile) throw AppError.notFound('users.noSuchMember');
  const [view, comments] = await Promise.all([profileView(app, viewer, profile, uploadsPageOf(request), request.locale), commentHistoryView(app, profile.id, 1, 5)]);
  reply.header('Cache-Control', 'private, no-store');
  return render(request, reply, 'pages/users/profile', { title: profile.username, ...view, comments });
}

async function showSettings(request: IdRequest, reply: FastifyReply, state: { errors?: Record<string, string>; values?: Record<string, unknown> } = {}) {
  const user = requireOwner(request);
  const account = await findAccount(request.server.db.prisma, user.id);
  if (!account) throw AppError.notFound('users.noSuchMember');
  const values = { email: account.email ?? '', announceTiers: account.announceTiers as string, ...state.values };
  const tiers = tierChoices(values.announceTiers);
  const udpEnabled = request.server.config.udpEnabled;
  const mailEnabled = request.server.mailer !== null;
  return render(request, reply, 'pages/users/settings', { title: request.t('users.settings.title'), account, values, tiers, udpEnabled, mailEnabled, errors: state.errors ?? {} });
}

/** catalog keys, printed with {{t label}} */
const TIER_LABELS: Record<AnnounceTiers, string> = {
  http_only: 'users.settings.tiers.http_only',
  http_then_udp: 'users.settings.tiers.http_then_udp',
  udp_first: 'users.settings.tiers.udp_first',
};

/** The radio buttons of the announce tiers, `checked` the member's current choice. */
function tierChoices(checked: string) {
  return ANNOUNCE_TIERS.map((value) => ({ value, label: TIER_LABELS[value], checked: value === checked }));
}

/** A 4xx AppError goes back to the form beside its field; anything else propagates. */
function fieldErrorOf(request: FastifyRequest, error: unknown, fallback: string): { status: number; errors: Record<string, string> } {
  if (error instanceof AppError && error.statusCode < 500) return { status: error.statusCode, errors: { [error.field ?? fallback]: request.t(error.message, error.params) } };
  throw error;
}

async function saveSettings(request: IdRequest, reply: FastifyReply) {
  const user = requireOwner(request);
  const body = request.body as Body | undefined;
  const settings = { announceTiers: text(body, 'announceTiers', 20), email: text(body, 'email', 300) };
  try {
    await updateMemberSettings({ prisma: request.server.db.prisma, userId: user.id, settings });
  } catch (error) {
    const { status, errors } = fieldErrorOf(request, error, 'email');
    reply.code(status);
    return showSettings(request, reply, { errors, values: settings });
  }
  flash(reply, request.t('users.settings.saved'));
  return reply.redirect(`/users/${user.id}/settings`, 303);
}

async function savePassword(request: IdRequest, reply: FastifyReply) {
  const user = requireOwner(request);
  const app = request.server;
  const body = request.body as Body | undefined;
  try {
    await changePassword({
      prisma: app.db.prisma,
      userId: user.id,
      current: text(body, 'current'),
      password: text(body, 'password'),
      confirm: text(body, 'confirm'),
    });
  } catch (error) {
    const { status, errors } = fieldErrorOf(request, error, 'current');
    reply.code(status);
    return showSettings(request, reply, { errors });
  }
  const secure = app.config.baseUrl.startsWith('https:');
  await createSession(app.db.prisma, reply, { userId: user.id, ip: request.ip, userAgent: request.headers['user-agent'], secure, now: app.clock.now() });
  flash(reply, request.t('users.settings.passwordChanged'));
  return reply.redirect(`/users/${user.id}/settings`, 303);
}

/** A reset breaks every .torrent the member holds: the profile's button leads here first. */
async function confirmPasskeyReset(request: IdRequest, reply: FastifyReply) {
  const user = requireOwner(request);
  return render(request, reply, 'pages/users/reset-passkey', { title: request.t('users.passkey.title'), userId: user.id });
}

async function postPasskeyReset(request: IdRequest, reply: FastifyReply) {
  const user = requireOwner(request);
  if (text(request.body as Body | undefined, 'confirm', 10) !== 'yes') return reply.redirect(`/users/${user.id}/passkey`, 303);
  await resetPasskey({ app: request.server, userId: user.id });
  flash(reply, request.t('users.passkey.done'));
  return reply.redirect(`/users/${user.id}#secrets`, 303);
}

async function postRssReset(request: IdRequest, reply: FastifyReply) {
  const user = requireOwner(request);
  await resetRssToken({ prisma: request.server.db.prisma, userId: user.id });
  flash(reply, request.t('users.rssReset'));
  return reply.redirect(`/users/${user.id}#secrets`, 303);
}

export async function userRoutes(app: FastifyInstance): Promise<void> {
  const resetLimit = { rateLimit: { max: 10, timeWindow: '1 minute' } };
  app.get('/users/:id', showProfile);
  app.get('/users/:id/passkey', confirmPasskeyReset);
  app.post('/users/:id/passkey', { config: resetLimit }, postPasskeyReset);
  app.post('/users/:id/rss-token', { config: resetLimit }, postRssReset);
  app.get('/users/:id/settings', (request: IdRequest, reply) => showSettings(request, reply));
  app.post('/users/:id/settings', saveSettings);
  // Each attempt costs an argon2 verify and guesses the current password: keep it slow.
  app.post('/users/:id/password', { config: { rateLimit: { max: 10, timeWindow: '10 minutes' } } }, savePassword);
}
