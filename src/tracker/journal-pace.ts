// How far the journals' checkpoint (src/db/journal-checkpoint.ts) is behind the ledger writes
// that append to the journals, for the flush loop (flush.ts, docs/accounting.md "The peer
// journal"): past a bound the checkpoint no longer yields to the next flush, and a checkpoint
// that goes on to the end writes the ledger between two of its parts only once the parts since
// the last such write applied as many journal rows as it appended. So the journals shrink
// under any load, and the ledger, which merges each peer's deltas until it is written, makes
// each write smaller the longer it waits.

export class JournalPace {
  /** journal rows this process appended and has not applied (the start applied every earlier one) */
  backlog = 0;
  readonly #limit: number;
  /** rows the last ledger write between two parts appended, and rows applied since */
  #owed = 0;
  #applied = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** more rows wait than the bound allows */
  get behind(): boolean {
    return this.backlog > this.#limit;
  }

  /** a ledger part committed, appending `rows` journal rows */
  appended(rows: number): void {
    this.backlog += rows;
  }

  /** a checkpoint part applied (and deleted) `rows` journal rows */
  took(rows: number): void {
    this.backlog = Math.max(0, this.backlog - rows);
    this.#applied += rows;
  }

  /** nothing is left to apply (a reader outside the flush loop applied some rows itself) */
  emptied(): void {
    this.backlog = 0;
  }

  /** a checkpoint run begins: nothing owed yet */
  restart(): void {
    this.#owed = 0;
    this.#applied = 0;
  }

  /** the parts since the last ledger write between two parts applied what it appended */
  get repaid(): boolean {
    return this.#applied >= this.#owed;
  }

  /** A ledger write between two parts: what it appends is owed by the parts after it. */
  async writeBetween(write: () => Promise<void>): Promise<void> {
    const before = this.backlog;
    await write();
    this.#owed = this.backlog - before;
    this.#applied = 0;
  }
}
