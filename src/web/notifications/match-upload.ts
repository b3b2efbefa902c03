// New uploads against the saved searches, in one statement at upload time (and again when staff
// make a release freeleech, for the filters that want only those). The GIN index on
// notification_filters.words finds the filters whose words are all among the release name's
// words (`<@`), so the work grows with the filters that can match, not with all of them; the
// category and freeleech conditions and the unique (filter, release) pair do the rest.
import type { PrismaClient } from '../../generated/prisma/client.js';
import { wordsOf } from './words.js';

/** Freeleech and neutral: downloading them costs no ratio, which is what such a filter asks for. */
const FREE_MODES = new Set(['freeleech', 'neutral']);

/** Notifies the owners of the matching filters; returns how many notifications were made. */
export async function notifyMatchingFilters(prisma: PrismaClient, releaseId: number, now: number): Promise<number> {
  const release = await prisma.release.findUnique({
    where: { id: releaseId },
    select: { name: true, categoryId: true, freeleech: true, uploaderId: true, deletedAt: true },
  });
  if (!release || release.deletedAt) return 0;
  const words = wordsOf(release.name);
  const free = FREE_MODES.has(release.freeleech);
  // The uploader is not told about their own upload. `enabled` is looked up per matching filter
  // (by primary key) rather than joined: the planner cannot estimate `<@` and would hash-join
  // the whole users table.
  return prisma.$executeRaw`
    INSERT INTO notifications (user_id, filter_id, release_id, created_at)
    SELECT f.user_id, f.id, ${releaseId}::int, ${new Date(now)}::timestamp(3)
      FROM notification_filters f
     WHERE f.words <@ ${words}::text[]
       AND (f.category_id IS NULL OR f.category_id = ${release.categoryId}::int)
       AND (NOT f.freeleech_only OR ${free}::boolean)
       AND f.user_id IS DISTINCT FROM ${release.uploaderId}::int
       AND (SELECT u.enabled FROM users u WHERE u.id = f.user_id)
    ON CONFLICT (filter_id, release_id) DO NOTHING`;
}
