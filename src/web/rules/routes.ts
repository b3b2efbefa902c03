// /rules and /faq: generated from the live settings (rules-view.ts) plus the staff-written
// Markdown sections; anyone may read them, logged in or not (a refused client's user follows
// the tracker's link here). /admin/rules is where admins write those sections.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { parseId, requireReason, text, type FormBody } from '../admin/form.js';
import { requireAllowed, requireStaff } from '../admin/staff-guard.js';
import { canEditRules } from '../guards.js';
import { flash, render } from '../render.js';
import { renderMarkdown } from './markdown.js';
import { rulesView } from './rules-view.js';
import { parseSectionForm, MAX_BODY, MAX_TITLE, type ParsedSection } from './section-form.js';
import { LANGUAGE_NAMES, LOCALES, isLocale } from '../../i18n/index.js';
import { listSections } from './section-queries.js';
import { renderedSections } from './rendered-sections.js';
import { loadLiveRules } from './settings-queries.js';
import { createSection, deleteSection, updateSection } from './save-section.js';

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

async function publicPage(request: FastifyRequest, reply: FastifyReply, page: 'rules' | 'faq') {
  const app = request.server;
  const [live, sections] = await Promise.all([loadLiveRules(app), renderedSections(app, page, request.locale)]);
  return render(request, reply, `pages/${page}`, {
    title: request.t(page === 'rules' ? 'rules.title' : 'faq.title'),
    rules: rulesView(live, request.locale, request.t),
    sections,
    canEdit: request.user !== null && canEditRules(request.user),
  });
}

/** A rejected form: which one (`new` or a section id), what was typed (none: the stored values), why. */
interface Rejected {
  key: string;
  form?: ParsedSection['form'];
  errors: Record<string, string>;
  /** the body rendered, when the admin asked for a preview instead of saving */
  preview?: string;
}

/** A section's page as the editor names it, and as the "added to the …" message does. */
const PAGE_LABELS: Record<string, string> = { rules: 'admin.rules.pages.rules', faq: 'admin.rules.pages.faq', guide: 'admin.rules.pages.guide' };
const ADDED_TO: Record<string, string> = { rules: 'admin.rules.addedTo.rules', faq: 'admin.rules.addedTo.faq', guide: 'admin.rules.addedTo.guide' };

/** The editor: a form per section, and one to add a section; `failed` puts a rejected form back. */
async function editorPage(request: FastifyRequest, reply: FastifyReply, failed?: Rejected) {
  const user = requireStaff(request);
  requireAllowed(canEditRules(user), 'admin.errors.adminsRules');
  const sections = await listSections(request.server.db.prisma);
  const formFor = (key: string, fallback: Record<string, string>) =>
    failed?.key === key
      ? { values: failed.form ?? fallback, errors: failed.errors, failed: Object.keys(failed.errors).length > 0, preview: failed.preview }
      : { values: fallback, errors: {}, failed: false };
  const titles = new Map(sections.map((s) => [s.id, s.title]));
  const forms = sections.map((s) => ({
    id: s.id, key: String(s.id), title: s.title, page: s.page, pageLabel: request.t(PAGE_LABELS[s.page]),
    translation: s.translationOfId === null ? null : { language: isLocale(s.locale) ? LANGUAGE_NAMES[s.locale] : s.locale, of: titles.get(s.translationOfId) },
    ...formFor(String(s.id), { page: s.page, title: s.title, body: s.body, position: String(s.position), reason: '' }),
  }));
  const originals = sections.filter((s) => s.translationOfId === null).map((s) => ({ id: s.id, title: s.title, page: s.page, pageLabel: request.t(PAGE_LABELS[s.page]) }));
  const languages = LOCALES.map((code) => ({ code, name: LANGUAGE_NAMES[code] }));
  if (failed && Object.keys(failed.errors).length > 0) reply.code(400);
  return render(request, reply, 'pages/admin/rules', {
    title: request.t('admin.rules.title'),
    forms,
    added: formFor('new', { page: 'rules', title: '', body: '', position: '0', reason: '', locale: '', translationOf: '' }),
    originals,
    languages,
    siteLanguage: LANGUAGE_NAMES[request.server.settings.get('defaultLocale')],
    limits: { title: MAX_TITLE, body: MAX_BODY },
  });
}

/** "Preview" shows the rendered body under its form and saves nothing (no reason needed). */
function previewOf(body: FormBody | undefined, key: string, parsed: ParsedSection): Rejected | null {
  if (text(body, 'preview') !== 'yes') return null;
  const { reason: _reason, ...errors } = parsed.errors;
  return { key, form: parsed.form, errors, preview: errors.body ? undefined : renderMarkdown(parsed.form.body) };
}

async function addSection(request: FastifyRequest, reply: FastifyReply) {
  const actor = requireStaff(request);
  requireAllowed(canEditRules(actor), 'admin.errors.adminsRules');
  const parsed = parseSectionForm(request.body as FormBody, request.t, request.locale);
  const preview = previewOf(request.body as FormBody, 'new', parsed);
  if (preview) return editorPage(request, reply, preview);
  if (!parsed.values) return editorPage(request, reply, { key: 'new', form: parsed.form, errors: parsed.errors });
  let id: number;
  try {
    id = await createSection({ app: request.server, actorId: actor.id, reason: parsed.reason, values: parsed.values });
  } catch (error) {
    // no such section to translate, or a translation into that language already there
    if (!(error instanceof AppError) || error.statusCode >= 500 || !error.field) throw error;
    return editorPage(request, reply, { key: 'new', form: parsed.form, errors: { [error.field]: request.t(error.message, error.params) } });
  }
  flash(reply, request.t('admin.rules.added', { title: parsed.values.title, page: request.t(ADDED_TO[parsed.values.page]) }));
  return reply.redirect(`/admin/rules#section-${id}`, 303);
}

async function editSection(request: IdRequest, reply: FastifyReply) {
  const actor = requireStaff(request);
  requireAllowed(canEditRules(actor), 'admin.errors.adminsRules');
  const id = parseId(request.params.id, 'section');
  const parsed = parseSectionForm(request.body as FormBody, request.t, request.locale);
  const preview = previewOf(request.body as FormBody, String(id), parsed);
  if (preview) return editorPage(request, reply, preview);
  if (!parsed.values) return editorPage(request, reply, { key: String(id), form: parsed.form, errors: parsed.errors });
  await updateSection({ app: request.server, actorId: actor.id, reason: parsed.reason, id, values: parsed.values });
  flash(reply, request.t('admin.rules.saved', { title: parsed.values.title }));
  return reply.redirect(`/admin/rules#section-${id}`, 303);
}

async function removeSection(request: IdRequest, reply: FastifyReply) {
  const actor = requireStaff(request);
  requireAllowed(canEditRules(actor), 'admin.errors.adminsRules');
  const id = parseId(request.params.id, 'section');
  let reason: string;
  try {
    reason = requireReason(request.body as FormBody, 'delete-reason');
  } catch (error) {
    if (!(error instanceof AppError) || error.statusCode !== 400) throw error;
    return editorPage(request, reply, { key: String(id), errors: { 'delete-reason': request.t(error.message, error.params) } });
  }
  await deleteSection({ app: request.server, actorId: actor.id, reason, id });
  flash(reply, request.t('admin.rules.deleted'));
  return reply.redirect('/admin/rules', 303);
}

export async function rulesRoutes(app: FastifyInstance): Promise<void> {
  app.get('/rules', (request, reply) => publicPage(request, reply, 'rules'));
  app.get('/faq', (request, reply) => publicPage(request, reply, 'faq'));
  app.get('/admin/rules', (request, reply) => editorPage(request, reply));
  app.post('/admin/rules', addSection);
  app.post('/admin/rules/:id', editSection);
  app.post('/admin/rules/:id/delete', removeSection);
}
