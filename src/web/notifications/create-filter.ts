// A member saves a search as a notification filter: words (all must be whole words of the
// name), a category, freeleech only, or any mix, but at least one of them, and at most
// MAX_FILTERS filters each, so matching an upload stays cheap.
import type { PrismaClient } from '../../generated/prisma/client.js';
import { AppError } from '../../errors.js';
import { countFilters, MAX_FILTERS } from './queries.js';
import { MAX_FILTER_WORDS, wordsOf } from './words.js';

export interface FilterForm {
  name: string;
  words: string;
  categoryId: string;
  freeleechOnly: boolean;
}

async function categoryOf(prisma: PrismaClient, raw: string): Promise<number | null> {
  if (raw === '') return null;
  const id = /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
  const found = id > 0 ? await prisma.category.findUnique({ where: { id }, select: { id: true } }) : null;
  if (!found) throw AppError.badRequest('notifications.filters.chooseCategory', 'categoryId');
  return found.id;
}

export async function createFilter(options: { prisma: PrismaClient; userId: number; form: FilterForm; now: number }): Promise<number> {
  const { prisma, userId, form } = options;
  const words = wordsOf(form.words, MAX_FILTER_WORDS + 1);
  if (words.length > MAX_FILTER_WORDS) throw AppError.badRequest('notifications.filters.tooManyWords', 'words', { count: MAX_FILTER_WORDS });
  const categoryId = await categoryOf(prisma, form.categoryId);
  if (words.length === 0 && categoryId === null && !form.freeleechOnly) {
    throw AppError.badRequest('notifications.filters.matchesEverything', 'words');
  }
  if ((await countFilters(prisma, userId)) >= MAX_FILTERS) throw AppError.conflict('notifications.filters.atLimit', 'words', { count: MAX_FILTERS });
  const name = form.name.trim().slice(0, 64) || words.join(' ') || 'New uploads';
  const filter = await prisma.notificationFilter.create({
    data: { userId, name, words, categoryId, freeleechOnly: form.freeleechOnly, createdAt: new Date(options.now) },
    select: { id: true },
  });
  return filter.id;
}
