// PGlite in a worker thread, seen from the main thread. Postgres in WASM blocks the thread it
// runs on (a ledger flush would hold it), so it runs in pglite-worker.ts
// and this class stands in for it: the subset of PGlite that our SqlDriver and
// pglite-prisma-adapter use (query with rowMode/parsers, exec, transaction with
// query/exec/rollback, close, closed), with PGlite's own value parsing and error class.
//
// PGliteWorker (@electric-sql/pglite/worker) was written for browser tabs: it needs
// navigator.locks (absent from Node 20) and leader election over BroadcastChannel, and a
// pending call never settles when the worker dies. This proxy is smaller and fails fast.
//
// What crosses the thread boundary (the messages, errors and parameters) is pglite-wire.ts.
//
// PGlite is one connection. The worker runs requests one at a time in the order they were
// posted; a transaction is exclusive because, while it is open, statements from outside it
// wait here and are posted only after its COMMIT or ROLLBACK. Who goes next, and the
// background lane of the tracker's flush, is pglite-lanes.ts.
import { Worker } from 'node:worker_threads';
import { types, type QueryOptions, type Results, type Transaction } from '@electric-sql/pglite';
import { ConnectionLanes } from './pglite-lanes.js';
import { cloneable, rebuildError, type RawResult, type WorkerReady, type WorkerRequest, type WorkerResponse } from './pglite-wire.js';

type Parser = (value: string, typeId?: number) => unknown;
/** what the proxy accepts of QueryOptions */
export type ProxyQueryOptions = Pick<QueryOptions, 'rowMode' | 'parsers'>;
export type ProxyTransaction = Pick<Transaction, 'query' | 'exec' | 'rollback' | 'closed'>;

interface Pending {
  resolve(results: RawResult[]): void;
  reject(error: Error): void;
  sql: string;
  params?: unknown[];
  options?: ProxyQueryOptions;
}

const workerUrl = new URL(`./pglite-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/**
 * Run from source (`npm start`, the tests: Node's own type stripping, scripts/ts-hooks.mjs), the
 * worker is pglite-worker.ts, loaded as it is: it has only erasable syntax and type-only imports
 * of our files, so it needs none of the main thread's `--import`s.
 */
function startWorker(url: URL, workerData: unknown): Worker {
  return new Worker(url, url.pathname.endsWith('.ts') ? { workerData, execArgv: [] } : { workerData });
}

export class PGliteProxy {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  /** PGlite's default parsers plus one per array type, built when the worker is ready */
  readonly #parsers: Record<number, Parser> = { ...(types.parsers as Record<number, Parser>) };
  /** set when the worker has died: every later call rejects with it */
  #dead: Error | null = null;
  #closed = false;
  #closing: Promise<void> | null = null;
  readonly #lanes: ConnectionLanes;

  /** `worker` replaces pglite-worker.ts: the specs use one that crashes; `backgroundDeferMs`: pglite-lanes.ts */
  constructor(dataDir: string, options: { worker?: URL; backgroundDeferMs?: number } = {}) {
    this.#lanes = new ConnectionLanes(options.backgroundDeferMs);
    this.#worker = startWorker(options.worker ?? workerUrl, { dataDir });
    // An idle worker must not keep the process alive; one with work pending must.
    this.#worker.unref();
    this.#worker.on('message', (message: WorkerResponse | WorkerReady) => this.#receive(message));
    this.#worker.on('error', (error) => this.#die(new Error(`PGlite worker failed: ${error.message}`, { cause: error })));
    this.#worker.on('exit', (code) => this.#die(new Error(`PGlite worker exited (code ${code})`)));
  }

  get closed(): boolean {
    return this.#closed;
  }

  async query<T>(sql: string, params?: unknown[], options?: ProxyQueryOptions): Promise<Results<T>> {
    this.#assertOpen();
    if (this.#lanes.free) return this.#query<T>(sql, params, options);
    await this.#lanes.wait();
    return this.#query<T>(sql, params, options);
  }

  async exec(sql: string, options?: ProxyQueryOptions): Promise<Results[]> {
    this.#assertOpen();
    if (!this.#lanes.free) await this.#lanes.wait();
    return this.#exec(sql, options);
  }

  /**
   * BEGIN ... COMMIT around fn, ROLLBACK when it throws; nothing else runs meanwhile.
   * `background`: it starts only when the foreground and the pages let it (pglite-lanes.ts).
   */
  async transaction<T>(fn: (tx: ProxyTransaction) => Promise<T>, lane: { background?: boolean } = {}): Promise<T> {
    this.#assertOpen();
    await (lane.background ? this.#lanes.acquireBackground() : this.#lanes.acquire());
    try {
      return await this.#transaction(fn);
    } finally {
      this.#lanes.release();
    }
  }

  /** a statement of the background lane (PGlite's CHECKPOINT): it waits as a background transaction does */
  async execBackground(sql: string): Promise<void> {
    this.#assertOpen();
    await this.#lanes.acquireBackground();
    try {
      await this.#exec(sql);
    } finally {
      this.#lanes.release();
    }
  }

  /** a page is being answered until the returned function is called (pglite-lanes.ts) */
  beginPage(): () => void {
    return this.#lanes.beginPage();
  }

  /** waits for the work already asked for (an open transaction included), then stops the worker */
  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= (async () => {
      if (this.#dead) return;
      await this.#lanes.acquire();
      try {
        await this.#call({ id: this.#nextId++, op: 'close' }, 'close');
      } catch {
        // already gone: nothing to close
      }
      await this.#worker.terminate();
    })();
    return this.#closing;
  }

  async #transaction<T>(fn: (tx: ProxyTransaction) => Promise<T>): Promise<T> {
    await this.#exec('BEGIN');
    let closed = false;
    const check = (): void => {
      if (closed) throw new Error('Transaction is closed');
    };
    const tx: ProxyTransaction = {
      query: async <R>(sql: string, params?: unknown[], options?: ProxyQueryOptions) => {
        check();
        return this.#query<R>(sql, params, options);
      },
      exec: async (sql: string, options?: ProxyQueryOptions) => {
        check();
        return this.#exec(sql, options);
      },
      // Prisma's adapter calls this without awaiting and then lets fn return: closing before
      // the ROLLBACK is posted keeps the COMMIT below from following it.
      rollback: async () => {
        check();
        closed = true;
        await this.#exec('ROLLBACK');
      },
      get closed() {
        return closed;
      },
    };
    try {
      const result = await fn(tx);
      if (!closed) {
        closed = true;
        await this.#exec('COMMIT');
      }
      return result;
    } catch (error) {
      if (!closed) {
        closed = true;
        await this.#exec('ROLLBACK').catch(() => {});
      }
      throw error;
    }
  }

  async #query<T>(sql: string, params?: unknown[], options?: ProxyQueryOptions): Promise<Results<T>> {
    const request: WorkerRequest = { id: this.#nextId++, op: 'query', sql, params: params?.map(cloneable) };
    const [raw] = await this.#call(request, sql, params, options);
    return this.#parse(raw, options) as Results<T>;
  }

  async #exec(sql: string, options?: ProxyQueryOptions): Promise<Results[]> {
    const results = await this.#call({ id: this.#nextId++, op: 'exec', sql }, sql, undefined, options);
    return results.map((raw) => this.#parse(raw, options));
  }

  #call(request: WorkerRequest, sql: string, params?: unknown[], options?: ProxyQueryOptions): Promise<RawResult[]> {
    if (this.#dead) return Promise.reject(this.#dead);
    return new Promise((resolve, reject) => {
      try {
        this.#worker.postMessage(request);
      } catch (error) {
        reject(error as Error); // a parameter that cannot be cloned
        return;
      }
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(request.id, { resolve, reject, sql, params, options });
    });
  }

  #receive(message: WorkerResponse | WorkerReady): void {
    if ('ready' in message) {
      for (const [oid, typarray] of message.arrayTypes) {
        this.#parsers[typarray] = (value) => types.arrayParser(value, this.#parsers[oid], typarray);
      }
      return;
    }
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    if (this.#pending.size === 0) this.#worker.unref();
    if ('results' in message) pending.resolve(message.results);
    else pending.reject(rebuildError(message.error, pending));
  }

  #die(error: Error): void {
    if (this.#dead) return;
    this.#dead = error;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }

  /** values as PGlite would have parsed them: the caller's parsers first, then PGlite's */
  #parse(raw: RawResult, options?: ProxyQueryOptions): Results {
    const custom = options?.parsers as Record<number, Parser> | undefined;
    const parsers = raw.fields.map((f) => custom?.[f.dataTypeID] ?? this.#parsers[f.dataTypeID]);
    const ids = raw.fields.map((f) => f.dataTypeID);
    const rows = raw.rows.map((row) => {
      for (let i = 0; i < row.length; i++) {
        const value = row[i];
        const parse = parsers[i];
        if (value !== null && parse) (row as unknown[])[i] = parse(value, ids[i]);
      }
      return row as unknown[];
    });
    if (options?.rowMode === 'array') return { rows, fields: raw.fields, affectedRows: raw.affectedRows };
    const names = raw.fields.map((f) => f.name);
    // a column named __proto__ would set the prototype by assignment; fromEntries defines it, as PGlite does
    if (names.includes('__proto__')) {
      return { rows: rows.map((row) => Object.fromEntries(names.map((n, i) => [n, row[i]]))), fields: raw.fields, affectedRows: raw.affectedRows };
    }
    const objects = rows.map((row) => {
      const object: Record<string, unknown> = {};
      for (let i = 0; i < names.length; i++) object[names[i]] = row[i];
      return object;
    });
    return { rows: objects, fields: raw.fields, affectedRows: raw.affectedRows };
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('PGlite is closed');
    if (this.#dead) throw this.#dead;
  }
}
