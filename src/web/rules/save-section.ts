// Admins add, edit and delete the staff-written sections of /rules, /faq and /guide, and their
// translations (a translation takes its page and position from the section it translates).
// Each change is written with its moderation-log entry in one transaction, like every staff change.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { logModeration } from '../../policy/moderation-log.js';
import type { SectionValues } from './section-form.js';

interface Change {
  app: FastifyInstance;
  actorId: number;
  reason: string;
}

type Tx = Parameters<Parameters<FastifyInstance['db']['prisma']['$transaction']>[0]>[0];

/** The row to write: a translation's page and position are its section's. */
async function rowOf(tx: Tx, values: SectionValues) {
  const { translation, ...own } = values;
  if (!translation) return { ...own, locale: null, translationOfId: null };
  const original = await tx.rulesSection.findFirst({ where: { id: translation.of, translationOfId: null }, select: { page: true, position: true } });
  if (!original) throw AppError.badRequest('admin.rules.errors.noOriginal', 'translationOf');
  const taken = await tx.rulesSection.count({ where: { translationOfId: translation.of, locale: translation.locale } });
  if (taken > 0) throw AppError.conflict('admin.rules.errors.taken', 'locale');
  return { ...own, ...original, locale: translation.locale, translationOfId: translation.of };
}

export async function createSection(options: Change & { values: SectionValues }): Promise<number> {
  const { app, actorId, reason, values } = options;
  return app.db.prisma.$transaction(async (tx) => {
    const row = await tx.rulesSection.create({ data: await rowOf(tx, values), select: { id: true } });
    await logModeration(tx, { actorId, action: 'rules_section_add', reason, details: { section: row.id, page: values.page, title: values.title } });
    return row.id;
  });
}

export async function updateSection(options: Change & { id: number; values: SectionValues }): Promise<void> {
  const { app, actorId, reason, id, values } = options;
  await app.db.prisma.$transaction(async (tx) => {
    const row = await tx.rulesSection.findUnique({ where: { id }, select: { translationOfId: true } });
    if (!row) throw AppError.notFound('admin.notFound.section');
    // a translation keeps its language and follows its section's page and position
    const { translation: _t, ...own } = values;
    const data = row.translationOfId === null ? own : { title: values.title, body: values.body };
    await tx.rulesSection.update({ where: { id }, data, select: { id: true } });
    // a section moved to another page takes its translations along
    if (row.translationOfId === null) await tx.rulesSection.updateMany({ where: { translationOfId: id }, data: { page: own.page, position: own.position } });
    await logModeration(tx, { actorId, action: 'rules_section_edit', reason, details: { section: id, page: values.page, title: values.title } });
  });
}

export async function deleteSection(options: Change & { id: number }): Promise<void> {
  const { app, actorId, reason, id } = options;
  await app.db.prisma.$transaction(async (tx) => {
    const row = await tx.rulesSection.findUnique({ where: { id }, select: { page: true, title: true } });
    if (!row) throw AppError.notFound('admin.notFound.section');
    await tx.rulesSection.delete({ where: { id } });
    await logModeration(tx, { actorId, action: 'rules_section_delete', reason, details: { section: id, page: row.page, title: row.title } });
  });
}
