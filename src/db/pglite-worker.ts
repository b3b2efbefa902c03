// The embedded database's own thread: PGlite (Postgres compiled to WASM) runs here so that its
// CPU (the tracker's ledger flush above all) is spent off the event loop that answers
// announces. A dumb serial executor: the main side (pglite-proxy.ts) decides what runs when,
// holds transactions, and parses values. Results go back as raw text with type OIDs, because
// parsers are functions keyed by OID and cannot cross threads.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, messages, types } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { RawResult, WireError, WorkerReady, WorkerRequest, WorkerResponse } from './pglite-wire.js';

const port = parentPort!;
const { dataDir } = workerData as { dataDir: string };

async function open(): Promise<PGlite> {
  const pglite = new PGlite(dataDir, { extensions: { pg_trgm } });
  await pglite.waitReady;
  const arrays = await pglite.query<{ oid: number; typarray: number }>(
    `SELECT b.oid, b.typarray FROM pg_catalog.pg_type a
       LEFT JOIN pg_catalog.pg_type b ON b.oid = a.typelem
      WHERE a.typcategory = 'A' GROUP BY b.oid, b.typarray ORDER BY b.oid`,
  );
  // From here on every value stays text. parseType falls back to PGlite's default parsers for
  // a type without one, so those get the identity; every other type (arrays too) stays text.
  pglite.parsers = Object.fromEntries(Object.keys(types.parsers).map((oid) => [oid, (text: string) => text]));
  const ready: WorkerReady = { ready: true, arrayTypes: arrays.rows.map((r) => [r.oid, r.typarray]) };
  port.postMessage(ready);
  return pglite;
}

const opening = open();
// A failed start is reported to each request rather than crashing the thread.
opening.catch(() => {});

function wireError(error: unknown): WireError {
  if (error instanceof messages.DatabaseError) {
    const { message, length, name, severity, code, detail, hint, position, internalPosition, internalQuery, where } = error;
    const { schema, table, column, dataType, constraint, file, line, routine } = error;
    return {
      database: true,
      message,
      fields: { length, name, severity, code, detail, hint, position, internalPosition, internalQuery, where, schema, table, column, dataType, constraint, file, line, routine },
    };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  return { database: false, message: e.message, fields: { name: e.name, stack: e.stack } };
}

function raw(result: { fields: { name: string; dataTypeID: number }[]; rows: unknown[]; affectedRows?: number }): RawResult {
  return { fields: result.fields, rows: result.rows as (string | null)[][], affectedRows: result.affectedRows ?? 0 };
}

async function run(request: WorkerRequest): Promise<RawResult[]> {
  const pglite = await opening;
  switch (request.op) {
    case 'query':
      return [raw(await pglite.query(request.sql, request.params, { rowMode: 'array' }))];
    case 'exec':
      return (await pglite.exec(request.sql, { rowMode: 'array' })).map(raw);
    case 'close':
      if (!pglite.closed) await pglite.close();
      return [];
  }
}

// One at a time, in arrival order: the order the main side posted is the order Postgres sees.
let chain: Promise<unknown> = Promise.resolve();
port.on('message', (request: WorkerRequest) => {
  chain = chain.then(async () => {
    let response: WorkerResponse;
    try {
      response = { id: request.id, results: await run(request) };
    } catch (error) {
      response = { id: request.id, error: wireError(error) };
    }
    port.postMessage(response);
  });
});
