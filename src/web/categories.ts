// Release categories. A fresh site gets a sensible default set at start (buildApp); admins
// may rename or add categories later, so this only fills an empty table and never touches
// existing rows.
import type { PrismaClient } from '../generated/prisma/client.js';

export const DEFAULT_CATEGORIES = ['Movies', 'TV', 'Music', 'Games', 'Software', 'Books', 'Other'] as const;

export interface CategoryOption {
  id: number;
  name: string;
  slug: string;
}

export const slugify = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'category';

/** Creates the default categories when the table is empty; safe to call at every start. */
export async function ensureDefaultCategories(prisma: PrismaClient): Promise<void> {
  if ((await prisma.category.count()) > 0) return;
  await prisma.category.createMany({
    data: DEFAULT_CATEGORIES.map((name, i) => ({ name, slug: slugify(name), sortOrder: (i + 1) * 10 })),
    skipDuplicates: true,
  });
}

export async function listCategories(prisma: PrismaClient): Promise<CategoryOption[]> {
  return prisma.category.findMany({
    select: { id: true, name: true, slug: true },
    orderBy: [{ sortOrder: 'asc' }, { name: 'asc' }],
  });
}

export async function findCategory(prisma: PrismaClient, id: number): Promise<CategoryOption | null> {
  return prisma.category.findUnique({ where: { id }, select: { id: true, name: true, slug: true } });
}
