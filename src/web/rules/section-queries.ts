// The staff-written sections of /rules and /faq (table rules_sections), in display order.
import type { PrismaClient } from '../../generated/prisma/client.js';

export const SECTION_PAGES = ['rules', 'faq', 'guide'] as const;
export type SectionPage = (typeof SECTION_PAGES)[number];

const sectionSelect = { id: true, page: true, title: true, body: true, position: true, updatedAt: true } as const;

export interface Section {
  id: number;
  page: string;
  title: string;
  body: string;
  position: number;
  updatedAt: Date;
}

export function listSections(prisma: PrismaClient, page?: SectionPage): Promise<Section[]> {
  return prisma.rulesSection.findMany({
    where: page ? { page } : {},
    orderBy: [{ page: 'desc' }, { position: 'asc' }, { id: 'asc' }],
    select: sectionSelect,
  });
}

export function findSection(prisma: PrismaClient, id: number): Promise<Section | null> {
  return prisma.rulesSection.findUnique({ where: { id }, select: sectionSelect });
}
