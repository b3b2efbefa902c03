// Staff news on the home page (table news_posts): Markdown posts, newest first. Staff add,
// edit and delete them on /admin/news; each change is logged like every staff change.
import type { PrismaClient } from '../../generated/prisma/client.js';
import { AppError } from '../../errors.js';
import { logModeration } from '../../policy/moderation-log.js';

export const MAX_NEWS_TITLE = 200;
export const MAX_NEWS_BODY = 20_000;

const newsSelect = { id: true, title: true, body: true, createdAt: true, updatedAt: true, author: { select: { id: true, username: true } } } as const;

export const listNews = (prisma: PrismaClient, take: number) =>
  prisma.newsPost.findMany({ select: newsSelect, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take });

export interface NewsValues {
  title: string;
  body: string;
}

export function newsProblems(values: NewsValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if (values.title.length === 0) errors.title = 'Give the post a title.';
  else if (values.title.length > MAX_NEWS_TITLE) errors.title = `Keep the title under ${MAX_NEWS_TITLE} characters.`;
  if (values.body.trim().length === 0) errors.body = 'Write the post.';
  else if (values.body.length > MAX_NEWS_BODY) errors.body = `Keep the post under ${MAX_NEWS_BODY.toLocaleString('en')} characters (it has ${values.body.length.toLocaleString('en')}).`;
  return errors;
}

interface Change {
  prisma: PrismaClient;
  actorId: number;
  reason: string;
  now: Date;
}

export async function addNews(options: Change & { values: NewsValues }): Promise<number> {
  const { prisma, actorId, reason, now, values } = options;
  return prisma.$transaction(async (tx) => {
    const row = await tx.newsPost.create({ data: { ...values, authorId: actorId, createdAt: now, updatedAt: now }, select: { id: true } });
    await logModeration(tx, { actorId, action: 'news_add', reason, details: { news: row.id, title: values.title }, at: now });
    return row.id;
  });
}

export async function editNews(options: Change & { id: number; values: NewsValues }): Promise<void> {
  const { prisma, actorId, reason, now, id, values } = options;
  await prisma.$transaction(async (tx) => {
    const { count } = await tx.newsPost.updateMany({ where: { id }, data: { ...values, updatedAt: now } });
    if (count === 0) throw AppError.notFound('There is no news post with that number.');
    await logModeration(tx, { actorId, action: 'news_edit', reason, details: { news: id, title: values.title }, at: now });
  });
}

export async function deleteNews(options: Change & { id: number }): Promise<void> {
  const { prisma, actorId, reason, now, id } = options;
  await prisma.$transaction(async (tx) => {
    const row = await tx.newsPost.findUnique({ where: { id }, select: { title: true } });
    if (!row) throw AppError.notFound('There is no news post with that number.');
    await tx.newsPost.delete({ where: { id } });
    await logModeration(tx, { actorId, action: 'news_delete', reason, details: { news: id, title: row.title }, at: now });
  });
}
