// Admins add, edit and delete the staff-written sections of /rules and /faq. Each change is
// written with its moderation-log entry in one transaction, like every staff change.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { logModeration } from '../../policy/moderation-log.js';
import type { SectionValues } from './section-form.js';

interface Change {
  app: FastifyInstance;
  actorId: number;
  reason: string;
}

export async function createSection(options: Change & { values: SectionValues }): Promise<number> {
  const { app, actorId, reason, values } = options;
  return app.db.prisma.$transaction(async (tx) => {
    const row = await tx.rulesSection.create({ data: values, select: { id: true } });
    await logModeration(tx, { actorId, action: 'rules_section_add', reason, details: { section: row.id, page: values.page, title: values.title } });
    return row.id;
  });
}

export async function updateSection(options: Change & { id: number; values: SectionValues }): Promise<void> {
  const { app, actorId, reason, id, values } = options;
  await app.db.prisma.$transaction(async (tx) => {
    const { count } = await tx.rulesSection.updateMany({ where: { id }, data: values });
    if (count === 0) throw AppError.notFound('There is no such section.');
    await logModeration(tx, { actorId, action: 'rules_section_edit', reason, details: { section: id, page: values.page, title: values.title } });
  });
}

export async function deleteSection(options: Change & { id: number }): Promise<void> {
  const { app, actorId, reason, id } = options;
  await app.db.prisma.$transaction(async (tx) => {
    const row = await tx.rulesSection.findUnique({ where: { id }, select: { page: true, title: true } });
    if (!row) throw AppError.notFound('There is no such section.');
    await tx.rulesSection.delete({ where: { id } });
    await logModeration(tx, { actorId, action: 'rules_section_delete', reason, details: { section: id, page: row.page, title: row.title } });
  });
}
