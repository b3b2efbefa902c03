// The staff-written sections of a page (/rules, /faq, /guide) in the reader's language: each
// section is written in the site's default language and may have a translation per language
// (rules_sections rows with translation_of_id); a reader sees the translation into their
// language where there is one, else the section as written.
import type { FastifyInstance } from 'fastify';
import type { Locale } from '../../i18n/index.js';
import { renderMarkdown } from './markdown.js';
import type { SectionPage } from './section-queries.js';

export interface RenderedSection {
  id: number;
  title: string;
  html: string;
  updatedAt: Date;
}

export async function renderedSections(app: FastifyInstance, page: SectionPage, locale: Locale): Promise<RenderedSection[]> {
  const sections = await app.db.prisma.rulesSection.findMany({
    where: { page, translationOfId: null },
    orderBy: [{ position: 'asc' }, { id: 'asc' }],
    select: { id: true, title: true, body: true, updatedAt: true, translations: { where: { locale }, select: { title: true, body: true, updatedAt: true } } },
  });
  return sections.map((section) => {
    const shown = section.translations[0] ?? section;
    return { id: section.id, title: shown.title, html: renderMarkdown(shown.body), updatedAt: shown.updatedAt };
  });
}
