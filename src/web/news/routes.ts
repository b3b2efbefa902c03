// /admin/news: staff write the news the home page shows (Markdown, with a preview), edit and
// delete posts; every change needs a reason and is logged. The add form also writes a post's
// translation into one language (docs/i18n.md, "Staff texts per language").
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { LANGUAGE_NAMES, LOCALES, isLocale } from '../../i18n/index.js';
import { parseId, requireReason, text, type FormBody } from '../admin/form.js';
import { requireStaff } from '../admin/staff-guard.js';
import { rawText } from '../inbox/ticket-form.js';
import { flash, render } from '../render.js';
import { renderMarkdown } from '../rules/markdown.js';
import { addNews, deleteNews, editNews, listNews, MAX_NEWS_BODY, MAX_NEWS_TITLE, newsProblems, type NewsTranslation, type NewsValues } from './news.js';

type IdRequest = FastifyRequest<{ Params: { id: string } }>;
/** A form sent back: which one (`new` or a post id), what was typed, the problems, a preview. */
interface Rejected { key: string; values: Record<string, string>; errors: Record<string, string>; preview?: string }

async function newsPage(request: FastifyRequest, reply: FastifyReply, failed?: Rejected) {
  requireStaff(request);
  const posts = await listNews(request.server.db.prisma, 50);
  const formFor = (key: string, fallback: Record<string, string>) =>
    failed?.key === key ? { values: Object.keys(failed.values).length > 0 ? failed.values : fallback, errors: failed.errors, preview: failed.preview } : { values: fallback, errors: {} };
  if (failed && Object.keys(failed.errors).length > 0) reply.code(400);
  const titles = new Map(posts.map((p) => [p.id, p.title]));
  return render(request, reply, 'pages/admin/news', {
    title: request.t('admin.news.title'),
    posts: posts.map((p) => ({
      ...p, key: String(p.id), ...formFor(String(p.id), { title: p.title, body: p.body, reason: '' }),
      translation: p.translationOfId === null ? null : { language: isLocale(p.locale) ? LANGUAGE_NAMES[p.locale] : p.locale, of: titles.get(p.translationOfId) ?? `#${p.translationOfId}` },
    })),
    added: formFor('new', { title: '', body: '', reason: '', translationOf: '', locale: '' }),
    originals: posts.filter((p) => p.translationOfId === null).map((p) => ({ id: p.id, title: p.title })),
    languages: LOCALES.map((code) => ({ code, name: LANGUAGE_NAMES[code] })),
    siteLanguage: LANGUAGE_NAMES[request.server.settings.get('defaultLocale')],
    limits: { title: MAX_NEWS_TITLE, body: MAX_NEWS_BODY },
  });
}

/** The add form's translation fields: none, or the post it translates and its language. */
function readTranslation(request: FastifyRequest, form: Record<string, string>, errors: Record<string, string>): NewsTranslation | null {
  if (form.translationOf === '') return null;
  if (!/^\d{1,9}$/.test(form.translationOf)) errors.translationOf = request.t('news.noSuchPost');
  else if (!isLocale(form.locale)) errors.locale = request.t('news.chooseLanguage');
  else return { of: Number(form.translationOf), locale: form.locale };
  return null;
}

/** The form's values and problems; null values when it is a preview or has problems. */
function readNewsForm(request: FastifyRequest, body: FormBody, key: string): { values: NewsValues | null; translation: NewsTranslation | null; reason: string; rejected: Rejected | null } {
  const form = { title: text(body, 'title'), body: rawText(body, 'body'), reason: text(body, 'reason'), ...(key === 'new' ? { translationOf: text(body, 'translationOf'), locale: text(body, 'locale') } : {}) };
  const errors = newsProblems(form, request.t, request.locale);
  const translation = key === 'new' ? readTranslation(request, form as Record<string, string>, errors) : null;
  if (text(body, 'preview') === 'yes') return { values: null, translation, reason: '', rejected: { key, values: form, errors, preview: errors.body ? undefined : renderMarkdown(form.body) } };
  let reason = '';
  try {
    reason = requireReason(body, 'reason');
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    errors.reason = request.t(error.message, error.params);
  }
  if (Object.keys(errors).length > 0) return { values: null, translation, reason, rejected: { key, values: form, errors } };
  return { values: { title: form.title, body: form.body }, translation, reason, rejected: null };
}

async function add(request: FastifyRequest, reply: FastifyReply) {
  const actor = requireStaff(request);
  const form = readNewsForm(request, request.body as FormBody, 'new');
  if (form.rejected || !form.values) return newsPage(request, reply, form.rejected ?? undefined);
  const app = request.server;
  try {
    await addNews({ prisma: app.db.prisma, actorId: actor.id, reason: form.reason, values: form.values, translation: form.translation, now: new Date(app.clock.now()) });
  } catch (error) {
    // no such post to translate, or a translation into that language already there
    if (!(error instanceof AppError) || error.statusCode >= 500 || !error.field) throw error;
    const values = { title: form.values.title, body: form.values.body, reason: form.reason, translationOf: String(form.translation?.of ?? ''), locale: form.translation?.locale ?? '' };
    return newsPage(request, reply, { key: 'new', values, errors: { [error.field]: request.t(error.message, error.params) } });
  }
  flash(reply, request.t('admin.news.posted', { title: form.values.title }));
  return reply.redirect('/admin/news', 303);
}

async function edit(request: IdRequest, reply: FastifyReply) {
  const actor = requireStaff(request);
  const id = parseId(request.params.id, 'news post');
  const form = readNewsForm(request, request.body as FormBody, String(id));
  if (form.rejected || !form.values) return newsPage(request, reply, form.rejected ?? undefined);
  const app = request.server;
  await editNews({ prisma: app.db.prisma, actorId: actor.id, reason: form.reason, id, values: form.values, now: new Date(app.clock.now()) });
  flash(reply, request.t('admin.news.saved'));
  return reply.redirect(`/admin/news#news-${id}`, 303);
}

async function remove(request: IdRequest, reply: FastifyReply) {
  const actor = requireStaff(request);
  const id = parseId(request.params.id, 'news post');
  let reason: string;
  try {
    reason = requireReason(request.body as FormBody, 'delete-reason');
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return newsPage(request, reply, { key: String(id), values: {}, errors: { 'delete-reason': request.t(error.message, error.params) } });
  }
  await deleteNews({ prisma: request.server.db.prisma, actorId: actor.id, reason, id, now: new Date(request.server.clock.now()) });
  flash(reply, request.t('admin.news.deleted'));
  return reply.redirect('/admin/news', 303);
}

export async function newsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/admin/news', (request, reply) => newsPage(request, reply));
  app.post('/admin/news', add);
  app.post('/admin/news/:id', edit);
  app.post('/admin/news/:id/delete', remove);
}
