// Staff news on the home page (table news_posts): Markdown posts, newest first. Staff add,
// edit and delete them on /admin/news; each change is logged like every staff change. A post is
// written in the site default language and may have one translation per language (a row with
// translation_of_id, docs/i18n.md "Staff texts per language"): a reader sees the translation
// into their language where there is one, else the post as written.
import type { PrismaClient } from '../../generated/prisma/client.js';
import { AppError } from '../../errors.js';
import { logModeration } from '../../policy/moderation-log.js';
import { formatPlain } from '../../i18n/format.js';
import type { Locale, Translate } from '../../i18n/index.js';

export const MAX_NEWS_TITLE = 200;
export const MAX_NEWS_BODY = 20_000;

const newsSelect = { id: true, title: true, body: true, createdAt: true, updatedAt: true, locale: true, translationOfId: true, author: { select: { id: true, username: true } } } as const;

/** Every post and translation, newest first: the staff editor. */
export const listNews = (prisma: PrismaClient, take: number) =>
  prisma.newsPost.findMany({ select: newsSelect, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take });

/** The latest posts as a reader in `locale` sees them: its translation's title and text where there is one. */
export async function listNewsIn(prisma: PrismaClient, take: number, locale: Locale) {
  const posts = await prisma.newsPost.findMany({
    where: { translationOfId: null },
    select: { ...newsSelect, translations: { where: { locale }, select: { title: true, body: true } } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take,
  });
  return posts.map(({ translations, ...post }) => {
    const shown = translations[0];
    return shown ? { ...post, title: shown.title, body: shown.body } : post;
  });
}

export interface NewsValues {
  title: string;
  body: string;
}

/** A translation to add: the post it translates and its language. */
export interface NewsTranslation {
  of: number;
  locale: Locale;
}

/** The problems beside their fields, said by `t` in the staff member's language. */
export function newsProblems(values: NewsValues, t: Translate, locale: Locale): Record<string, string> {
  const errors: Record<string, string> = {};
  if (values.title.length === 0) errors.title = t('admin.news.errors.title');
  else if (values.title.length > MAX_NEWS_TITLE) errors.title = t('admin.news.errors.titleLong', { max: MAX_NEWS_TITLE });
  if (values.body.trim().length === 0) errors.body = t('admin.news.errors.body');
  else if (values.body.length > MAX_NEWS_BODY) errors.body = t('admin.news.errors.bodyLong', { max: formatPlain(locale, MAX_NEWS_BODY), length: formatPlain(locale, values.body.length) });
  return errors;
}

interface Change {
  prisma: PrismaClient;
  actorId: number;
  reason: string;
  now: Date;
}

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** The translation's columns, once its post is there and has none in that language yet. */
async function translationRow(tx: Tx, translation: NewsTranslation | null) {
  if (!translation) return {};
  const original = await tx.newsPost.findFirst({ where: { id: translation.of, translationOfId: null }, select: { id: true } });
  if (!original) throw AppError.badRequest('news.noSuchPost', 'translationOf');
  const taken = await tx.newsPost.count({ where: { translationOfId: translation.of, locale: translation.locale } });
  if (taken > 0) throw AppError.conflict('news.translationTaken', 'locale');
  return { locale: translation.locale, translationOfId: translation.of };
}

export async function addNews(options: Change & { values: NewsValues; translation?: NewsTranslation | null }): Promise<number> {
  const { prisma, actorId, reason, now, values } = options;
  return prisma.$transaction(async (tx) => {
    const translated = await translationRow(tx, options.translation ?? null);
    const row = await tx.newsPost.create({ data: { ...values, ...translated, authorId: actorId, createdAt: now, updatedAt: now }, select: { id: true } });
    await logModeration(tx, { actorId, action: 'news_add', reason, details: { news: row.id, title: values.title }, at: now });
    return row.id;
  });
}

export async function editNews(options: Change & { id: number; values: NewsValues }): Promise<void> {
  const { prisma, actorId, reason, now, id, values } = options;
  await prisma.$transaction(async (tx) => {
    const { count } = await tx.newsPost.updateMany({ where: { id }, data: { ...values, updatedAt: now } });
    if (count === 0) throw AppError.notFound('admin.notFound.newsPost');
    await logModeration(tx, { actorId, action: 'news_edit', reason, details: { news: id, title: values.title }, at: now });
  });
}

export async function deleteNews(options: Change & { id: number }): Promise<void> {
  const { prisma, actorId, reason, now, id } = options;
  await prisma.$transaction(async (tx) => {
    const row = await tx.newsPost.findUnique({ where: { id }, select: { title: true } });
    if (!row) throw AppError.notFound('admin.notFound.newsPost');
    await tx.newsPost.delete({ where: { id } });
    await logModeration(tx, { actorId, action: 'news_delete', reason, details: { news: id, title: row.title }, at: now });
  });
}
