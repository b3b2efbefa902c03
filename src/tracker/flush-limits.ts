// The flush loop's limits and cadences (flush.ts): how much one transaction writes, how long a
// stop and a held reply may wait, how often the journals and PGlite's log are checkpointed.
import { FLUSH_CHUNK_ROWS } from '../db/tracker-store.js';

/**
 * How long a session-boundary reply waits for its flush, once flushes fail, before it is sent
 * anyway (database away: the deltas stay pending in memory, exact once it is back, but not
 * across a kill -9 meanwhile). While flushes succeed it waits for its own however long it takes
 * (boundary-waits.ts). Clients time an announce out after 15 s (UDP, BEP 15) or more (HTTP).
 */
export const BOUNDARY_WAIT_MS = 2000;
/**
 * Ledger entries per flush transaction. A flush takes everything pending, and a backlog
 * (a burst, a downtime) is written in parts of this size one after another (ledger-split.ts),
 * so no transaction writes more than a few tens of megabytes of log and the stop path can
 * end between two parts.
 */
export const FLUSH_PART_ENTRIES = 25_000;
/**
 * Early flushes for session boundaries begin at least this long after the previous flush
 * began. Under a steady stream of boundaries (new peers, stopped/started) the group commit
 * would otherwise run a flush per database round trip, and each flush transaction costs the
 * database a fixed amount (statements, commit) whatever it holds: spaced, each carries more
 * announces. A held reply waits at most this much longer (docs/accounting.md, "Cost").
 */
export const EARLY_FLUSH_SPACING_MS = 25;
/** A stop's parts: smaller, so the part under way when its deadline passes ends soon after. */
export const STOP_PART_ENTRIES = 5_000;
/** Release counts written per timer flush at most: a backlog of them (a start after a long downtime) must not hold the credit back. */
export const COUNTS_PER_FLUSH = 20 * FLUSH_CHUNK_ROWS;
/**
 * Timer flushes apply the peer and transfer journals at most this often (every flush asked
 * for does it too): a peer re-announcing within it gets one `peers` and one `transfers` row
 * write, and what the web reads of them is at most this late (db/peer-journal.ts).
 */
export const PEER_CHECKPOINT_MS = 30_000;
/** Entries pending at which a timer flush's journal checkpoint parts let the next flush go first: a flush part of moderate size. */
export const JOURNAL_YIELD_ENTRIES = 10_000;
/**
 * Journal rows appended and not yet applied past which the checkpoint's parts no longer yield
 * to the next flush (up to 750,000 entries, half a minute at 25,000 announces/s: at any load
 * the database absorbs, the timer's checkpoint every PEER_CHECKPOINT_MS comes first). Under a
 * load it cannot absorb row by row, yielding let the journals grow without end and members'
 * totals lag ever further behind. Past it the checkpoint keeps pace with the appends, and the
 * ledger, which merges every peer's deltas until the next flush, absorbs the load instead: its
 * size is bounded by the peers, not by the announces.
 */
export const JOURNAL_BACKLOG_ROWS = 300;
