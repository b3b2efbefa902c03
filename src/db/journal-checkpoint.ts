// The checkpoint of the peer, transfer and member journals (docs/accounting.md, "The peer journal"), in
// parts. Applied whole, half a minute of a busy tracker's journal was one statement, and on
// PGlite's one connection pages waited for all of it. So a checkpoint marks the last row of each
// journal when it begins and applies the rows up to the mark in parts of JOURNAL_ROWS_PER_PART
// journal rows, each its own background transaction (pglite-lanes.ts: pages go first between
// two). Each part is the oldest rows left (journal-part.ts) and deletes exactly the rows it
// applied, in the same transaction. So every entry is applied once, and a peer's later rows are
// never applied before its earlier ones, whether the parts are interrupted (a failure, a kill -9,
// a stop's deadline: the next part or the next start goes on from the oldest row left) or
// flushes append newer rows between two parts (past the mark: the next checkpoint's). A part
// whose COMMIT committed but was reported lost is not applied twice: its rows are gone.
import { createCheckpointer } from './checkpointer.js';
import type { SqlDriver } from './driver.js';
import type { JournalPart } from './journal-part.js';
import { applyMemberJournal } from './member-journal.js';
import { applyPeerJournal } from './peer-journal.js';
import { applyTransferJournal } from './transfer-journal.js';

/** Journal rows per part, each up to FLUSH_CHUNK_ROWS entries: about a second of PGlite's time on a loaded host. */
export const JOURNAL_ROWS_PER_PART = 2;

type Journal = 'peers' | 'transfers' | 'members';

const APPLY = { peers: applyPeerJournal, transfers: applyTransferJournal, members: applyMemberJournal } as const;
/** The member journal first: its parts are the smallest, and they are the totals members see. */
const ORDER: readonly Journal[] = ['members', 'peers', 'transfers'];

export interface PartDone {
  journal: Journal;
  /** journal rows applied and deleted */
  taken: number;
  /** table rows written */
  written: number;
  ms: number;
}

export class JournalCheckpoint {
  /** each journal's mark (its last seq when begin() ran), null once applied up to it */
  readonly #marks: Record<Journal, string | null> = { peers: null, transfers: null, members: null };
  readonly #sql: SqlDriver;
  readonly #rowsPerPart: number;

  constructor(sql: SqlDriver, rowsPerPart = JOURNAL_ROWS_PER_PART) {
    this.#sql = sql;
    this.#rowsPerPart = rowsPerPart;
  }

  /** rows up to a mark are left to apply */
  get underWay(): boolean {
    return ORDER.some((journal) => this.#marks[journal] !== null);
  }

  /** Marks each journal's last row: next() applies everything up to it (one under way goes on to the new mark). */
  async begin(): Promise<void> {
    const [last] = await this.#sql.query<Record<Journal, string | null>>(
      `SELECT (SELECT max(seq) FROM peer_journal)::text AS peers, (SELECT max(seq) FROM transfer_journal)::text AS transfers,
              (SELECT max(seq) FROM member_journal)::text AS members`,
    );
    for (const journal of ORDER) this.#marks[journal] = last[journal];
  }

  /** Applies the next part (of the first journal in ORDER not applied up to its mark); null when everything up to the marks is applied. */
  async next(): Promise<PartDone | null> {
    const journal = ORDER.find((name) => this.#marks[name] !== null);
    if (journal === undefined) return null;
    const part: JournalPart = { upTo: this.#marks[journal]!, rows: this.#rowsPerPart };
    const apply = APPLY[journal];
    const started = performance.now();
    const applied = await this.#sql.transaction((tx) => apply(tx, part), { background: true });
    // up to the mark: done (fewer rows than a part, none at all, or the mark's own row taken)
    if (applied.taken < part.rows || applied.last === part.upTo) this.#marks[journal] = null;
    return { journal, taken: applied.taken, written: applied.written, ms: performance.now() - started };
  }
}

/**
 * Everything journaled so far, a part after another (the start, before the peers are loaded;
 * tools). After a busy run the journals can hold millions of entries: applying them writes
 * far more log than PGlite survives without a checkpoint (src/db/checkpointer.ts), so one is
 * taken between parts whenever enough was written.
 */
export async function checkpointJournals(sql: SqlDriver): Promise<void> {
  const checkpoint = new JournalCheckpoint(sql);
  const log = createCheckpointer(sql);
  await checkpoint.begin();
  while ((await checkpoint.next()) !== null) await log.maybeCheckpoint();
}
