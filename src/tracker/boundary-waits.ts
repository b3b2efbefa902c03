// Group commit for session-boundary announces (a new peer, `started`, `stopped`, `completed`,
// a counter reset; docs/accounting.md). Their replies wait for the flush that holds them:
// all boundaries recorded between two ledger takes share one group, the first of them asks
// for an early flush, and the take hands the group to that batch, which resolves it once it
// committed. Boundaries arriving while a flush runs join the next group (one flush in flight,
// one queued: never a flush per announce). A group also resolves after `boundMs`, so that an
// announce never hangs while the database is away (its deltas stay pending as before).

export interface WaitGroup {
  readonly promise: Promise<void>;
  resolve(): void;
}

function waitGroup(boundMs: number): WaitGroup {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  // not unref'd: someone is waiting on it (stop() clears it)
  const timer = setTimeout(() => release(), boundMs);
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

  /** `flushSoon` is called once per group, when its first boundary arrives. */
  private readonly boundMs: number;
  private readonly flushSoon: () => void;

  constructor(
    boundMs: number,
    flushSoon: () => void,
  ) {
    this.boundMs = boundMs;
    this.flushSoon = flushSoon;
  }

  /** A promise for the flush that takes what was recorded just now. */
  wait(): Promise<void> {
    if (this.open === null) {
      this.open = waitGroup(this.boundMs);
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
