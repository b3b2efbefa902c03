// Who uses PGlite's one connection next (pglite-proxy.ts). A transaction holds the connection
// until its COMMIT or ROLLBACK; statements from outside it wait. There are two lanes:
//
// - the foreground: pages, the API, jobs, tools (everything, unless asked otherwise);
// - the background: the tracker's flush, its journal checkpoint and PGlite's CHECKPOINT
//   (docs/accounting.md, "The ledger and the flush"), long work that nobody looks at.
//
// When the connection comes free, foreground waiters go first. A background transaction also
// waits while a page is being answered (beginPage): a page runs its queries one after another
// with the connection free between them, and without this each of them would queue behind a
// whole flush part. It never waits longer than BACKGROUND_DEFER_MS in all, so a flush is not
// starved by a steady stream of pages (its deltas wait in memory meanwhile, and the flush's
// transaction boundaries stay what they were: a part is still one transaction).

/** The longest a background transaction waits for pages and the foreground before it goes anyway. */
export const BACKGROUND_DEFER_MS = 1000;

interface Waiter {
  exclusive: boolean;
  resume(): void;
}

interface BackgroundWaiter {
  resume(): void;
  overdue: boolean;
  timer: NodeJS.Timeout;
}

export class ConnectionLanes {
  #held = false;
  readonly #waiting: Waiter[] = [];
  readonly #background: BackgroundWaiter[] = [];
  #pages = 0;
  readonly #deferMs: number;

  constructor(deferMs = BACKGROUND_DEFER_MS) {
    this.#deferMs = deferMs;
  }

  /** a foreground statement may be posted right away (no transaction open, nobody ahead of it) */
  get free(): boolean {
    return !this.#held && this.#waiting.length === 0;
  }

  /** pages being answered now */
  get pages(): number {
    return this.#pages;
  }

  /** queues a foreground statement behind an open transaction (and whatever queued before it) */
  wait(): Promise<void> {
    return new Promise((resume) => this.#waiting.push({ exclusive: false, resume }));
  }

  /** a foreground transaction takes the connection */
  async acquire(): Promise<void> {
    if (this.free) this.#held = true;
    else await new Promise<void>((resume) => this.#waiting.push({ exclusive: true, resume }));
  }

  /** a background transaction takes the connection once the foreground and the pages let it */
  async acquireBackground(): Promise<void> {
    if (this.free && this.#pages === 0 && this.#background.length === 0) {
      this.#held = true;
      return;
    }
    await new Promise<void>((resume) => {
      const waiter: BackgroundWaiter = {
        resume,
        overdue: false,
        timer: setTimeout(() => {
          waiter.overdue = true;
          this.#next();
        }, this.#deferMs),
      };
      this.#background.push(waiter);
    });
  }

  release(): void {
    this.#held = false;
    this.#next();
  }

  /** a page is being answered until the returned function is called (once is enough, twice is harmless) */
  beginPage(): () => void {
    this.#pages++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.#pages--;
      this.#next();
    };
  }

  #next(): void {
    let resumedForeground = false;
    while (!this.#held && !this.#background[0]?.overdue) {
      const next = this.#waiting.shift();
      if (!next) break;
      if (next.exclusive) this.#held = true;
      else resumedForeground = true;
      next.resume();
    }
    const head = this.#background[0];
    if (this.#held || !head || (this.#pages > 0 && !head.overdue)) return;
    // the statements just resumed post theirs from their own continuations: a BEGIN must not
    // be posted before them, or they would run inside the background transaction
    if (resumedForeground) setImmediate(() => this.#next());
    else this.#startBackground();
  }

  #startBackground(): void {
    const waiter = this.#background.shift()!;
    clearTimeout(waiter.timer);
    this.#held = true;
    waiter.resume();
  }
}
