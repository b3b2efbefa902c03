// A ledger batch cut into parts that each fit one bounded transaction. After a burst or a
// downtime the ledger can hold a million entries, and one transaction of all of them wrote
// hundreds of megabytes of write-ahead log: PGlite stalls on such a transaction, and on
// PostgreSQL it held a shutdown for tens of seconds (docs/operations.md, "Stopping").
//
// A part holds every entry of its members: the member's totals, their transfers, daily rows,
// snatches and peer rows. A member's credited delta is the sum over their peers, and each
// peer's baseline must commit with the credit computed from it (the exactly-once rule, see
// ledger.ts), so a member is never split; parts commit one after another, and whatever part
// did not commit is still measured from its old baselines at the peer's next announce.
import { randomUUID } from 'node:crypto';
import { peerRow, TrafficRows, TransferRows, type LedgerBatch } from './ledger.js';
import type { Peer } from './peer.js';

/** Ledger entries in a batch, counted as Ledger.pending counts them. */
export function batchEntries(batch: LedgerBatch): number {
  return batch.users.size + batch.transfers.size + batch.daily.size + batch.snatches.size + batch.peers.size;
}

function emptyBatch(): LedgerBatch {
  return {
    id: randomUUID(),
    users: new TrafficRows(),
    transfers: new TransferRows(),
    daily: new TrafficRows(),
    snatches: new Map(),
    peers: new Set(),
    releases: new Set(),
    peerRows: [],
    releaseRows: [],
  };
}

/**
 * Parts of about `maxEntries` entries (members spread by id; one member's entries always
 * together), or the batch itself when it is small enough. Release counts stay with the first.
 */
export function splitBatch(batch: LedgerBatch, maxEntries: number): LedgerBatch[] {
  const count = Math.ceil(batchEntries(batch) / maxEntries);
  if (count <= 1) return [batch];
  const parts = Array.from({ length: count }, emptyBatch);
  const partOf = (userId: number): LedgerBatch => parts[userId % count];
  for (let row = 0; row < batch.users.size; row++) partOf(batch.users.keyA[row]).users.copyRow(batch.users, row);
  for (let row = 0; row < batch.transfers.size; row++) partOf(batch.transfers.keyA[row]).transfers.copyRow(batch.transfers, row);
  for (let row = 0; row < batch.daily.size; row++) partOf(batch.daily.keyA[row]).daily.copyRow(batch.daily, row);
  for (const [key, snatch] of batch.snatches) partOf(snatch.userId).snatches.set(key, snatch);
  for (const peer of batch.peers) partOf(peer.userId).peers.add(peer);
  for (const row of batch.peerRows) partOf(row.userId).peerRows.push(row);
  parts[0].releases = batch.releases;
  parts[0].releaseRows = batch.releaseRows;
  return parts.filter((part) => batchEntries(part) > 0 || part.releaseRows.length > 0);
}

/**
 * The parts of a batch taken without peer snapshots, built one at a time as they are asked
 * for, each with its peers' rows snapshotted then. For a stop only: the transports are closed,
 * so no announce changes a peer between two parts, and of a backlog of a million entries the
 * few seconds of a stop write a handful of parts. Building them all first (and giving back
 * what was not written) cost more than the whole stop is allowed to take; sorting the row
 * numbers by part once costs about one pass.
 */
export function* partsOneByOne(batch: LedgerBatch, maxEntries: number): Generator<LedgerBatch> {
  const count = Math.max(1, Math.ceil(batchEntries(batch) / maxEntries));
  if (count === 1) {
    batch.peerRows = [...batch.peers].map(peerRow);
    if (batchEntries(batch) > 0 || batch.releaseRows.length > 0) yield batch;
    return;
  }
  // One pass sorts every table's row numbers by part; a part then copies only its own rows. A
  // pass over the whole backlog per part took seconds each at a stop with a million peers.
  const users = rowsByPart(batch.users.keyA, batch.users.size, count);
  const transfers = rowsByPart(batch.transfers.keyA, batch.transfers.size, count);
  const daily = rowsByPart(batch.daily.keyA, batch.daily.size, count);
  const peers = Array.from({ length: count }, (): Peer[] => []);
  for (const peer of batch.peers) peers[peer.userId % count].push(peer);
  for (let i = 0; i < count; i++) {
    const part = emptyBatch();
    for (let k = users.starts[i]; k < users.starts[i + 1]; k++) part.users.copyRow(batch.users, users.order[k]);
    for (let k = transfers.starts[i]; k < transfers.starts[i + 1]; k++) part.transfers.copyRow(batch.transfers, transfers.order[k]);
    for (let k = daily.starts[i]; k < daily.starts[i + 1]; k++) part.daily.copyRow(batch.daily, daily.order[k]);
    for (const [key, snatch] of batch.snatches) if (snatch.userId % count === i) part.snatches.set(key, snatch);
    part.peers = new Set(peers[i]);
    peers[i] = [];
    if (i === 0) [part.releases, part.releaseRows] = [batch.releases, batch.releaseRows];
    part.peerRows = [...part.peers].map(peerRow);
    if (batchEntries(part) > 0 || part.releaseRows.length > 0) yield part;
  }
}

/** A table's row numbers grouped by part (member id modulo `count`): part i's are order[starts[i]] to order[starts[i + 1] - 1]. */
function rowsByPart(keys: Int32Array, size: number, count: number): { order: Int32Array; starts: Int32Array } {
  const starts = new Int32Array(count + 1);
  for (let row = 0; row < size; row++) starts[(keys[row] % count) + 1]++;
  for (let i = 0; i < count; i++) starts[i + 1] += starts[i];
  const next = starts.slice(0, count);
  const order = new Int32Array(size);
  for (let row = 0; row < size; row++) order[next[keys[row] % count]++] = row;
  return { order, starts };
}
