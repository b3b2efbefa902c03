// Short messages left for one member (listed on /notifications): a reseed asked of a snatcher, a
// request filled or paid, a class change. Written by the web actions and the policy job alike,
// in the caller's transaction when it has one. Each keeps its catalog key and values, shown in
// the reader's language, and its English text (src/i18n/stored-text.ts).
import type { Prisma } from '../generated/prisma/client.js';
import { englishOf, type StoredText } from '../i18n/stored-text.js';

export interface NoticeInput {
  userId: number;
  kind: string;
  text: StoredText;
  link?: string | null;
  at: Date;
}

const toRow = (n: NoticeInput) => ({
  userId: n.userId, kind: n.kind, body: englishOf(n.text).slice(0, 500), textKey: n.text.key, textParams: n.text.params as Prisma.InputJsonValue, link: n.link ?? null, createdAt: n.at,
});

export async function addNotices(db: Pick<Prisma.TransactionClient, 'notice'>, notices: NoticeInput[]): Promise<void> {
  if (notices.length === 0) return;
  await db.notice.createMany({ data: notices.map(toRow) });
}
