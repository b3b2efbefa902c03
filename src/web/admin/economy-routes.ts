// Admins: the class ladder (/admin/classes) and the bonus shop's items (/admin/shop). Both are
// settings (src/settings.ts: userClasses, shopItems) with their own checks; a save needs a
// reason and is logged like the settings page. The other economy numbers (token length,
// smallest bounty, staff confirmation delay) are on /admin/settings.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { logModeration } from '../../policy/moderation-log.js';
import { ladderProblem, MAX_CLASSES } from '../../policy/economy/user-classes.js';
import { MAX_SHOP_ITEMS, SHOP_KINDS, shopProblem } from '../../policy/economy/shop.js';
import { canEditSettings } from '../guards.js';
import { flash, render } from '../render.js';
import { CLASS_FLAGS, CLASS_NUMBERS, ITEM_NUMBERS, ladderToForm, parseLadder, parseShop, shopToForm, type Parsed } from './economy-forms.js';
import { requireReason, type FormBody } from './form.js';
import { requireAllowed, requireStaff } from './staff-guard.js';
import { shopKindLabel } from './labels.js';
import type { Problem } from '../../settings-kinds.js';

type ListKey = 'userClasses' | 'shopItems';

const PAGES = {
  userClasses: { url: '/admin/classes', view: 'pages/admin/classes', title: 'admin.classes.title', saved: 'admin.classes.saved', rows: MAX_CLASSES, parse: parseLadder, toForm: ladderToForm, problem: ladderProblem },
  shopItems: { url: '/admin/shop', view: 'pages/admin/shop', title: 'admin.shop.title', saved: 'admin.shop.saved', rows: MAX_SHOP_ITEMS, parse: parseShop, toForm: shopToForm, problem: shopProblem },
} as const;

function rowsOf(request: FastifyRequest, key: ListKey, form: Record<string, string>) {
  const names = key === 'userClasses' ? ['name', ...CLASS_NUMBERS] : ['key', 'kind', ...ITEM_NUMBERS];
  const prefix = key === 'userClasses' ? 'c' : 's';
  return Array.from({ length: PAGES[key].rows }, (_, i) => ({
    i, n: i + 1,
    ...Object.fromEntries(names.map((name) => [name, form[`${prefix}${i}_${name}`] ?? ''])),
    ...Object.fromEntries(CLASS_FLAGS.map((flag) => [flag, form[`${prefix}${i}_${flag}`] === 'on'])),
    kinds: SHOP_KINDS.map((kind) => ({ kind, label: shopKindLabel(request.t, kind), selected: form[`${prefix}${i}_kind`] === kind })),
  }));
}

/** The shop's purchase log: the latest purchases of every member. */
const recentPurchases = (request: FastifyRequest) =>
  request.server.db.prisma.creditLog.findMany({
    where: { kind: 'shop' }, orderBy: { id: 'desc' }, take: 100,
    select: { item: true, points: true, note: true, createdAt: true, user: { select: { id: true, username: true } } },
  });

/** A problem in the reader's language; a column named by its catalog key is said too. */
function say(request: FastifyRequest, problem: Problem): string {
  const params: Record<string, unknown> = { ...problem.params };
  if (typeof params.column === 'string') params.column = request.t(params.column);
  return request.t(problem.key, params);
}

async function page(request: FastifyRequest, reply: FastifyReply, key: ListKey, form: Record<string, string>, problem?: Problem) {
  const actor = requireStaff(request);
  requireAllowed(canEditSettings(actor), 'admin.errors.adminsEconomy');
  if (problem) reply.code(400);
  const purchases = key === 'shopItems' ? await recentPurchases(request) : [];
  const error = problem ? say(request, problem) : undefined;
  return render(request, reply, PAGES[key].view, { title: request.t(PAGES[key].title), rows: rowsOf(request, key, form), error, reason: form.reason ?? '', purchases });
}

async function save(request: FastifyRequest, reply: FastifyReply, key: ListKey) {
  const actor = requireStaff(request);
  requireAllowed(canEditSettings(actor), 'admin.errors.adminsEconomy');
  const body = (request.body ?? {}) as FormBody;
  const parsed = (PAGES[key].parse as (b: FormBody) => Parsed<unknown[]>)(body);
  const checked = 'problem' in parsed ? null : (PAGES[key].problem as (v: unknown[]) => Problem | null)(parsed.value);
  // the policy's own checks speak English for now: shown as written
  const problem: Problem | null = 'problem' in parsed ? parsed.problem : checked;
  let reason = '';
  try {
    reason = requireReason(body, 'reason');
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return page(request, reply, key, { ...parsed.form, reason: '' }, problem ?? { key: error.message, params: error.params });
  }
  if (problem || !('value' in parsed)) return page(request, reply, key, { ...parsed.form, reason }, problem ?? undefined);
  const app = request.server;
  const before = app.settings.get(key);
  await app.settings.update({ [key]: parsed.value } as never);
  await logModeration(app.db.prisma, { actorId: actor.id, action: 'settings_change', reason, details: { [key]: { from: before, to: parsed.value } }, at: new Date(app.clock.now()) });
  flash(reply, request.t(PAGES[key].saved));
  return reply.redirect(PAGES[key].url, 303);
}

export async function economyAdminRoutes(app: FastifyInstance): Promise<void> {
  for (const key of Object.keys(PAGES) as ListKey[]) {
    app.get(PAGES[key].url, (request, reply) => page(request, reply, key, PAGES[key].toForm(app.settings.get(key) as never)));
    app.post(PAGES[key].url, (request, reply) => save(request, reply, key));
  }
}
