// Stream entries (written by announce-script.ts) turned into the ledger batch the memory mode
// flushes (src/tracker/core/ledger.ts), so both modes write the books with the same statements
// (src/db/tracker-store.ts writeBatchRows). Credit follows the traffic rule recorded with each
// entry at its announce (docs/accounting.md, "Credited and actual").
import { TrafficRows, TransferRows, type LedgerBatch, type PeerRow, type SnatchRow } from '../tracker/core/ledger.js';
import { ENTRY_VALUES } from './record-lua.js';

const DAY_MS = 86_400_000;

export type StreamFields = Record<string, string>;

/**
 * The fields of one entry (`[field, value, ...]` as XREADGROUP and XAUTOCLAIM give them), by
 * name; the fixed ones travel joined in `v` (record-lua.ts), an entry written before that
 * layout has each in a field of its own.
 */
export function fieldsOf(list: string[]): StreamFields {
  const fields: StreamFields = {};
  for (let i = 0; i + 1 < list.length; i += 2) fields[list[i]] = list[i + 1];
  const packed = fields.v;
  if (packed !== undefined) {
    const values = packed.split(',');
    for (let i = 0; i < ENTRY_VALUES.length; i++) fields[ENTRY_VALUES[i]] = values[i] ?? '';
  }
  return fields;
}

export function batchOf(id: string, entries: StreamFields[]): LedgerBatch {
  const users = new TrafficRows();
  const transfers = new TransferRows();
  const daily = new TrafficRows();
  const snatches = new Map<string, SnatchRow>();
  const peers = new Map<string, PeerRow>();
  for (const e of entries) {
    const userId = Number(e.u);
    const releaseId = Number(e.r);
    const at = Number(e.at);
    const upActual = BigInt(e.up);
    const downActual = BigInt(e.dn);
    const traffic = { up: upActual * BigInt(e.mu), down: downActual * BigInt(e.md), upActual, downActual };
    if (upActual !== 0n || downActual !== 0n) {
      users.add(users.upsert(userId, 0), traffic);
      daily.add(daily.upsert(userId, Math.floor(at / DAY_MS)), traffic);
    }
    const row = transfers.upsert(userId, releaseId);
    transfers.add(row, traffic);
    transfers.seedtime[row] += Number(e.st);
    const active = e.ac === '1';
    const seeder = e.sd === '1';
    transfers.setState(row, active && seeder, active && !seeder);
    transfers.lastAnnounceAt[row] = at;
    if (e.sn === '1') {
      if (transfers.completedAt[row] === 0) transfers.completedAt[row] = at;
      const key = `${userId}:${releaseId}`;
      if (!snatches.has(key)) snatches.set(key, { userId, releaseId, at });
    }
    // entries of one peer come in stream order: the last one is its state
    peers.set(`${releaseId}:${e.f}`, peerRowOf(e, userId, releaseId, at, active, seeder));
  }
  return { id, users, transfers, daily, snatches, peers: new Set(), releases: new Set(), peerRows: [...peers.values()], releaseRows: [] };
}

function peerRowOf(e: StreamFields, userId: number, releaseId: number, at: number, active: boolean, seeder: boolean): PeerRow {
  return {
    userId,
    releaseId,
    peerId: Buffer.from(e.f.slice(e.f.indexOf(':') + 1), 'hex'),
    ipv4: e.i4 || null,
    ipv6: e.i6 || null,
    port: Number(e.po),
    uploaded: BigInt(e.ul),
    downloaded: BigInt(e.dl),
    left: BigInt(e.lf),
    client: e.cl,
    key: e.k === '' ? null : e.k.slice(1),
    seeder,
    active,
    lastAnnounceAt: at,
  };
}
