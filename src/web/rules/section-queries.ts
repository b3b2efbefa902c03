// The staff-written sections of /rules, /faq and /guide (table rules_sections), in display
// order, each followed by its translations (rendered-sections.ts picks the reader's).
import type { PrismaClient } from '../../generated/prisma/client.js';

export const SECTION_PAGES = ['rules', 'faq', 'guide'] as const;
export type SectionPage = (typeof SECTION_PAGES)[number];

const sectionSelect = { id: true, page: true, title: true, body: true, position: true, updatedAt: true, locale: true, translationOfId: true } as const;

export interface Section {
  id: number;
  page: string;
  title: string;
  body: string;
  position: number;
  updatedAt: Date;
  /** set on a translation, with the section it translates */
  locale: string | null;
  translationOfId: number | null;
}

export function listSections(prisma: PrismaClient, page?: SectionPage): Promise<Section[]> {
  return prisma.rulesSection.findMany({
    where: page ? { page } : {},
    orderBy: [{ page: 'desc' }, { position: 'asc' }, { translationOfId: { sort: 'asc', nulls: 'first' } }, { id: 'asc' }],
    select: sectionSelect,
  });
}

export function findSection(prisma: PrismaClient, id: number): Promise<Section | null> {
  return prisma.rulesSection.findUnique({ where: { id }, select: sectionSelect });
}
