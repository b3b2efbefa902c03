// The tracker service's flush loop (docs/architecture.md, "The ledger and the flush"): the
// ledger's pending deltas go to the database in bounded parts, a batch in doubt first, then the
// release counts on their own cadence; a failure keeps everything pending. Session-boundary
// replies wait for the flush that holds them (boundary-waits.ts, docs/accounting.md).
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { createCheckpointer } from '../db/checkpointer.js';
import { snatchCounts } from '../db/ledger-batches.js';
import { JournalCheckpoint } from '../db/journal-checkpoint.js';
import { RecentIps } from '../db/recent-ips.js';
import { flushLedgerBatch, FLUSH_CHUNK_ROWS, journalRowsOf, writeReleaseCounts } from '../db/tracker-store.js';
import { BoundaryWaits, type WaitGroup } from './boundary-waits.js';
import { JournalPace } from './journal-pace.js';
import type { TrackerEngine } from './core/engine.js';
import type { LedgerBatch } from './core/ledger.js';
import { batchEntries, partsOneByOne, splitBatch } from './core/ledger-split.js';
import { BOUNDARY_WAIT_MS, FLUSH_PART_ENTRIES, EARLY_FLUSH_SPACING_MS, STOP_PART_ENTRIES, COUNTS_PER_FLUSH, PEER_CHECKPOINT_MS, JOURNAL_YIELD_ENTRIES, JOURNAL_BACKLOG_ROWS } from './flush-limits.js';

export type FlushListener = (seconds: number, ok: boolean) => void;

/** What the health endpoint reports of the flushes. */
export interface FlushHealth {
  lastFlushAt: string | null;
  /** null once a flush succeeded again */
  lastFlushError: string | null;
  /** consecutive failed flushes */
  failedFlushes: number;
}

export interface LedgerFlusherOptions {
  engine: TrackerEngine;
  config: Config;
  db: Database;
  clock: Clock;
  log: FastifyBaseLogger;
  /** updated by every flush (the engine reads failedFlushes for its pending bound) */
  health: FlushHealth;
}

export interface LedgerFlusher {
  /**
   * One flush at a time: a caller arriving mid-flush waits for it, then flushes the rest.
   * A flush asked for (shutdown, tests, tools) writes everything; the timer's (allCounts
   * false) writes release counts only when they are due.
   */
  flush(allCounts?: boolean): Promise<void>;
  /** a PGlite checkpoint when enough log was written (failures are logged) */
  checkpoint(): Promise<void>;
  onFlush(listener: FlushListener): void;
  /** No early flushes any more; a flush under way stops between two parts at `deadline` (performance.now()). */
  stopAt(deadline: number): void;
  /** Shutdown: nobody waits for a flush any more (what was not written is recovered at the next start). */
  releaseWaiters(): void;
  /** ledger entries a stop left unwritten */
  dropped(): number;
}

export function createLedgerFlusher(options: LedgerFlusherOptions): LedgerFlusher {
  const { engine, config, db, clock, log, health } = options;
  const ledger = engine.ledger;
  const recentIps = new RecentIps();
  const listeners: FlushListener[] = [];
  const tellFlush = (started: number, ok: boolean) => {
    for (const listener of listeners) listener((performance.now() - started) / 1000, ok);
  };
  let flushing: Promise<void> | null = null;
  // Real time, not `clock`: these bound how long the process works, whatever the tracker's clock says.
  let flushDeadline = Infinity;
  let stopped = false;
  /** entries a stop left unwritten (dropped from memory: the process is exiting) */
  let dropped = 0;
  const checkpointer = createCheckpointer(db.sql, {
    onCheckpoint: (info) => log.debug({ walBytes: Number(info.walBytes), ms: Math.round(info.ms) }, 'database checkpoint'),
  });
  const checkpoint = (): Promise<void> =>
    checkpointer.maybeCheckpoint().catch((err: unknown) => log.warn({ err }, 'database checkpoint failed'));

  // Release counts follow a flush's credit at most every countsIntervalMs (see Ledger.take):
  // browse shows them up to that much late, the details page's peer list is not.
  let countsDueAt = 0;

  // Session-boundary replies wait for their flush (docs/accounting.md): the first of a group
  // asks for an early one; groups whose batch failed wait until a flush writes everything.
  let earlyFlushQueued = false;
  /** performance.now() when the last flush began: early ones are spaced from it */
  let lastFlushStart = -Infinity;
  /** performance.now() when a ledger part last committed (a long journal checkpoint writes the ledger at this cadence too) */
  let lastLedgerWrite = performance.now();
  const waits = new BoundaryWaits(BOUNDARY_WAIT_MS, () => {
    if (earlyFlushQueued || stopped) return;
    earlyFlushQueued = true;
    const early = (): void => {
      earlyFlushQueued = false;
      if (!stopped) flush(false).catch(() => {}); // logged in writeBatch
    };
    const wait = lastFlushStart + EARLY_FLUSH_SPACING_MS - performance.now();
    if (wait > 0) setTimeout(early, wait);
    else setImmediate(early);
  }, () => health.failedFlushes > 0);
  engine.waitForFlush = () => (stopped ? Promise.resolve() : waits.wait());
  const heldGroups: WaitGroup[] = [];
  const releaseHeld = (): void => {
    for (const group of heldGroups.splice(0)) group.resolve();
  };

  /**
   * A batch in doubt (its earlier attempt failed, maybe after committing) is written again,
   * under its id, before anything newer; then everything pending, in parts of
   * FLUSH_PART_ENTRIES (one transaction each, each with its own id); then the due release
   * counts. Stopping, it ends between two parts at flushDeadline and drops what is left:
   * the process exits, and the next start recovers it from the stored baselines.
   */
  async function flushOnce(withCounts: boolean, allCounts: boolean): Promise<void> {
    // more counts than one statement could not end at a stop's deadline: the next start
    // rewrites every count that differs from the swarms it rebuilt (docs/operations.md, "Stopping")
    if (stopped && ledger.countsPending > FLUSH_CHUNK_ROWS) withCounts = false;
    const doubtful = ledger.inDoubt;
    if (doubtful !== null) await writeBatch(doubtful);
    if (ledger.fresh === 0 && !(withCounts && ledger.countsPending > 0)) return releaseHeld();
    const group = waits.take();
    if (group) heldGroups.push(group);
    const batch = ledger.take(null, !stopped);
    const parts = stopped ? partsOneByOne(batch, STOP_PART_ENTRIES) : splitBatch(batch, FLUSH_PART_ENTRIES).values();
    const countIds = withCounts ? takeCounts(allCounts ? Infinity : COUNTS_PER_FLUSH) : [];
    let written = 0;
    let part: LedgerBatch | undefined;
    try {
      // the deadline is looked at before the next part is cut: at a stop, cutting one scans the whole backlog
      while (performance.now() < flushDeadline) {
        const next = parts.next();
        if (next.done) break;
        part = next.value;
        await writeBatch(part);
        written += batchEntries(part);
        // a stop's few seconds of log are checkpointed once, by the database's close
        if (!stopped) await checkpoint();
      }
    } catch (error) {
      // the failed part is held in doubt; the parts after it never ran
      if (stopped) dropped += batchEntries(batch) - written - (part ? batchEntries(part) : 0);
      else for (const rest of parts) ledger.restore(rest);
      for (const id of countIds) ledger.touchRelease(id);
      if (withCounts) countsDueAt = 0; // still due: the next flush that succeeds writes them
      throw error;
    }
    if (written < batchEntries(batch)) dropped += batchEntries(batch) - written; // only past a stop's deadline
    else releaseHeld();
    await writeCounts(countIds);
  }

  /** One attempt at one batch; a failure holds it in doubt, and rejects. */
  async function writeBatch(batch: LedgerBatch): Promise<void> {
    const started = performance.now();
    try {
      const snatched = await flushLedgerBatch(db.sql, batch, recentIps, clock.now());
      log.debug({ entries: batchEntries(batch), ms: Math.round(performance.now() - started) }, 'ledger flush part');
      ledger.settle();
      lastLedgerWrite = performance.now();
      pace.appended(journalRowsOf(batch)); // an earlier attempt's rows if it had committed: counted once either way
      if (snatched === null) await reloadCompleted(batch);
      else for (const [releaseId, n] of snatched) engine.completed.set(releaseId, (engine.completed.get(releaseId) ?? 0) + n);
      health.lastFlushAt = new Date(clock.now()).toISOString();
      if (health.lastFlushError) log.info({ pending: ledger.pending }, 'tracker ledger flushed again after failures');
      health.lastFlushError = null;
      health.failedFlushes = 0;
      tellFlush(started, true);
    } catch (error) {
      ledger.hold(batch);
      health.lastFlushError = error instanceof Error ? error.message : String(error);
      health.failedFlushes++;
      log.warn({ err: error, pending: ledger.pending, failures: health.failedFlushes }, 'tracker ledger flush failed; deltas kept in memory');
      tellFlush(started, false);
      throw error;
    }
  }

  /** The batch had committed before (its acknowledgement was lost): take its snatch counts as stored. */
  async function reloadCompleted(batch: LedgerBatch): Promise<void> {
    log.info({ batch: batch.id }, 'ledger batch was already committed; not applied again');
    const releaseIds = [...new Set([...batch.snatches.values()].map((s) => s.releaseId))];
    if (releaseIds.length === 0) return;
    for (const [releaseId, n] of await snatchCounts(db.sql, releaseIds)) engine.completed.set(releaseId, n);
  }

  /**
   * Up to `limit` of the releases whose counts are waiting, taken with the credit (releases
   * touched later wait for the next turn). A backlog left keeps the counts due, so it is
   * worked off over the next flushes; otherwise the next are due an interval from now.
   */
  function takeCounts(limit: number): number[] {
    const ids = ledger.takeReleases(limit);
    if (ledger.countsPending === 0 || ids.length < limit) countsDueAt = clock.now() + config.countsIntervalMs;
    return ids;
  }

  /** Their live counts, FLUSH_CHUNK_ROWS per transaction; what is not written stays pending. */
  async function writeCounts(ids: number[]): Promise<void> {
    try {
      while (ids.length > 0 && performance.now() < flushDeadline) {
        const chunk = ids.slice(0, FLUSH_CHUNK_ROWS);
        const started = performance.now();
        await writeReleaseCounts(db.sql, chunk.map((releaseId) => ({ releaseId, ...engine.countsOf(releaseId) })));
        log.debug({ releases: chunk.length, ms: Math.round(performance.now() - started) }, 'release counts written');
        ids.splice(0, chunk.length);
        if (!stopped) await checkpoint();
      }
    } finally {
      for (const id of ids) ledger.touchRelease(id);
    }
  }

  // The journals' checkpoint (db/journal-checkpoint.ts) follows a flush that succeeded; the
  // start applied the journals before loading the peers, so the first is due an interval on.
  let peersDueAt = clock.now() + PEER_CHECKPOINT_MS;
  const journals = new JournalCheckpoint(db.sql);
  const pace = new JournalPace(JOURNAL_BACKLOG_ROWS);
  /**
   * A timer flush begins a checkpoint when one is due and applies one part of it, then more until
   * a session-boundary reply waits for a flush or a flush part's worth of entries is pending: the
   * next flush goes first and the parts go on after it (pages get the connection between any two
   * parts). A flush asked for applies everything journaled, and so does a timer flush past
   * JOURNAL_BACKLOG_ROWS unapplied rows (beginning the next checkpoint at once): these write the
   * ledger between two parts instead of yielding (a session-boundary reply waits, a part's worth
   * of entries or a flush interval's are pending), so that a long checkpoint holds neither the
   * credit nor a reply back for long.
   * A stop applies the parts its deadline allows (the next start applies the rest).
   */
  async function applyJournal(asked: boolean): Promise<void> {
    if (!asked && !journals.underWay && clock.now() < peersDueAt && !pace.behind) return;
    const beforeDeadline = (): boolean => performance.now() < flushDeadline;
    const ledgerWaits = (): boolean =>
      waits.waiting || ledger.fresh >= JOURNAL_YIELD_ENTRIES || (ledger.fresh > 0 && performance.now() - lastLedgerWrite >= config.flushIntervalMs);
    pace.restart();
    try {
      if (!beforeDeadline()) return; // a stop past its deadline: the next start applies the journals
      if (asked || !journals.underWay) {
        peersDueAt = clock.now() + PEER_CHECKPOINT_MS;
        await journals.begin();
      }
      for (let parts = 0; beforeDeadline(); parts++) {
        if (parts > 0 && ledgerWaits()) {
          if (!asked && !pace.behind) break;
          if (pace.repaid) {
            await pace.writeBetween(() => flushOnce(false, false));
            if (!beforeDeadline()) break;
          }
        }
        const part = await journals.next();
        if (part === null) {
          // up to the marks: behind still, the rows appended meanwhile are next
          if (!pace.behind || asked) break;
          await journals.begin();
          if (journals.underWay) continue;
          pace.emptied(); // nothing left (another reader applied some: applyMemberJournalNow)
          break;
        }
        pace.took(part.taken);
        log.debug({ ...part, ms: Math.round(part.ms) }, 'journal checkpoint part');
        if (!stopped) await checkpoint();
      }
    } catch (err) {
      // the rows not applied stay in the journals, with the books (a ledger write's failure is
      // held in doubt and logged by writeBatch): the next flush goes on
      peersDueAt = 0;
      log.warn({ err }, 'journal checkpoint failed');
    }
  }

  async function flush(allCounts = true): Promise<void> {
    while (flushing) await flushing.catch(() => {});
    // decided only now: a tick that waited behind a slow flush must not write counts again
    lastFlushStart = performance.now();
    flushing = flushOnce(allCounts || clock.now() >= countsDueAt, allCounts).then(() => applyJournal(allCounts));
    try {
      await flushing;
    } finally {
      flushing = null;
    }
  }

  return {
    flush,
    checkpoint,
    onFlush: (listener) => void listeners.push(listener),
    stopAt(deadline) {
      stopped = true;
      flushDeadline = deadline;
    },
    releaseWaiters() {
      waits.releaseAll();
      releaseHeld();
    },
    dropped: () => dropped,
  };
}
