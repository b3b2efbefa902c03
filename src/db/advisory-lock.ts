// Work that must happen once however many processes share the database (docs/scaling.md): the
// policy job and the other site-wide chores run under a PostgreSQL advisory lock. It is taken
// with pg_try_advisory_xact_lock in a transaction held open for the work, so it is released at
// COMMIT, or by the server when the holder's connection dies (a process killed with SIGKILL
// does not keep it). A process that finds it taken skips the work: another one is doing it.
// PGlite is one process's own database: nothing else can run the work, so no lock is needed.
import type { SqlDriver } from './driver.js';

/** The first key of every seedkeep advisory lock; the second is hashtext(name). */
const LOCK_CLASS = 0x5eed;

export type Exclusive<T> = { ran: true; value: T } | { ran: false };

/**
 * Runs `work` unless another process holds the lock `name`. The work uses its own
 * connections; this one only holds the lock (a pool needs at least two).
 */
export async function runExclusive<T>(sql: SqlDriver, name: string, work: () => Promise<T>): Promise<Exclusive<T>> {
  if (sql.kind === 'pglite') return { ran: true, value: await work() };
  return sql.transaction(async (tx) => {
    const rows = await tx.query<{ got: boolean }>('SELECT pg_try_advisory_xact_lock($1::int, hashtext($2)) AS got', [LOCK_CLASS, name]);
    if (!rows[0]?.got) return { ran: false };
    return { ran: true, value: await work() };
  });
}
