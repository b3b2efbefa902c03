// Group commit for session-boundary announces (a new peer, `started`, `stopped`, `completed`,
// a counter reset; docs/accounting.md). Their replies wait for the flush that holds them:
// all boundaries recorded between two ledger takes share one group, the first of them asks
// for an early flush, and the take hands the group to that batch, which resolves it once it
// committed. Boundaries arriving while a flush runs join the next group (one flush in flight,
// one queued: never a flush per announce). A group also resolves after `boundMs` once flushes
// fail, so that an announce never hangs while the database is away (its deltas stay pending as
// before); while they succeed it waits for its own, however long a busy database takes: sent
// before it commits, a reply is owed bytes that a kill -9 would lose.

export interface WaitGroup {
  readonly promise: Promise<void>;
  resolve(): void;
}

function waitGroup(boundMs: number, mayRelease: () => boolean): WaitGroup {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  // not unref'd: someone is waiting on it (resolve() clears it)
  let timer: NodeJS.Timeout;
  const check = (): void => {
    if (mayRelease()) release();
    else timer = setTimeout(check, boundMs);
  };
  timer = setTimeout(check, boundMs);
  return {
    promise,
    resolve() {
      clearTimeout(timer);
      release();
    },
  };
}

export class BoundaryWaits {
  /** announces recorded since the last take() that wait for their flush */
  private open: WaitGroup | null = null;

  private readonly boundMs: number;
  private readonly flushSoon: () => void;
  private readonly flushesFailing: () => boolean;

  /** `flushSoon` is called once per group, when its first boundary arrives. */
  constructor(boundMs: number, flushSoon: () => void, flushesFailing: () => boolean) {
    this.boundMs = boundMs;
    this.flushSoon = flushSoon;
    this.flushesFailing = flushesFailing;
  }

  /** A promise for the flush that takes what was recorded just now. */
  wait(): Promise<void> {
    if (this.open === null) {
      this.open = waitGroup(this.boundMs, this.flushesFailing);
      this.flushSoon();
    }
    return this.open.promise;
  }

  /** replies wait for the next flush */
  get waiting(): boolean {
    return this.open !== null;
  }

  /** At the ledger's take(): the group rides with the batch just taken. */
  take(): WaitGroup | null {
    const group = this.open;
    this.open = null;
    return group;
  }

  /** Shutdown: nobody waits any more (the final flush has run or failed). */
  releaseAll(): void {
    this.take()?.resolve();
  }
}
