// Checkpoints for the embedded database. PGlite runs Postgres in single-user mode: there is no
// checkpointer process, so nothing checkpoints on its own and the write-ahead log only grows
// (and is replayed at the next start). With about half a gigabyte of it written since the last
// checkpoint, PGlite 0.4 spins inside a statement for good: pages, flushes and shutdown all
// wait on it. So
// the tracker service asks here on a timer and between the parts of a large flush, and a
// CHECKPOINT runs when enough log was written since the last one, or some was and enough
// time passed. It runs in PGlite's worker thread (pglite-proxy.ts): announces go on meanwhile.
// PostgreSQL checkpoints by itself; there this does nothing.
import type { SqlDriver } from './driver.js';

/** Log written since the last checkpoint that calls for one: far below the half gigabyte PGlite stalls at. */
const CHECKPOINT_WAL_BYTES = 64 * 1024 * 1024;
/** Any log written and this long since the last checkpoint: one is due too, ms. */
const CHECKPOINT_MS = 60_000;

export interface CheckpointOptions {
  /** log bytes written since the last checkpoint that call for one (CHECKPOINT_WAL_BYTES) */
  walBytes?: number;
  /** time after which any log written calls for one, ms (CHECKPOINT_MS) */
  intervalMs?: number;
  /** real time by default: these bound the log PGlite holds, whatever a tracker's clock says */
  now?: () => number;
  onCheckpoint?: (info: { walBytes: bigint; ms: number }) => void;
}

export interface Checkpointer {
  /** checkpoints when due (see above); a call while one runs waits for that one */
  maybeCheckpoint(): Promise<void>;
  /** log bytes written through this checkpointer's checks, checkpoints included */
  readonly walWritten: bigint;
}

/** Bytes since the start of the log: pg_current_wal_lsn() as a number. */
export async function walPosition(sql: Pick<SqlDriver, 'query'>): Promise<bigint> {
  const [row] = await sql.query<{ lsn: string }>(`SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::text AS lsn`);
  return BigInt(row.lsn);
}

export function createCheckpointer(sql: SqlDriver, options: CheckpointOptions = {}): Checkpointer {
  const { walBytes = CHECKPOINT_WAL_BYTES, intervalMs = CHECKPOINT_MS, now = () => performance.now() } = options;
  let last: bigint | null = null;
  let first: bigint | null = null;
  let latest: bigint | null = null;
  let lastAt = now();
  let running: Promise<void> | null = null;

  async function check(): Promise<void> {
    const at = await walPosition(sql);
    first ??= at;
    latest = at;
    if (last === null) last = at; // measured from the first look: earlier log predates this process's writes
    const written = at - last;
    const stale = written > 0n && now() - lastAt >= intervalMs;
    if (written < BigInt(walBytes) && !stale) return;
    const started = now();
    await sql.exec('CHECKPOINT', { background: true }); // after the pages waiting (pglite-lanes.ts)
    last = latest = await walPosition(sql);
    lastAt = now();
    options.onCheckpoint?.({ walBytes: written, ms: lastAt - started });
  }

  return {
    maybeCheckpoint() {
      if (sql.kind !== 'pglite') return Promise.resolve();
      running ??= check().finally(() => {
        running = null;
      });
      return running;
    },
    get walWritten() {
      return first === null || latest === null ? 0n : latest - first;
    },
  };
}
