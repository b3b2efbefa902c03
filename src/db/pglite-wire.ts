// The messages between the PGlite worker (pglite-worker.ts) and the main thread's stand-in
// (pglite-proxy.ts), and the conversions across that boundary: results travel as Postgres text,
// errors as plain fields rebuilt into PGlite's DatabaseError, parameters as what the structured
// clone can carry.
import { messages } from '@electric-sql/pglite';

export type Field = { name: string; dataTypeID: number };

export type WorkerRequest =
  | { id: number; op: 'query'; sql: string; params?: unknown[] }
  | { id: number; op: 'exec'; sql: string }
  | { id: number; op: 'close' };
/** a result as the worker sends it: every value as Postgres text, or null */
export interface RawResult {
  fields: Field[];
  rows: (string | null)[][];
  affectedRows: number;
}
export interface WireError {
  database: boolean;
  message: string;
  fields: Record<string, unknown>;
}
export type WorkerResponse = { id: number; results: RawResult[] } | { id: number; error: WireError };
/** the worker's first message: array type OIDs and their element OIDs, as PGlite reads them */
export interface WorkerReady {
  ready: true;
  arrayTypes: [number, number][];
}

/** the statement an error belongs to (Prisma's error mapping reads them from the error) */
export interface PendingQuery {
  sql: string;
  params?: unknown[];
  options?: unknown;
}

/** a DatabaseError like the one PGlite would have thrown here, so Prisma's error mapping applies */
export function rebuildError(wire: WireError, pending: PendingQuery): Error {
  if (!wire.database) {
    const error = new Error(wire.message);
    error.name = String(wire.fields.name ?? 'Error');
    if (wire.fields.stack) error.stack = `${error.stack}\n  in the PGlite worker: ${String(wire.fields.stack)}`;
    return error;
  }
  const { length, name, ...fields } = wire.fields;
  const error = new messages.DatabaseError(wire.message, Number(length), name as messages.DatabaseError['name']);
  Object.assign(error, fields, { query: pending.sql, params: pending.params, queryOptions: pending.options });
  return error;
}

/**
 * Parameters as the structured clone can carry them. A Buffer cut from a larger one clones its
 * whole backing ArrayBuffer (8 KiB pool slabs, socket reads), so such views are copied to size;
 * objects with a class (Prisma's Decimal) would arrive as bare objects, so they go as text.
 */
export function cloneable(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return value.byteLength === value.buffer.byteLength ? value : new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.some((v) => v !== null && typeof v === 'object') ? value.map(cloneable) : value;
  if (value instanceof Date) return value;
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return value;
  const toJSON = (value as { toJSON?: () => unknown }).toJSON;
  return typeof toJSON === 'function' ? toJSON.call(value) : String(value);
}
