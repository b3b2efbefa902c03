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
 * what was not written) cost more than the whole stop is allowed to take.
 */
export function* partsOneByOne(batch: LedgerBatch, maxEntries: number): Generator<LedgerBatch> {
  const count = Math.max(1, Math.ceil(batchEntries(batch) / maxEntries));
  for (let i = 0; i < count; i++) {
    const part = count === 1 ? batch : emptyBatch();
    if (count > 1) {
      const mine = (userId: number): boolean => userId % count === i;
      for (let row = 0; row < batch.users.size; row++) if (mine(batch.users.keyA[row])) part.users.copyRow(batch.users, row);
      for (let row = 0; row < batch.transfers.size; row++) if (mine(batch.transfers.keyA[row])) part.transfers.copyRow(batch.transfers, row);
      for (let row = 0; row < batch.daily.size; row++) if (mine(batch.daily.keyA[row])) part.daily.copyRow(batch.daily, row);
      for (const [key, snatch] of batch.snatches) if (mine(snatch.userId)) part.snatches.set(key, snatch);
      for (const peer of batch.peers) if (mine(peer.userId)) part.peers.add(peer);
      if (i === 0) [part.releases, part.releaseRows] = [batch.releases, batch.releaseRows];
    }
    part.peerRows = [...part.peers].map(peerRow);
    if (batchEntries(part) > 0 || part.releaseRows.length > 0) yield part;
  }
}
