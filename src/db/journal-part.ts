// Which rows of a journal (peer-journal.ts, transfer-journal.ts, member-journal.ts) one apply takes. The whole
// journal, or a part: the oldest rows left, up to a number of them, and never past a mark (the
// last `seq` when the checkpoint began, journal-checkpoint.ts). A part is a range of `seq`
// from the start of the journal, so every row older than one it takes is taken too: one peer's
// rows are applied in journal order however the parts fall, and a later part holds only later
// rows than every earlier one (docs/accounting.md, "The peer journal").

/** The oldest `rows` journal rows with seq at most `upTo` (a bigint as text). */
export interface JournalPart {
  upTo: string;
  rows: number;
}

/** rows written to the table, journal rows taken (and deleted), the last seq taken (null: none) */
export interface Applied {
  written: number;
  taken: number;
  last: string | null;
}

/** The WHERE clause of the apply's DELETE and its parameters. */
export function journalPart(table: 'peer_journal' | 'transfer_journal' | 'member_journal', part?: JournalPart): { where: string; params: unknown[] } {
  if (!part) return { where: '', params: [] };
  return {
    where: `WHERE seq <= (SELECT max(seq) FROM (SELECT seq FROM ${table} WHERE seq <= $1::int8 ORDER BY seq LIMIT $2::int) AS part)`,
    params: [part.upTo, part.rows],
  };
}
